"""The hook specifications a newsclean plugin can implement.

Hooks are discovered with pluggy under the project name ``newsclean``.  A
plugin is a module (or object) with functions decorated by
:data:`newsclean.hookimpl`, exposed through an entry point in the
``newsclean`` group::

    [project.entry-points.newsclean]
    datelines = "newsclean_datelines"

A rule pack needs no hook at all: an entry point in the ``newsclean.rules``
group names a TOML file inside a package (``outlets =
"newsclean_outlets:outlets.toml"``).

Hook implementations may accept a subset of the documented arguments, so new
arguments can be added without breaking existing plugins.  A function whose
name starts with ``newsclean_`` but matches no hook below is an error (it
would otherwise be silently ignored): the plugin is skipped with a warning.

Hooks are called once, when the registry is first needed (the first
``Pipeline`` or ``newsclean.clean`` call), never per document.

A plugin may declare the plugin API version it was written for with a
module attribute ``NEWSCLEAN_API_VERSION = 1`` (a data-only rule pack: a
top-level ``api_version = 1``).  A plugin declaring a version this newsclean
does not support (:data:`SUPPORTED_API_VERSIONS`) is refused with a message
naming the supported versions; a plugin declaring none is assumed to target
:data:`API_VERSION`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

__all__ = [
    "API_VERSION",
    "SUPPORTED_API_VERSIONS",
    "hookimpl",
    "hookspec",
    "newsclean_register_cleaners",
    "newsclean_register_rules",
]

#: The plugin API version of this newsclean: the hooks below, the :class:`~newsclean.Cleaner`
#: and :class:`~newsclean.Option` attributes plugins use, the rule-pack format and
#: :mod:`newsclean.testing`.  It changes only when one of them changes incompatibly.
API_VERSION = 1
#: The plugin API versions this newsclean loads plugins for.
SUPPORTED_API_VERSIONS: tuple[int, ...] = (1,)

hookspec = pluggy.HookspecMarker("newsclean")
hookimpl = pluggy.HookimplMarker("newsclean")


@hookspec
def newsclean_register_cleaners(register: Callable[[type[Any]], None]) -> None:
    """Register the cleaners a plugin provides.

    Called once per plugin when newsclean builds its registry.  Call
    ``register(CleanerClass)`` for each :class:`newsclean.Cleaner` subclass
    the plugin provides.  Its ``name`` must not be a built-in's (the plugin
    is then not loaded); a name that two plugins register is used by neither
    (each run warns, and using it raises
    :class:`~newsclean.errors.DuplicateCleanerError` naming both packages).
    Returns nothing.

    Example::

        @hookimpl
        def newsclean_register_cleaners(register):
            register(DatelineCleaner)
    """


@hookspec
def newsclean_register_rules(register: Callable[..., None]) -> None:
    """Contribute boilerplate rules as data.

    Called once per plugin when newsclean builds its registry.  Call
    ``register(item, *, name=None, default_enabled=None, description=None)``
    where ``item`` is a :class:`newsclean.Rule`, a list of them, a
    :class:`newsclean.RulePack` or the path of a TOML rule pack (see
    :mod:`newsclean.rules`).  Each call adds to a named rule pack: ``name``
    defaults to the file's name without ``.toml`` (for a path) or to the
    plugin's entry-point name (for rules); calls with the same name make one
    pack.  ``default_enabled`` and ``description`` override the file's.  A
    pack on by default gives its rules to the ``boilerplate`` cleaner of every
    pipeline that does not disable it by name; one that is off is used only
    when enabled by name.  Every rule's pattern is checked (it must compile
    and must not backtrack catastrophically), or the plugin is not loaded.
    Returns nothing.

    Example::

        @hookimpl
        def newsclean_register_rules(register):
            register(Path(__file__).with_name("mysite.toml"))          # the pack "mysite"
            register(Rule(r"watch: .{0,80}", category="video", kind="prefix"), name="video",
                     default_enabled=False)
    """
