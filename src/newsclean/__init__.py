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
from .api import clean, cleaners, rule_packs, trace
from .cleaner import Change, Cleaner, Option
from .errors import (
    CleanerError,
    ConfigError,
    DuplicateCleanerError,
    DuplicateRulePackError,
    NewscleanError,
    OptionError,
    PluginError,
    PluginLoadWarning,
    UnknownCleanerError,
    UnknownRulePackError,
)
from .hookspecs import API_VERSION as PLUGIN_API_VERSION
from .hookspecs import hookimpl
from .pipeline import CleanerReport, Explanation, Pipeline
from .rules import Rule, RulePack
from .tracing import Edit, Step, Trace

__version__ = "0.1.0"

__all__ = [
    "PLUGIN_API_VERSION",
    "Change",
    "Cleaner",
    "CleanerError",
    "CleanerReport",
    "ConfigError",
    "DuplicateCleanerError",
    "DuplicateRulePackError",
    "Edit",
    "Explanation",
    "NewscleanError",
    "Option",
    "OptionError",
    "Pipeline",
    "PluginError",
    "PluginLoadWarning",
    "Rule",
    "RulePack",
    "Step",
    "Trace",
    "UnknownCleanerError",
    "UnknownRulePackError",
    "__version__",
    "clean",
    "cleaners",
    "hookimpl",
    "rule_packs",
    "trace",
]
