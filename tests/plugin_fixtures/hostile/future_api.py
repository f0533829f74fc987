"""Hostile plugin: written for a plugin API version newsclean does not support."""

from newsclean import Cleaner, hookimpl

NEWSCLEAN_API_VERSION = 99


class FromTheFuture(Cleaner):
    name = "future"
    description = "Needs plugin API 99."

    def clean(self, text):
        return text


@hookimpl
def newsclean_register_cleaners(register):
    register(FromTheFuture)
