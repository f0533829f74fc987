"""The exceptions newsclean raises.

Every error the library raises on purpose derives from :class:`NewscleanError`,
so callers can catch one class.  Configuration mistakes are also
:class:`ValueError` (bad values) so that generic code handling ``ValueError``
keeps working.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "CleanerError",
    "ConfigError",
    "DuplicateCleanerError",
    "DuplicateRulePackError",
    "NewscleanError",
    "OptionError",
    "PluginError",
    "PluginLoadWarning",
    "UnknownCleanerError",
    "UnknownNameError",
    "UnknownRulePackError",
    "suggest",
]


class NewscleanError(Exception):
    """Base class of every exception newsclean raises on purpose."""


class ConfigError(NewscleanError, ValueError):
    """A pipeline or cleaner was configured with a name or value that is not valid."""


class UnknownNameError(ConfigError, KeyError):
    """A cleaner or rule-pack name that no installed plugin provides.

    ``failed`` names plugins that failed to load (one short line each): the
    name may be one of theirs, so the message says so.
    """

    kind = "name"

    def __init__(self, name: str, valid: Iterable[str], failed: Iterable[str] = ()) -> None:
        self.name = name
        self.valid = sorted(valid)
        self.failed = tuple(failed)
        hint = suggest(name, self.valid)
        message = f"unknown {self.kind} {name!r}{hint}; available {self.kind}s: {', '.join(self.valid) or '(none)'}"
        if self.failed:
            message += (
                f"; {len(self.failed)} plugin(s) failed to load and may provide it: {'; '.join(self.failed)}"
                " (see 'newsclean cleaners', or set NEWSCLEAN_DEBUG=1 for the traceback)"
            )
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0])


class UnknownCleanerError(UnknownNameError):
    """A cleaner name that no installed plugin provides."""

    kind = "cleaner"


class UnknownRulePackError(UnknownNameError):
    """A rule-pack name that no installed plugin provides."""

    kind = "rule pack"


class OptionError(ConfigError):
    """An unknown option, or an option value of the wrong type or outside its choices."""


class PluginError(NewscleanError):
    """A plugin could not be loaded or registered something invalid."""


class DuplicateCleanerError(PluginError):
    """Two plugins registered a cleaner under the same name (neither is used)."""


class DuplicateRulePackError(PluginError):
    """Two plugins registered a rule pack under the same name (neither is used)."""


class CleanerError(NewscleanError):
    """A cleaner raised while cleaning a document.

    ``cleaner`` is the name of the cleaner that failed; the original exception
    is chained as ``__cause__``.
    """

    def __init__(self, cleaner: str, error: BaseException) -> None:
        self.cleaner = cleaner
        self.error = error
        super().__init__(f"cleaner {cleaner!r} failed: {type(error).__name__}: {error}")


class PluginLoadWarning(UserWarning):
    """A plugin failed to load and was skipped (fatal in strict mode)."""


def suggest(name: str, valid: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest valid names, or ``""``."""
    close = difflib.get_close_matches(name, list(valid), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
