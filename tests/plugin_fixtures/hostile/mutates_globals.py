"""Hostile plugin: changes process-wide state while it is imported, then registers a good cleaner.

It turns every warning into an exception (which would make the next broken plugin crash newsclean),
moves to another working folder (relative output paths would land there) and swallows standard output.
"""

import io
import os
import sys
import tempfile
import warnings

from newsclean import Cleaner, hookimpl

warnings.simplefilter("error")
os.chdir(tempfile.gettempdir())
sys.stdout = io.StringIO()


class Tame(Cleaner):
    name = "tame"
    description = "Replace tildes with hyphens."
    default_enabled = False

    def clean(self, text):
        return text.replace("~", "-")


@hookimpl
def newsclean_register_cleaners(register):
    os.chdir("/")  # and once more from inside the hook
    register(Tame)
