"""The registry: every available cleaner by name, with the plugin it came from, and every boilerplate rule.

A :class:`Registry` is built once by :mod:`newsclean.plugins` and then only
read.  Looking up an unknown name raises :class:`~newsclean.errors.UnknownCleanerError`
with the closest valid names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .cleaner import Cleaner, Option
from .errors import ConfigError, DuplicateCleanerError, NewscleanError, PluginError, UnknownCleanerError
from .rules import Rule

__all__ = ["CleanerInfo", "PluginFailure", "PluginInfo", "Registry"]

_NAME = re.compile(r"[a-z][a-z0-9_]*(-[a-z0-9_]+)*")


@dataclass(frozen=True)
class CleanerInfo:
    """What the registry knows about one cleaner class."""

    name: str
    description: str
    default_enabled: bool
    order: int
    options: Mapping[str, Option]
    cls: type[Cleaner]
    source: str

    def create(self, options: Mapping[str, Any] | None = None, rules: Iterable[Rule] = ()) -> Cleaner:
        """Construct the cleaner with validated ``options``.

        Names the cleaner does not declare are an :class:`OptionError` before its ``build`` runs
        (which may take other keyword arguments, such as the boilerplate rules); anything else a
        constructor raises on the options is a :class:`ConfigError` naming the cleaner.
        """
        options = dict(options or {})
        self.cls.check_option_names(options)
        try:
            return self.cls.build(options, tuple(rules))
        except NewscleanError:
            raise
        except Exception as exc:
            raise ConfigError(f"cleaner {self.name!r} cannot be built with options {options}: "
                              f"{type(exc).__name__}: {exc}") from exc


@dataclass(frozen=True)
class PluginFailure:
    """A plugin that was skipped, and why."""

    plugin: str
    error: str


@dataclass(frozen=True)
class PluginInfo:
    """A plugin that loaded: its name, package (with version) and what it registered."""

    name: str
    package: str
    cleaners: tuple[str, ...]
    rules: int


def validate_cleaner_class(cls: Any, plugin: str) -> None:
    """Raise :class:`PluginError` unless ``cls`` is a well-formed cleaner class."""
    if not (isinstance(cls, type) and issubclass(cls, Cleaner)):
        raise PluginError(f"plugin {plugin!r} registered {cls!r}, which is not a newsclean.Cleaner subclass")
    if not isinstance(cls.name, str) or not _NAME.fullmatch(cls.name):
        raise PluginError(
            f"plugin {plugin!r}: cleaner {cls.__qualname__} has invalid name {cls.name!r} "
            "(use lower-case letters, digits, '_' and '-', starting with a letter)"
        )
    if not isinstance(cls.description, str) or not cls.description.strip():
        raise PluginError(f"plugin {plugin!r}: cleaner {cls.name!r} needs a one-line description")
    if cls.clean is Cleaner.clean:
        raise PluginError(f"plugin {plugin!r}: cleaner {cls.name!r} does not implement clean()")
    if not isinstance(cls.order, int) or isinstance(cls.order, bool):
        raise PluginError(f"plugin {plugin!r}: cleaner {cls.name!r} has non-integer order {cls.order!r}")
    for key, spec in cls.options.items():
        if not isinstance(spec, Option):
            raise PluginError(f"plugin {plugin!r}: option {cls.name}.{key} must be declared with newsclean.Option")


@dataclass
class Registry:
    """Cleaners by name, boilerplate rules, and the plugins they came from."""

    cleaners: dict[str, CleanerInfo] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    plugins: list[PluginInfo] = field(default_factory=list)
    failures: list[PluginFailure] = field(default_factory=list)

    def add_cleaner(self, cls: type[Cleaner], source: str) -> CleanerInfo:
        """Add ``cls`` from ``source``; a name already taken raises :class:`DuplicateCleanerError`."""
        validate_cleaner_class(cls, source)
        existing = self.cleaners.get(cls.name)
        if existing is not None:
            raise DuplicateCleanerError(
                f"cleaner name {cls.name!r} is registered twice: by {existing.source} "
                f"({existing.cls.__module__}.{existing.cls.__qualname__}) and by {source} "
                f"({cls.__module__}.{cls.__qualname__}); uninstall one of them or set "
                "NEWSCLEAN_LOAD_PLUGINS to the plugins you want"
            )
        info = CleanerInfo(
            name=cls.name,
            description=cls.description.strip(),
            default_enabled=bool(cls.default_enabled),
            order=cls.order,
            options=dict(cls.options),
            cls=cls,
            source=source,
        )
        self.cleaners[cls.name] = info
        return info

    def get(self, name: str) -> CleanerInfo:
        """The cleaner called ``name``; raises :class:`UnknownCleanerError` listing valid names."""
        try:
            return self.cleaners[name]
        except KeyError:
            raise UnknownCleanerError(name, self.cleaners) from None

    def create(self, name: str, options: Mapping[str, Any] | None = None) -> Cleaner:
        """A configured instance of cleaner ``name``."""
        return self.get(name).create(options, self.rules)

    def default_names(self) -> list[str]:
        """Names of the cleaners on by default, in default order."""
        return [info.name for info in self.in_order() if info.default_enabled]

    def in_order(self) -> list[CleanerInfo]:
        """Every cleaner, sorted by (order, name)."""
        return sorted(self.cleaners.values(), key=lambda info: (info.order, info.name))
