"""Hostile plugin: calls sys.exit() inside a hook."""

import sys

from newsclean import hookimpl


@hookimpl
def newsclean_register_rules(register):
    sys.exit("giving up")
