"""Plugin discovery and loading.

The built-in cleaners are the first plugin (:mod:`newsclean.builtins`); third
party plugins are found through the ``newsclean`` entry-point group.  Loading
happens lazily, the first time a registry is needed, and each plugin is
loaded in isolation: a plugin that fails to import, implements a misspelt
hook, raises inside a hook or registers a duplicate cleaner name is skipped
with a :class:`~newsclean.errors.PluginLoadWarning` naming it, and everything
it registered is discarded.  Strict mode turns that warning into a
:class:`~newsclean.errors.PluginError`.

Environment variables:

``NEWSCLEAN_LOAD_PLUGINS``
    Comma-separated entry-point names to load; any other installed plugin is
    ignored.  Set it to an empty string to load no third-party plugin at all
    (the built-ins always load).  This rescues you from a broken plugin.
``NEWSCLEAN_STRICT_PLUGINS``
    ``1`` makes any plugin failure fatal.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import pluggy

from . import hookspecs
from .errors import PluginError, PluginLoadWarning
from .registry import PluginFailure, PluginInfo, Registry
from .rules import Rule, load_rule_pack

__all__ = ["ENTRY_POINT_GROUP", "get_registry", "load_registry", "make_plugin_manager", "reset_registry"]

ENTRY_POINT_GROUP = "newsclean"
BUILTIN_PLUGIN = "newsclean.builtins"

_lock = threading.Lock()
_registry: Registry | None = None


def make_plugin_manager() -> pluggy.PluginManager:
    """A plugin manager that knows newsclean's hook specifications."""
    pm = pluggy.PluginManager("newsclean")
    pm.add_hookspecs(hookspecs)
    return pm


def _env_allowlist() -> set[str] | None:
    value = os.environ.get("NEWSCLEAN_LOAD_PLUGINS")
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _env_strict() -> bool:
    return os.environ.get("NEWSCLEAN_STRICT_PLUGINS", "").strip().lower() in {"1", "true", "yes", "on"}


def _entry_points() -> list[tuple[str, str, Callable[[], Any]]]:
    found = []
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        package = f"{dist.name} {dist.version}" if dist is not None else ep.value
        found.append((ep.name, package, ep.load))
    return sorted(found, key=lambda item: item[0])


def load_registry(
    plugins: Iterable[tuple[str, object]] = (),
    *,
    entry_points: bool = True,
    strict: bool | None = None,
) -> Registry:
    """Build a fresh :class:`Registry`.

    ``plugins`` are extra ``(name, plugin_object)`` pairs registered after the
    built-ins and before entry points (handy in tests).  ``entry_points=False``
    skips third-party discovery.  ``strict`` defaults to ``NEWSCLEAN_STRICT_PLUGINS``.
    """
    from . import builtins

    strict = _env_strict() if strict is None else strict
    registry = Registry()
    pm = make_plugin_manager()
    candidates: list[tuple[str, str, Callable[[], Any]]] = [(BUILTIN_PLUGIN, "newsclean (built-in)", lambda: builtins)]
    candidates += [(name, f"plugin {name}", (lambda obj=obj: obj)) for name, obj in plugins]
    if entry_points:
        allow = _env_allowlist()
        candidates += [c for c in _entry_points() if allow is None or c[0] in allow]
    for name, package, load in candidates:
        try:
            _load_one(pm, registry, name, package, load)
        except Exception as exc:
            if name == BUILTIN_PLUGIN:
                raise
            message = f"newsclean plugin {name!r} ({package}) was not loaded: {type(exc).__name__}: {exc}"
            registry.failures.append(PluginFailure(name, message))
            if strict:
                if isinstance(exc, PluginError):
                    raise
                raise PluginError(message) from exc
            warnings.warn(message, PluginLoadWarning, stacklevel=2)
    return registry


def _load_one(
    pm: pluggy.PluginManager, registry: Registry, name: str, package: str, load: Callable[[], Any]
) -> None:
    plugin = load()
    pm.register(plugin, name=name)
    try:
        pm.check_pending()
        cleaners: list[type[Any]] = []
        rules: list[Rule] = []
        _call(pm, "newsclean_register_cleaners", plugin, cleaners.append)
        _call(pm, "newsclean_register_rules", plugin, lambda item: rules.extend(_as_rules(item, name)))
        # Only commit once the whole plugin succeeded, so a failure leaves no trace.
        staged = Registry(cleaners=dict(registry.cleaners))
        for cls in cleaners:
            staged.add_cleaner(cls, package)
    except Exception:
        pm.unregister(plugin)
        raise
    registry.cleaners = staged.cleaners
    registry.rules.extend(rules)
    registry.plugins.append(PluginInfo(name, package, tuple(getattr(c, "name", "?") for c in cleaners), len(rules)))


def _call(pm: pluggy.PluginManager, hook_name: str, plugin: object, register: Callable[[Any], None]) -> None:
    hook = getattr(pm.hook, hook_name)
    for impl in hook.get_hookimpls():
        if impl.plugin is not plugin:
            continue
        kwargs = {"register": register}
        impl.function(**{arg: kwargs[arg] for arg in impl.argnames})


def _as_rules(item: Any, plugin: str) -> list[Rule]:
    if isinstance(item, Rule):
        return [item.with_source(plugin)]
    if isinstance(item, (str, Path)):
        return load_rule_pack(item)
    if isinstance(item, (list, tuple)):
        return [rule for sub in item for rule in _as_rules(sub, plugin)]
    raise PluginError(
        f"plugin {plugin!r} registered {item!r} as a rule; expected a Rule, a list of Rules or a TOML path"
    )


def get_registry() -> Registry:
    """The process-wide registry, loaded on first use (thread-safe)."""
    global _registry
    if _registry is None:
        with _lock:
            if _registry is None:
                _registry = load_registry()
    return _registry


def reset_registry(registry: Registry | None = None) -> None:
    """Forget the cached registry (or install ``registry``); the next use reloads plugins."""
    global _registry
    with _lock:
        _registry = registry
    from . import api

    api.clear_cache()

