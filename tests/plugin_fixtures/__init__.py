"""Small cleaners and plugins used by the engine tests."""

from __future__ import annotations

from newsclean import Cleaner, Option, hookimpl


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
