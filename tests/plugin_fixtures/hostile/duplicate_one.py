"""Hostile pair, first half: registers a cleaner called 'tilde'."""

from newsclean import Cleaner, hookimpl


class TildeOne(Cleaner):
    name = "tilde"
    description = "Remove tildes (first plugin)."

    def clean(self, text):
        return text.replace("~", "")


@hookimpl
def newsclean_register_cleaners(register):
    register(TildeOne)
