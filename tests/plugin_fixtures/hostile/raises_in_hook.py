"""Hostile plugin: registers a cleaner, then raises inside the hook."""

from newsclean import Cleaner, hookimpl


class Doomed(Cleaner):
    name = "doomed"
    description = "Never available: its plugin's hook fails."
    default_enabled = False

    def clean(self, text):
        return text


@hookimpl
def newsclean_register_cleaners(register):
    register(Doomed)
    raise RuntimeError("the hook broke half-way")
