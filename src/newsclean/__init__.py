"""newsclean: clean scraped news text with an ordered pipeline of pluggable cleaners.

Importing this package loads no plugin; plugins load on first use.

    >>> import newsclean
    >>> newsclean.clean("Hello\\u00a0  world  ")
    'Hello world'
"""

from __future__ import annotations

from . import _main_path  # noqa: F401  (first: `python -m newsclean` must not import from the current folder)

# The subpackage newsclean.cleaners must be imported before the function
# newsclean.cleaners() is bound: importing a submodule for the first time
# sets the parent's attribute, which would otherwise replace the function.
from . import cleaners as _cleaners_package  # noqa: F401  (import order matters)
from .api import clean, cleaners
from .cleaner import Change, Cleaner, Option
from .errors import (
    CleanerError,
    ConfigError,
    DuplicateCleanerError,
    NewscleanError,
    OptionError,
    PluginError,
    PluginLoadWarning,
    UnknownCleanerError,
)
from .hookspecs import hookimpl
from .pipeline import CleanerReport, Explanation, Pipeline
from .rules import Rule

__version__ = "0.1.0"

__all__ = [
    "Change",
    "Cleaner",
    "CleanerError",
    "CleanerReport",
    "ConfigError",
    "DuplicateCleanerError",
    "Explanation",
    "NewscleanError",
    "Option",
    "OptionError",
    "Pipeline",
    "PluginError",
    "PluginLoadWarning",
    "Rule",
    "UnknownCleanerError",
    "__version__",
    "clean",
    "cleaners",
    "hookimpl",
]
