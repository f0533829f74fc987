"""The choices a run accepts, their defaults, and the error for impossible requests."""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..errors import ConfigError

__all__ = [
    "DECODE_ERRORS",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_DOC_SIZE",
    "MODES",
    "ON_ERROR",
    "UsageError",
    "check_choice",
    "default_jobs",
]

DEFAULT_MAX_DOC_SIZE = 64 * 1024 * 1024
DEFAULT_CHUNK_SIZE = 1024 * 1024
ON_ERROR = ("keep", "skip", "fail")
DECODE_ERRORS = ("strict", "replace", "ignore")
MODES = ("clean", "diff", "explain")


class UsageError(ConfigError):
    """The files or options asked for cannot be used together (the CLI exits with status 2)."""


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def check_choice(name: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise UsageError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
