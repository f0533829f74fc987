"""``newsclean.runner``: the file-run API under its first name, kept for existing users.

Everything here is :mod:`newsclean.run` (where the file runs now live: planner, executors,
writer); new code can import from either.
"""

from __future__ import annotations

from .run import *  # noqa: F403  (the same names, on purpose)
from .run import __all__ as __all__
