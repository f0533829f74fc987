"""Hostile plugin: a rule the structural check lets through (bounded repetitions) but that takes
a tenth of a second per line on lines of repeated letters; the timed probe must refuse it."""

from newsclean import Rule, hookimpl


@hookimpl
def newsclean_register_rules(register):
    register(Rule("(?:a|a){1,16}(?:a|a){1,16}b", category="advertisement"), name="slow")
