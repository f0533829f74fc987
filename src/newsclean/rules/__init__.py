"""Boilerplate rules as data: :class:`Rule` and rule-pack loading.

A rule says "a line matching this pattern is site furniture of this
category".  Rules ship as TOML rule packs (``en.toml`` beside this module is
the built-in English pack) and plugins contribute more through the
``newsclean_register_rules`` hook, so a site-specific pack needs no code.

A rule pack::

    language = "en"                 # default for every rule in the file

    [[rule]]
    pattern = "advertisement"       # `regex` syntax, matched case-insensitively
    category = "advertisement"      # against the whole stripped line

    [[rule]]
    pattern = "(related|more from \\\\w{1,30})( stories| articles)?:?"
    category = "related"
    kind = "heading"                # starts a block of link lines

Patterns are matched case-insensitively against one line at a time, after
the line's surrounding whitespace is stripped and inner runs of whitespace
are collapsed to one space (so a pattern can use a literal ``" "``).  Use
``(?-i:...)`` for a case-sensitive part (``(?-i:\\p{Lu})`` for a capital).

Rule kinds:

- ``line``: the whole (stripped) line matches ``pattern`` → drop the line.
- ``prefix``: the line *starts* with ``pattern`` and is short (at most
  ``PREFIX_MAX_CHARS`` characters; e.g. ``Read more: …``) → drop it.
- ``suffix``: the line *ends* with ``pattern`` and is short (at most
  ``PREFIX_MAX_CHARS``; e.g. ``… All rights reserved.``) → drop it.
- ``heading``: the whole line is a heading that introduces a block of
  boilerplate (related links, most read, tags); the line is dropped and the
  short, headline-like lines that follow it go with it.
- ``item``: the whole line matches, but it is boilerplate only next to other
  boilerplate (a share bar's ``Facebook``, a menu's ``World``, a consent
  banner's ``Accept``): dropped when its previous or next non-blank line is
  dropped too, or when it is in a run of two or more such lines.  On its own
  between article lines it stays.

Lines longer than ``MAX_LINE_CHARS`` are never matched (no rule describes a
paragraph of that size), which also bounds the cost of every pattern.

Write patterns that cannot backtrack catastrophically: bounded repetition
(``.{0,120}``) or single-character-class repetition, and no nested
quantifiers such as ``(a+)+`` or ``(\\w+ )*``.  Rules from plugins and users
are checked when they are loaded (:mod:`newsclean.rules.safety`): a pattern
that can backtrack catastrophically is refused with a message naming it.

A rule pack is a named unit (:class:`RulePack`): the built-in packs are named
after their files (``en``, ``de``, ``fr``, ``es``), a plugin's pack after its
file, its entry point or the name it registers it under.  Besides ``language``
and ``[[rule]]`` tables, a pack file may say ``description = "..."``,
``default_enabled = false`` (the pack is used only when enabled by name) and
``api_version = 1``; each rule may list ``examples`` (lines it must remove)
and ``counterexamples`` (lines it must keep), which
:func:`newsclean.testing.check_rule_pack` checks.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import regex

from ..errors import ConfigError, suggest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "MAX_LINE_CHARS",
    "PACK_KEYS",
    "PREFIX_MAX_CHARS",
    "RULE_KEYS",
    "RULE_KINDS",
    "Rule",
    "RulePack",
    "RuleSummary",
    "anchored",
    "builtin_packs",
    "builtin_rules",
    "load_rule_pack",
    "normalise_line",
    "read_rule_pack",
    "rules_from_data",
]

RULE_KINDS = ("line", "prefix", "suffix", "heading", "item")
#: lines longer than this are never boilerplate
MAX_LINE_CHARS = 1000
#: a ``prefix`` or ``suffix`` rule only drops lines up to this length
PREFIX_MAX_CHARS = 300
#: the keys a rule-pack file may have at its top level
PACK_KEYS = ("language", "description", "default_enabled", "api_version", "rule")
#: the keys of one ``[[rule]]`` table
RULE_KEYS = ("pattern", "category", "language", "kind", "examples", "counterexamples")
_FLAGS = regex.IGNORECASE | regex.VERSION1


def anchored(pattern: str, kind: str) -> str:
    """``pattern`` as the boilerplate cleaner matches it with ``.match`` on a normalised line."""
    if kind == "prefix":
        return f"(?:{pattern})"
    if kind == "suffix":
        return f"(?r)(?:{pattern})\\Z"  # reverse: anchored at the line's end
    return f"(?:{pattern})\\Z"


@functools.lru_cache(maxsize=8192)
def compiled(pattern: str, kind: str) -> Any:
    """The compiled :func:`anchored` pattern (cached; the boilerplate engine compiles each rule
    alternative through it too)."""
    return regex.compile(anchored(pattern, kind), _FLAGS)


def normalise_line(line: str) -> str:
    """A line as rules see it: surrounding whitespace stripped, inner runs collapsed to one space."""
    return " ".join(line.split())


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule.

    ``pattern`` uses the `regex` module's syntax and is matched
    case-insensitively; ``category`` becomes the statistics key in explain
    mode; ``language`` is an ISO 639-1 code or ``"*"`` for every language;
    ``source`` names the plugin or file it came from (for error messages);
    ``pack`` is the name of the rule pack it belongs to (set when a pack is
    registered; it takes no part in comparisons).

    Constructing a rule checks its pattern: it must compile and must not be
    able to backtrack catastrophically (:mod:`newsclean.rules.safety`).
    """

    pattern: str
    category: str
    language: str = "en"
    kind: str = "line"
    source: str = ""
    pack: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        self._check_fields()
        self._check_pattern()

    @classmethod
    def _shipped(cls, pattern: str, category: str, language: str, kind: str, source: str, pack: str = "") -> Rule:
        """A rule from a pack inside this package: its fields are checked, but its pattern is
        not compiled here.  Compiling the ~100 shipped patterns took a third of the start-up
        time of the CLI and of the first ``newsclean.clean`` call, and the patterns of languages
        that are not switched on are never used; the tests compile and check every shipped
        pattern instead.  Rules from plugins and users' files are always checked at load."""
        rule = cls.__new__(cls)
        for name, value in (("pattern", pattern), ("category", category), ("language", language),
                            ("kind", kind), ("source", source), ("pack", pack)):
            object.__setattr__(rule, name, value)
        rule._check_fields()
        return rule

    @property
    def _where(self) -> str:
        return f" (from {self.source})" if self.source else ""

    def _check_fields(self) -> None:
        where = self._where
        if not isinstance(self.pattern, str) or not self.pattern:
            raise ConfigError(f"boilerplate rule{where} needs a non-empty string pattern, got {self.pattern!r}")
        if not isinstance(self.category, str) or not self.category:
            raise ConfigError(f"boilerplate rule {self.pattern!r}{where} needs a category")
        if self.kind not in RULE_KINDS:
            raise ConfigError(
                f"boilerplate rule {self.pattern!r}{where} has kind {self.kind!r}; valid kinds: {', '.join(RULE_KINDS)}"
            )
        if not isinstance(self.language, str) or not self.language:
            raise ConfigError(f"boilerplate rule {self.pattern!r}{where} needs a language code or '*'")

    def _check_pattern(self) -> None:
        from .safety import check_pattern

        try:
            compiled(self.pattern, self.kind)
        except regex.error as exc:
            raise ConfigError(f"boilerplate rule {self.pattern!r}{self._where} is not a valid pattern: {exc}") from None
        try:
            check_pattern(self.pattern, self.kind)
        except ConfigError as exc:
            raise ConfigError(f"{exc}{self._where}") from None

    def with_source(self, source: str) -> Rule:
        return self if self.source else replace(self, source=source)

    def in_pack(self, pack: str) -> Rule:
        """This rule as a member of the pack called ``pack`` (no check runs again)."""
        if self.pack == pack:
            return self
        rule = object.__new__(type(self))
        for name in ("pattern", "category", "language", "kind", "source"):
            object.__setattr__(rule, name, getattr(self, name))
        object.__setattr__(rule, "pack", pack)
        return rule

    def matches(self, line: str) -> bool:
        """Whether this rule alone says ``line`` is boilerplate (before any neighbour logic).

        The line is normalised (:func:`normalise_line`); lines longer than
        :data:`MAX_LINE_CHARS` (``prefix`` and ``suffix`` rules:
        :data:`PREFIX_MAX_CHARS`) never match.  ``heading`` and ``item`` rules
        match like ``line`` rules here; the cleaner adds their block logic.
        """
        text = normalise_line(line)
        limit = PREFIX_MAX_CHARS if self.kind in ("prefix", "suffix") else MAX_LINE_CHARS
        if not text or len(text) > limit:
            return False
        return compiled(self.pattern, self.kind).match(text) is not None


