"""Hostile plugin: ignores Ctrl-C and SIGTERM from the moment it is imported.

If NC_HOSTILE_MARKER names a file, it is created once the handlers are installed (tests wait for it).
"""

import os
import signal
from pathlib import Path

from newsclean import Cleaner, hookimpl

signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
if os.environ.get("NC_HOSTILE_MARKER"):
    Path(os.environ["NC_HOSTILE_MARKER"]).touch()


class Deaf(Cleaner):
    name = "deaf"
    description = "Does nothing, but ignored signals when it was imported."
    default_enabled = False

    def clean(self, text):
        return text


@hookimpl
def newsclean_register_cleaners(register):
    register(Deaf)
