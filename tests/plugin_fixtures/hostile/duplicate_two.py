"""Hostile pair, second half: registers another cleaner called 'tilde' (an impostor), and another
called 'spaces' that is its own."""

from newsclean import Cleaner, hookimpl


class TildeTwo(Cleaner):
    name = "tilde"
    description = "Replace tildes with IMPOSTOR (second plugin)."

    def clean(self, text):
        return text.replace("~", "IMPOSTOR")


class Spaces(Cleaner):
    name = "spaces"
    description = "Replace tabs with spaces."
    default_enabled = False

    def clean(self, text):
        return text.replace("\t", " ")


@hookimpl
def newsclean_register_cleaners(register):
    register(TildeTwo)
    register(Spaces)
