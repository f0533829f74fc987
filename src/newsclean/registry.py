"""The registry: every available cleaner and rule pack by name, with the plugin each came from.

A :class:`Registry` is built once by :mod:`newsclean.plugins` and then only
read.  Looking up an unknown name raises :class:`~newsclean.errors.UnknownCleanerError`
(or :class:`~newsclean.errors.UnknownRulePackError`) with the closest valid
names and the plugins that failed to load.

Duplicate names: a built-in name belongs to newsclean, and a plugin that
registers one is not loaded.  When two plugins register the same cleaner (or
rule-pack) name, *neither* is used: the name is recorded in
:attr:`Registry.conflicts`, every run warns about it, and using the name is a
:class:`~newsclean.errors.DuplicateCleanerError` naming both packages.  Choose
one with ``NEWSCLEAN_LOAD_PLUGINS`` or uninstall the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .cleaner import Cleaner, Option
from .errors import (
    ConfigError,
    DuplicateCleanerError,
    DuplicateRulePackError,
    NewscleanError,
    PluginError,
    UnknownCleanerError,
    UnknownNameError,
    UnknownRulePackError,
)
from .rules import Rule, RulePack, RuleSummary

__all__ = ["CleanerInfo", "Conflict", "Origin", "PluginFailure", "PluginInfo", "Registry", "RulePackInfo"]

_NAME = re.compile(r"[a-z][a-z0-9_]*(-[a-z0-9_]+)*")


@dataclass(frozen=True)
class Origin:
    """Where a cleaner or rule pack came from.

    ``plugin`` is the entry point's name (``"builtins"`` for newsclean's own);
    ``package`` and ``version`` are the distribution's (empty for a plugin
    object handed to :func:`~newsclean.plugins.load_registry`);
    ``api_version`` is the plugin API version the plugin declares it targets,
    ``None`` when it declares none.
    """

    plugin: str
    package: str = ""
    version: str = ""
    api_version: int | None = None
    builtin: bool = False

    @property
    def label(self) -> str:
        """``"newsclean-datelines 0.1.0"``, ``"newsclean (built-in)"`` or ``"plugin NAME"``."""
        if self.builtin:
            return "newsclean (built-in)"
        if self.package:
            return f"{self.package} {self.version}".strip()
        return f"plugin {self.plugin}"

    @property
    def spec(self) -> str:
        """How ``NEWSCLEAN_LOAD_PLUGINS`` names this plugin: ``package:entry-point``."""
        return f"{self.package}:{self.plugin}" if self.package else self.plugin

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class CleanerInfo:
    """What the registry knows about one cleaner class."""

    name: str
    description: str
    default_enabled: bool
    order: int
    options: Mapping[str, Option]
    cls: type[Cleaner]
    origin: Origin

    @property
    def source(self) -> str:
        """The package it came from, with its version (``"newsclean (built-in)"`` for built-ins)."""
        return self.origin.label

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
class RulePackInfo(RuleSummary):
    """What the registry knows about one rule pack."""

    name: str
    description: str
    default_enabled: bool
    rules: tuple[Rule, ...]
    origin: Origin
    path: str = ""
    #: lines each rule must remove and keep, by rule index (see :class:`~newsclean.rules.RulePack`)
    examples: Mapping[int, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict, compare=False)

    @property
    def source(self) -> str:
        return self.origin.label


@dataclass(frozen=True)
class PluginFailure:
    """A plugin that was skipped, and why (``traceback`` is the full Python traceback)."""

    plugin: str
    error: str
    traceback: str = ""


@dataclass(frozen=True)
class PluginInfo:
    """A plugin that loaded: where it came from and what it registered."""

    name: str
    origin: Origin
    cleaners: tuple[str, ...]
    rule_packs: tuple[str, ...]

    @property
    def package(self) -> str:
        return self.origin.label


@dataclass(frozen=True)
class Conflict:
    """A cleaner or rule-pack name registered by more than one plugin; none of them is used."""

    kind: str  # "cleaner" or "rule pack"
    name: str
    origins: tuple[Origin, ...]

    @property
    def message(self) -> str:
        who = " and by ".join(o.label + (f" (entry point {o.plugin!r})" if o.package else "") for o in self.origins)
        packages = [o.package for o in self.origins if o.package]
        choose = f"e.g. NEWSCLEAN_LOAD_PLUGINS={packages[0]}" if packages else "NEWSCLEAN_LOAD_PLUGINS"
        return (
            f"{self.kind} name {self.name!r} is registered by {who}, so neither is used; "
            f"uninstall one, or choose the plugins to load with {choose}"
        )

    def error(self) -> PluginError:
        """The exception using the name raises."""
        cls = DuplicateCleanerError if self.kind == "cleaner" else DuplicateRulePackError
        return cls(self.message)


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
        if isinstance(spec.default, (list, dict, set)):
            raise PluginError(
                f"plugin {plugin!r}: option {cls.name}.{key} has a mutable default {spec.default!r}; "
                "use a tuple (or frozenset): cleaners are immutable and shared"
            )


def validate_pack_name(name: str, plugin: str) -> None:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise PluginError(
            f"plugin {plugin!r}: rule pack name {name!r} is not valid "
            "(use lower-case letters, digits, '_' and '-', starting with a letter)"
        )


@dataclass
class Registry:
    """Cleaners and rule packs by name, the plugins they came from, and what failed to load."""

    cleaners: dict[str, CleanerInfo] = field(default_factory=dict)
    packs: dict[str, RulePackInfo] = field(default_factory=dict)
    plugins: list[PluginInfo] = field(default_factory=list)
    failures: list[PluginFailure] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    # -- building (used by newsclean.plugins) ---------------------------------------------------------

    def add_cleaner(self, cls: type[Cleaner], origin: Origin | str) -> CleanerInfo | None:
        """Add ``cls``; returns its info, or None when the name is now contested by two plugins.

        A name taken by a built-in raises :class:`DuplicateCleanerError`.
        """
        origin = origin if isinstance(origin, Origin) else Origin(origin)
        validate_cleaner_class(cls, origin.plugin)
        info = CleanerInfo(
            name=cls.name,
            description=cls.description.strip(),
            default_enabled=bool(cls.default_enabled),
            order=cls.order,
            options=dict(cls.options),
            cls=cls,
            origin=origin,
        )
        return self._add("cleaner", self.cleaners, info, DuplicateCleanerError,
                         lambda i: f"{i.cls.__module__}.{i.cls.__qualname__}")

    def add_pack(self, pack: RulePack, origin: Origin) -> RulePackInfo | None:
        """Add ``pack``; returns its info, or None when the name is now contested by two plugins."""
        validate_pack_name(pack.name, origin.plugin)
        info = RulePackInfo(
            name=pack.name,
            description=pack.description,
            default_enabled=pack.default_enabled,
            rules=tuple(rule.in_pack(pack.name) for rule in pack.rules),
            origin=origin,
            path=pack.source,
            examples=pack.examples,
        )
        return self._add("rule pack", self.packs, info, DuplicateRulePackError, lambda i: i.path or "rules")

    def _add(self, kind: str, table: dict[str, Any], info: Any, error: type[PluginError], where: Any) -> Any:
        name = info.name
        for conflict in self.conflicts:
            if conflict.kind == kind and conflict.name == name:
                index = self.conflicts.index(conflict)
                self.conflicts[index] = Conflict(kind, name, (*conflict.origins, info.origin))
                return None
        existing = table.get(name)
        if existing is None:
            table[name] = info
            return info
        if existing.origin.builtin or info.origin.builtin:
            raise error(
                f"{kind} name {name!r} belongs to newsclean's built-in {kind} ({where(existing)}); "
                f"{info.origin.label} ({where(info)}) must choose another name"
            )
        del table[name]
        self.conflicts.append(Conflict(kind, name, (existing.origin, info.origin)))
        return None

    # -- lookups ------------------------------------------------------------------------------------

    def get(self, name: str) -> CleanerInfo:
        """The cleaner called ``name``; raises :class:`UnknownCleanerError` listing valid names."""
        return self._lookup("cleaner", self.cleaners, name, UnknownCleanerError)  # type: ignore[no-any-return]

    def get_pack(self, name: str) -> RulePackInfo:
        """The rule pack called ``name``; raises :class:`UnknownRulePackError` listing valid names."""
        return self._lookup("rule pack", self.packs, name, UnknownRulePackError)  # type: ignore[no-any-return]

    def _lookup(self, kind: str, table: Mapping[str, Any], name: str, unknown: type[UnknownNameError]) -> Any:
        try:
            return table[name]
        except KeyError:
            conflict = next((c for c in self.conflicts if c.kind == kind and c.name == name), None)
            if conflict is not None:
                raise conflict.error() from None
            raise unknown(name, table, [failure.error for failure in self.failures]) from None

    def create(
        self, name: str, options: Mapping[str, Any] | None = None, rules: Iterable[Rule] | None = None
    ) -> Cleaner:
        """A configured instance of cleaner ``name`` (with the default rule packs' rules unless ``rules``)."""
        return self.get(name).create(options, self.rules if rules is None else rules)

    def default_names(self) -> list[str]:
        """Names of the cleaners on by default, in default order."""
        return [info.name for info in self.in_order() if info.default_enabled]

    def in_order(self) -> list[CleanerInfo]:
        """Every cleaner, sorted by (order, name)."""
        return sorted(self.cleaners.values(), key=lambda info: (info.order, info.name))

    def pack_names(self, enable: Iterable[str] = (), disable: Iterable[str] = ()) -> list[str]:
        """The rule packs in use: those on by default plus ``enable``, minus ``disable`` (names checked)."""
        enable, disable = list(enable), list(disable)
        for name in enable + disable:
            self.get_pack(name)
        both = sorted(set(enable) & set(disable))
        if both:
            raise ConfigError(f"rule pack {both[0]!r} is both enabled and disabled")
        return [
            name for name, info in self.packs.items()
            if (info.default_enabled or name in enable) and name not in disable
        ]

    def rules_for(self, enable: Iterable[str] = (), disable: Iterable[str] = ()) -> list[Rule]:
        """The rules of the packs :meth:`pack_names` chooses, in registration order."""
        return [rule for name in self.pack_names(enable, disable) for rule in self.packs[name].rules]

    @property
    def rules(self) -> list[Rule]:
        """The rules of the rule packs on by default (what :meth:`Pipeline.default` uses)."""
        return self.rules_for()
