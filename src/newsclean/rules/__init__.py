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
quantifiers such as ``(a+)+`` or ``(\\w+ )*``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from ..errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "MAX_LINE_CHARS",
    "PREFIX_MAX_CHARS",
    "RULE_KINDS",
    "Rule",
    "builtin_rules",
    "load_rule_pack",
    "rules_from_data",
]

RULE_KINDS = ("line", "prefix", "suffix", "heading", "item")
#: lines longer than this are never boilerplate
MAX_LINE_CHARS = 1000
#: a ``prefix`` or ``suffix`` rule only drops lines up to this length
PREFIX_MAX_CHARS = 300


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule.

    ``pattern`` uses the `regex` module's syntax and is matched
    case-insensitively; ``category`` becomes the statistics key in explain
    mode; ``language`` is an ISO 639-1 code or ``"*"`` for every language;
    ``source`` names the plugin or file it came from (for error messages).
    """

    pattern: str
    category: str
    language: str = "en"
    kind: str = "line"
    source: str = ""

    def __post_init__(self) -> None:
        self._check_fields()
        self._check_pattern()

    @classmethod
    def _shipped(cls, pattern: str, category: str, language: str, kind: str, source: str) -> Rule:
        """A rule from a pack inside this package: its fields are checked, but its pattern is
        not compiled here.  Compiling the ~100 shipped patterns took a third of the start-up
        time of the CLI and of the first ``newsclean.clean`` call, and the patterns of languages
        that are not switched on are never used; ``tests/test_boilerplate.py`` compiles every shipped
        pattern instead.  Rules from plugins and users' files are always compiled at load."""
        rule = cls.__new__(cls)
        for name, value in (("pattern", pattern), ("category", category), ("language", language),
                            ("kind", kind), ("source", source)):
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

    def _check_pattern(self) -> None:
        try:
            regex.compile(self.pattern, regex.IGNORECASE | regex.VERSION1)
        except regex.error as exc:
            raise ConfigError(f"boilerplate rule {self.pattern!r}{self._where} is not a valid pattern: {exc}") from None

    def with_source(self, source: str) -> Rule:
        return self if self.source else replace(self, source=source)


def rules_from_data(data: Mapping[str, Any], source: str, *, _shipped: bool = False) -> list[Rule]:
    """Build rules from a parsed rule pack (``{"language": ..., "rule": [...]}``)."""
    make = Rule._shipped if _shipped else Rule
    language = data.get("language", "en")
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise ConfigError(f"rule pack {source}: 'rule' must be an array of tables ([[rule]])")
    rules = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, Mapping):
            raise ConfigError(f"rule pack {source}: rule #{number} is not a table")
        unknown = set(entry) - {"pattern", "category", "language", "kind"}
        if unknown:
            raise ConfigError(f"rule pack {source}: rule #{number} has unknown keys {sorted(unknown)}")
        try:
            rules.append(make(
                pattern=entry.get("pattern", ""),
                category=entry.get("category", ""),
                language=entry.get("language", language),
                kind=entry.get("kind", "line"),
                source=source,
            ))
        except ConfigError as exc:
            raise ConfigError(f"rule pack {source}: rule #{number}: {exc}") from None
    return rules


def load_rule_pack(path: str | Path) -> list[Rule]:
    """Read a TOML rule pack from ``path``; errors name the file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read rule pack {path}: {exc}") from None
    return rules_from_data(data, str(path))


_BUILTIN: tuple[Rule, ...] | None = None


def builtin_rules() -> list[Rule]:
    """Every rule pack shipped inside this package (``*.toml`` beside this module).

    The packs are read once per process; each call returns a new list.
    """
    global _BUILTIN
    if _BUILTIN is None:
        rules: list[Rule] = []
        folder = resources.files(__name__)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                data = tomllib.loads(entry.read_text(encoding="utf-8"))
                rules.extend(rules_from_data(data, f"newsclean/rules/{entry.name}", _shipped=True))
        _BUILTIN = tuple(rules)
    return list(_BUILTIN)

