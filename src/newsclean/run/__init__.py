"""File runs: the library behind the ``newsclean`` command (see :mod:`newsclean.run.api`)."""

from __future__ import annotations

from .api import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_MAX_DOC_SIZE,
    CleanerStats,
    Problem,
    RunSummary,
    UsageError,
    clean_files,
    clean_records,
    clean_texts,
    default_jobs,
)

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_DOC_SIZE",
    "CleanerStats",
    "Problem",
    "RunSummary",
    "UsageError",
    "clean_files",
    "clean_records",
    "clean_texts",
    "default_jobs",
]
