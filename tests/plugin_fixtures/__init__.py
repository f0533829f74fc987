"""Small cleaners and plugins used by the engine tests, and :func:`install` for fake installed plugins.

``hostile/`` holds the sources of hostile plugins (one module or rule pack each: exits at import,
raises or exits in a hook, changes process-wide state, installs signal handlers, ships a
catastrophic or slow rule, registers a duplicate or a built-in name, targets an unsupported API
version); ``broken_cleaners.py`` holds cleaners the conformance kit must reject.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from newsclean import Cleaner, Option, hookimpl

HOSTILE = Path(__file__).with_name("hostile")


def install(
    site: Path,
    dist: str,
    *,
    plugins: dict[str, str] | None = None,
    rules: dict[str, str] | None = None,
    files: dict[str, str | Path] | None = None,
    version: str = "1.0",
) -> None:
    """Write an installed distribution called ``dist`` into the folder ``site`` (put it on sys.path).

    ``plugins`` are entry points of the ``newsclean`` group (name -> module), ``rules`` of the
    ``newsclean.rules`` group (name -> ``package:file.toml``); ``files`` maps paths inside ``site``
    (``"nc_mod.py"``, ``"nc_pack/rules.toml"``) to source text or to a file to copy (a
    :data:`HOSTILE` fixture).
    """
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
    lines = []
    for group, entries in (("newsclean", plugins), ("newsclean.rules", rules)):
        if entries:
            lines += [f"[{group}]", *(f"{name} = {target}" for name, target in entries.items()), ""]
    (info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")
    for relative, content in (files or {}).items():
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_text(textwrap.dedent(content), encoding="utf-8")


class Shout(Cleaner):
    """Upper-cases text (off by default; order 550)."""

    name = "shout"
    description = "Upper-case everything."
    default_enabled = False
    order = 550

    def clean(self, text: str) -> str:
        return text.upper()


class Strip(Cleaner):
    """Strips a configurable set of characters from both ends (order 150)."""

    name = "strip"
    description = "Strip characters from the ends."
    order = 150
    options = {"chars": Option(" ", "characters to strip")}

    def clean(self, text: str) -> str:
        return text.strip(self.chars)


class Exclaim(Cleaner):
    """Replaces '!' runs with one '.' (order 600)."""

    name = "exclaim"
    description = "Calm exclamation marks."
    order = 600

    def clean(self, text: str) -> str:
        import re

        return re.sub("!+", ".", text)


class Boom(Cleaner):
    """Raises on text containing 'boom' (used to test error reporting)."""

    name = "boom"
    description = "Raises on 'boom'."
    default_enabled = False
    order = 700

    def clean(self, text: str) -> str:
        if "boom" in text:
            raise RuntimeError("exploded on purpose")
        return text


class GoodPlugin:
    @hookimpl
    def newsclean_register_cleaners(self, register):
        register(Shout)
        register(Strip)
        register(Exclaim)
        register(Boom)


class DuplicatePlugin:
    @hookimpl
    def newsclean_register_cleaners(self, register):
        register(Shout)


class RaisingPlugin:
    @hookimpl
    def newsclean_register_cleaners(self, register):
        register(Shout)  # registered, then the hook fails: nothing of it may stay
        raise RuntimeError("plugin bug")


class MisspeltPlugin:
    @hookimpl
    def newsclean_register_cleanrs(self, register):  # typo: no such hook
        register(Shout)


class NotACleanerPlugin:
    @hookimpl
    def newsclean_register_cleaners(self, register):
        register(dict)


class RulesPlugin:
    def __init__(self, path):
        self.path = path

    @hookimpl
    def newsclean_register_rules(self, register):
        from newsclean import Rule

        register(Rule("watch the video", category="video"))
        register(self.path)


class DropPairs(Cleaner):
    """Removes 'ab' pairs (marked recheck: later cleaners can create new pairs)."""

    name = "droppairs"
    description = "Remove 'ab'."
    order = 120
    recheck = True

    def clean(self, text: str) -> str:
        return text.replace("ab", "")


class DropX(Cleaner):
    """Removes 'x', which can bring an 'a' and a 'b' together."""

    name = "dropx"
    description = "Remove 'x'."
    order = 130

    def clean(self, text: str) -> str:
        return text.replace("x", "")
