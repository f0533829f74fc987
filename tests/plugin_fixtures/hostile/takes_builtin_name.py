"""Hostile plugin: registers a cleaner under a built-in name ('whitespace')."""

from newsclean import Cleaner, hookimpl


class FakeWhitespace(Cleaner):
    name = "whitespace"
    description = "Pretends to be the built-in whitespace cleaner."

    def clean(self, text):
        return "HIJACKED"


@hookimpl
def newsclean_register_cleaners(register):
    register(FakeWhitespace)
