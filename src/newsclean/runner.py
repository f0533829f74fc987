"""``newsclean.runner``: the file-run API under its first name, kept for existing users.

Everything here is :mod:`newsclean.run` (where the file runs now live: planner, executors,
writer); new code can import from either.
"""

from __future__ import annotations

from .run import (
    DECODE_ERRORS,
    DEFAULT_CHUNK_SIZE,
    DEFAULT_MAX_DOC_SIZE,
    MODES,
    ON_ERROR,
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
    "DECODE_ERRORS",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_DOC_SIZE",
    "MODES",
    "ON_ERROR",
    "CleanerStats",
    "Problem",
    "RunSummary",
    "UsageError",
    "clean_files",
    "clean_records",
    "clean_texts",
    "default_jobs",
]