class RuleSummary:
    """``categories`` and ``languages`` of something with ``rules``."""

    rules: tuple[Rule, ...]

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({r.category for r in self.rules}))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({r.language for r in self.rules}))


@dataclass(frozen=True)
class RulePack(RuleSummary):
    """A named set of rules, as read from one TOML file or registered by a plugin.

    ``default_enabled`` says whether pipelines use the pack unless it is
    disabled by name; ``examples`` maps a rule's index to the lines it must
    remove and the lines it must keep (from the file's ``examples`` and
    ``counterexamples``, for :func:`newsclean.testing.check_rule_pack`).
    """

    name: str
    rules: tuple[Rule, ...]
    description: str = ""
    default_enabled: bool = True
    api_version: int | None = None
    source: str = ""
    examples: Mapping[int, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict, compare=False)



def rules_from_data(data: Mapping[str, Any], source: str, *, _shipped: bool = False) -> list[Rule]:
    """Build rules from a parsed rule pack (``{"language": ..., "rule": [...]}``)."""
    return list(pack_from_data(data, source, "", _shipped=_shipped).rules)


def pack_from_data(data: Mapping[str, Any], source: str, name: str, *, _shipped: bool = False) -> RulePack:
    """Build a :class:`RulePack` called ``name`` from a parsed rule-pack file; errors name ``source``."""
    unknown = sorted(set(data) - set(PACK_KEYS))
    if unknown:
        raise ConfigError(
            f"rule pack {source}: unknown key {unknown[0]!r}{suggest(unknown[0], PACK_KEYS)}; "
            f"valid keys: {', '.join(PACK_KEYS)}"
        )
    make = Rule._shipped if _shipped else Rule
    language = data.get("language", "en")
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise ConfigError(f"rule pack {source}: 'rule' must be an array of tables ([[rule]])")
    default_enabled = data.get("default_enabled", True)
    if not isinstance(default_enabled, bool):
        raise ConfigError(f"rule pack {source}: 'default_enabled' must be true or false, got {default_enabled!r}")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ConfigError(f"rule pack {source}: 'description' must be a string")
    api_version = data.get("api_version")
    if api_version is not None and (not isinstance(api_version, int) or isinstance(api_version, bool)):
        raise ConfigError(f"rule pack {source}: 'api_version' must be an integer, got {api_version!r}")
    rules = []
    examples: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for number, entry in enumerate(entries, 1):
        where = f"rule pack {source}: rule #{number}"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{where} is not a table")
        unknown = sorted(set(entry) - set(RULE_KEYS))
        if unknown:
            raise ConfigError(
                f"{where} has unknown key {unknown[0]!r}{suggest(unknown[0], RULE_KEYS)}; "
                f"valid keys: {', '.join(RULE_KEYS)}"
            )
        lines = []
        for key in ("examples", "counterexamples"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: {key!r} must be a list of strings")
            lines.append(tuple(value))
        if any(lines):
            examples[number - 1] = (lines[0], lines[1])
        try:
            rule = make(
                pattern=entry.get("pattern", ""),
                category=entry.get("category", ""),
                language=entry.get("language", language),
                kind=entry.get("kind", "line"),
                source=source,
            )
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        rules.append(rule.in_pack(name) if name else rule)
    return RulePack(name, tuple(rules), description, default_enabled, api_version, source, examples)


def read_rule_pack(path: str | Path | Traversable, name: str | None = None) -> RulePack:
    """Read the TOML rule pack at ``path`` (a file or a package resource) as a :class:`RulePack`.

    ``name`` defaults to the file's name without ``.toml``.  Errors name the file.
    """
    return _read(path, name or Path(str(getattr(path, "name", path))).stem, _shipped=False)


def _read(path: str | Path | Traversable, name: str, *, _shipped: bool) -> RulePack:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8") if not isinstance(path, str) else Path(path).read_text("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read rule pack {source}: {exc}") from None
    return pack_from_data(data, source, name, _shipped=_shipped)


def load_rule_pack(path: str | Path) -> list[Rule]:
    """Read a TOML rule pack from ``path``; errors name the file."""
    return list(read_rule_pack(path).rules)


_BUILTIN: tuple[RulePack, ...] | None = None


def builtin_packs() -> list[RulePack]:
    """The rule packs shipped inside this package (``*.toml`` beside this module), by file name.

    The packs are read once per process; their patterns are checked by the tests, not at load.
    """
    global _BUILTIN
    if _BUILTIN is None:
        packs = []
        folder = resources.files(__name__)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                data = tomllib.loads(entry.read_text(encoding="utf-8"))
                name = entry.name[: -len(".toml")]
                packs.append(pack_from_data(data, f"newsclean/rules/{entry.name}", name, _shipped=True))
        _BUILTIN = tuple(packs)
    return list(_BUILTIN)


def builtin_rules() -> list[Rule]:
    """Every rule of every pack shipped inside this package; each call returns a new list."""
    return [rule for pack in builtin_packs() for rule in pack.rules]
