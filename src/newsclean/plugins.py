"""Plugin discovery and loading.

The built-in cleaners and rule packs are the first plugin
(:mod:`newsclean.builtins`); third-party plugins are found through two
entry-point groups:

``newsclean``
    a module (or object) implementing the hooks of :mod:`newsclean.hookspecs`;
``newsclean.rules``
    a data-only rule pack: ``NAME = "package:file.toml"`` names a TOML file
    inside an installed package, which becomes the rule pack ``NAME``.

Loading happens lazily, the first time a registry is needed, and each plugin
is loaded in isolation: a plugin that fails to import (any exception, and
``sys.exit()`` too), declares a plugin API version this newsclean does not
support, implements a misspelt hook, raises inside a hook, registers
something invalid or a catastrophic rule, or takes a built-in name is skipped
with a :class:`~newsclean.errors.PluginLoadWarning` naming it, and everything
it registered is discarded.  Strict mode turns that warning into a
:class:`~newsclean.errors.PluginError`.  Signal handlers, the standard
streams, the working folder and the warning filters a plugin changes while
it loads are put back (with a warning), so a plugin cannot stop Ctrl-C from
working or redirect newsclean's output.  A cleaner or rule-pack name
registered by two plugins is used by neither (see :mod:`newsclean.registry`).

Environment variables:

``NEWSCLEAN_LOAD_PLUGINS``
    Comma-separated plugin *packages* to load (distribution names as pip
    knows them, ``newsclean-datelines``), or single entry points as
    ``package:entry-point``; every other installed plugin is ignored.  An
    empty value loads no third-party plugin (the built-ins always load).
    This rescues you from a broken plugin and chooses between two plugins
    that register the same name.
``NEWSCLEAN_STRICT_PLUGINS``
    ``1`` makes any plugin failure fatal.
``NEWSCLEAN_DEBUG``
    ``1`` adds the full traceback to the warning about a plugin that failed.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import pluggy

from . import hookspecs
from .errors import NewscleanError, PluginError, PluginLoadWarning, suggest
from .registry import Origin, PluginFailure, PluginInfo, Registry
from .rules import Rule, RulePack, read_rule_pack

__all__ = [
    "BUILTIN_PLUGIN",
    "ENTRY_POINT_GROUP",
    "ENTRY_POINT_GROUPS",
    "RULES_ENTRY_POINT_GROUP",
    "get_registry",
    "load_registry",
    "make_plugin_manager",
    "reset_registry",
]

ENTRY_POINT_GROUP = "newsclean"
RULES_ENTRY_POINT_GROUP = "newsclean.rules"
#: every entry-point group newsclean reads, each documented in docs/plugins.md
ENTRY_POINT_GROUPS = (ENTRY_POINT_GROUP, RULES_ENTRY_POINT_GROUP)
BUILTIN_PLUGIN = "newsclean.builtins"

_TRUE = {"1", "true", "yes", "on"}
_lock = threading.RLock()
_state = threading.local()
_registry: Registry | None = None


def make_plugin_manager() -> pluggy.PluginManager:
    """A plugin manager that knows newsclean's hook specifications."""
    pm = pluggy.PluginManager("newsclean")
    pm.add_hookspecs(hookspecs)
    return pm


def _env_allowlist() -> list[str] | None:
    value = os.environ.get("NEWSCLEAN_LOAD_PLUGINS")
    if value is None:
        return None
    return [name.strip() for name in value.split(",") if name.strip()]


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def debug_enabled() -> bool:
    """Whether ``NEWSCLEAN_DEBUG`` asks for full tracebacks."""
    return _env_flag("NEWSCLEAN_DEBUG")


def _normalise(package: str) -> str:
    return re.sub(r"[-_.]+", "-", package).lower()


@dataclass(frozen=True)
class _Candidate:
    """A plugin to load: its name, where it comes from, and how to get it."""

    name: str
    origin: Origin
    load: Callable[[], Any]
    group: str = ENTRY_POINT_GROUP
    value: str = ""

    @property
    def label(self) -> str:
        return f"plugin {self.name!r} ({self.origin.label})" if self.origin.package else f"plugin {self.name!r}"

    @property
    def key(self) -> str:
        """Its name in the plugin manager."""
        return f"{self.group}:{self.origin.spec}"


def _entry_points() -> list[_Candidate]:
    found: dict[tuple[str, str, str], _Candidate] = {}
    for group in ENTRY_POINT_GROUPS:
        for ep in metadata.entry_points(group=group):
            dist = getattr(ep, "dist", None)
            package = dist.metadata["Name"] if dist is not None else ""
            version = dist.version if dist is not None else ""
            origin = Origin(ep.name, package or "", version or "")
            key = (_normalise(origin.package), group, ep.name)
            found.setdefault(key, _Candidate(ep.name, origin, ep.load, group, ep.value))
    return [found[key] for key in sorted(found)]


def _select(candidates: list[_Candidate], allow: list[str]) -> list[_Candidate]:
    """The candidates ``NEWSCLEAN_LOAD_PLUGINS`` names; warns about names that match nothing."""
    wanted = set()
    for item in allow:
        package, sep, entry = item.partition(":")
        wanted.add(f"{_normalise(package)}{sep}{entry}")
    chosen = [
        c for c in candidates
        if _normalise(c.origin.package) in wanted or f"{_normalise(c.origin.package)}:{c.name}" in wanted
    ]
    packages = sorted({c.origin.package for c in candidates if c.origin.package})
    for item in allow:
        package, sep, entry = item.partition(":")
        if any(_normalise(c.origin.package) == _normalise(package) and (not sep or c.name == entry)
               for c in candidates):
            continue
        owners = sorted({c.origin.package for c in candidates if c.name == item})
        if owners:
            hint = f"; it is an entry point of {' and of '.join(owners)}: name the package you mean"
        else:
            hint = suggest(item, packages) or f"; installed plugin packages: {', '.join(packages) or '(none)'}"
        warnings.warn(
            f"NEWSCLEAN_LOAD_PLUGINS names {item!r}, which is no installed plugin package "
            f"(use package names, or package:entry-point){hint}",
            PluginLoadWarning,
            stacklevel=3,
        )
    return chosen


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
    from . import __version__, builtins

    if getattr(_state, "loading", False):
        raise PluginError(
            "newsclean was used while its plugins were being loaded (by a plugin, at import or in a hook); "
            "a plugin must not build pipelines or call newsclean.clean() before newsclean asks it to clean"
        )
    strict = _env_flag("NEWSCLEAN_STRICT_PLUGINS") if strict is None else strict
    registry = Registry()
    pm = make_plugin_manager()
    builtin = Origin("builtins", "newsclean", __version__, hookspecs.API_VERSION, builtin=True)
    _commit(registry, _load_hooks(pm, _Candidate(BUILTIN_PLUGIN, builtin, lambda: builtins)))
    candidates = [_Candidate(name, Origin(name), (lambda obj=obj: obj)) for name, obj in plugins]
    if entry_points:
        found = _entry_points()
        allow = _env_allowlist()
        candidates += found if allow is None else _select(found, allow)
    _state.loading = True
    try:
        for candidate in candidates:
            _load_isolated(pm, registry, candidate, strict)
    finally:
        _state.loading = False
    for conflict in registry.conflicts:
        if strict:
            raise conflict.error()
        warnings.warn(conflict.message, PluginLoadWarning, stacklevel=2)
    return registry


def _load_isolated(pm: pluggy.PluginManager, registry: Registry, candidate: _Candidate, strict: bool) -> None:
    """Load one plugin; any failure becomes a warning (or, strict, a PluginError) naming it."""
    saved = _ProcessState()
    try:
        with warnings.catch_warnings():  # a plugin's filters (e.g. "error") must not outlive its import
            data_only = candidate.group == RULES_ENTRY_POINT_GROUP
            staged = _load_rules(candidate) if data_only else _load_hooks(pm, candidate)
        _commit(registry, staged)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit and friends from a plugin are a plugin failure too
        if pm.has_plugin(candidate.key):  # its hooks must not count for the next plugin's checks
            pm.unregister(name=candidate.key)
        changed = saved.restore()
        _fail(registry, candidate, exc, strict, changed)
        return
    changed = saved.restore()
    if changed:
        warnings.warn(
            f"newsclean {candidate.label} changed {', '.join(changed)} while loading; newsclean put "
            f"{'it' if len(changed) == 1 else 'them'} back",
            PluginLoadWarning,
            stacklevel=3,
        )


def _fail(registry: Registry, candidate: _Candidate, exc: BaseException, strict: bool, changed: list[str]) -> None:
    if isinstance(exc, SystemExit):
        reason = f"it called sys.exit({exc.code!r})"
    elif isinstance(exc, NewscleanError):  # our own messages say what is wrong already
        reason = str(exc)
    else:
        reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
    if changed:
        reason += f" (it had changed {', '.join(changed)}; newsclean put that back)"
    message = f"newsclean {candidate.label} was not loaded: {reason}"
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    registry.failures.append(PluginFailure(candidate.name, message, trace))
    if strict:
        if isinstance(exc, PluginError):
            raise exc
        raise PluginError(message) from exc
    shown = f"{message}\n{trace.rstrip()}" if debug_enabled() else message
    warnings.warn(shown, PluginLoadWarning, stacklevel=4)


@dataclass
class _Staged:
    """What one plugin registered, not yet in the registry."""

    name: str
    origin: Origin
    cleaners: list[type[Any]]
    packs: list[RulePack]


def _commit(registry: Registry, staged: _Staged) -> None:
    """Add everything ``staged`` holds, or nothing if any of it is refused."""
    trial = Registry(dict(registry.cleaners), dict(registry.packs), conflicts=list(registry.conflicts))
    for cls in staged.cleaners:
        trial.add_cleaner(cls, staged.origin)
    for pack in staged.packs:
        trial.add_pack(pack, staged.origin)
    registry.cleaners, registry.packs, registry.conflicts = trial.cleaners, trial.packs, trial.conflicts
    registry.plugins.append(PluginInfo(
        staged.name,
        staged.origin,
        tuple(getattr(c, "name", "?") for c in staged.cleaners),
        tuple(p.name for p in staged.packs),
    ))


def _check_api(declared: Any, what: str) -> int | None:
    """The declared plugin API version, or None; a PluginError if it is not one this newsclean supports."""
    from . import __version__

    if declared is None:
        return None
    supported = ", ".join(map(str, hookspecs.SUPPORTED_API_VERSIONS))
    if not isinstance(declared, int) or isinstance(declared, bool):
        raise PluginError(f"{what} declares plugin API version {declared!r}; it must be an integer such as "
                          f"{hookspecs.API_VERSION}")
    if declared not in hookspecs.SUPPORTED_API_VERSIONS:
        raise PluginError(
            f"{what} targets newsclean plugin API version {declared}, but newsclean {__version__} supports "
            f"version {supported}; install a release of the plugin made for API version {hookspecs.API_VERSION}, "
            f"or a newsclean that supports version {declared}"
        )
    return declared


def _load_hooks(pm: pluggy.PluginManager, candidate: _Candidate) -> _Staged:
    plugin = candidate.load()
    api = _check_api(getattr(plugin, "NEWSCLEAN_API_VERSION", None), "it")
    origin = candidate.origin if candidate.origin.builtin else replace(candidate.origin, api_version=api)
    pm.register(plugin, name=candidate.key)
    pm.check_pending()
    cleaners: list[type[Any]] = []
    packs = _PackCollector(_default_pack_name(candidate.name))
    _call(pm, "newsclean_register_cleaners", plugin, cleaners.append)
    _call(pm, "newsclean_register_rules", plugin, packs.register)
    for pack in packs.packs:
        _check_api(pack.api_version, f"rule pack {pack.name!r} ({pack.source})")
    return _Staged(candidate.name, origin, cleaners, packs.packs)


def _load_rules(candidate: _Candidate) -> _Staged:
    """A data-only rule pack: ``NAME = "package:file.toml"`` in the ``newsclean.rules`` group."""
    package, sep, resource = candidate.value.partition(":")
    package, resource = package.strip(), resource.strip()
    if not sep or not resource.endswith(".toml"):
        raise PluginError(
            f"entry point {candidate.name} = {candidate.value!r} in group {RULES_ENTRY_POINT_GROUP!r} must name a "
            "TOML file inside a package: 'package:file.toml'"
        )
    pack = read_rule_pack(resources.files(package).joinpath(resource), _default_pack_name(candidate.name))
    api = _check_api(pack.api_version, f"rule pack {pack.name!r} ({pack.source})")
    return _Staged(candidate.name, replace(candidate.origin, api_version=api), [], [pack])


def _default_pack_name(plugin: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", plugin.lower()).strip("-_") or "rules"


class _PackCollector:
    """The ``register`` function handed to ``newsclean_register_rules``: collects named packs."""

    def __init__(self, default_name: str) -> None:
        self.default_name = default_name
        self.packs: list[RulePack] = []

    def register(
        self,
        item: Any,
        *,
        name: str | None = None,
        default_enabled: bool | None = None,
        description: str | None = None,
    ) -> None:
        if isinstance(item, (list, tuple)):
            for sub in item:
                self.register(sub, name=name, default_enabled=default_enabled, description=description)
            return
        if isinstance(item, Rule):
            pack = RulePack(name or self.default_name, (item.with_source(name or self.default_name),))
        elif isinstance(item, RulePack):
            pack = item if name is None else replace(item, name=name)
        elif isinstance(item, (str, Path)) or hasattr(item, "read_text"):
            pack = read_rule_pack(item, name)
        else:
            raise PluginError(
                f"registered {item!r} as rules; expected a Rule, a list of Rules, a RulePack or the path of a "
                "TOML rule pack"
            )
        if default_enabled is not None:
            pack = replace(pack, default_enabled=bool(default_enabled))
        if description is not None:
            pack = replace(pack, description=description)
        for index, existing in enumerate(self.packs):
            if existing.name == pack.name:  # several registrations under one name make one pack
                self.packs[index] = replace(existing, rules=existing.rules + pack.rules)
                return
        self.packs.append(pack)


def _call(pm: pluggy.PluginManager, hook_name: str, plugin: object, register: Callable[..., None]) -> None:
    hook = getattr(pm.hook, hook_name)
    for impl in hook.get_hookimpls():
        if impl.plugin is not plugin:
            continue
        kwargs = {"register": register}
        impl.function(**{arg: kwargs[arg] for arg in impl.argnames})


class _ProcessState:
    """Process-wide settings a plugin must not change: signal handlers, standard streams, working folder."""

    def __init__(self) -> None:
        self.handlers = {}
        for sig in _signals():
            try:
                self.handlers[sig] = signal.getsignal(sig)
            except (ValueError, OSError):
                pass
        self.streams = (sys.stdin, sys.stdout, sys.stderr)
        try:
            self.cwd: str | None = os.getcwd()
        except OSError:
            self.cwd = None

    def restore(self) -> list[str]:
        """Put back whatever changed; return what it was, for the warning."""
        changed = []
        for sig, handler in self.handlers.items():
            try:
                if handler is None or signal.getsignal(sig) == handler:
                    continue
                signal.signal(sig, handler)
            except (ValueError, OSError, TypeError):
                continue
            changed.append(f"the {sig.name} handler")
        for attr, stream in zip(("stdin", "stdout", "stderr"), self.streams, strict=True):
            if getattr(sys, attr) is not stream:
                setattr(sys, attr, stream)
                changed.append(f"sys.{attr}")
        if self.cwd is not None:
            try:
                moved = os.getcwd() != self.cwd
            except OSError:  # the plugin removed the folder it moved to
                moved = True
            if moved:
                try:
                    os.chdir(self.cwd)
                except OSError:
                    pass
                changed.append("the working folder")
        return changed


def _signals() -> list[signal.Signals]:
    skip = {getattr(signal, name, None) for name in ("SIGKILL", "SIGSTOP")}
    return [sig for sig in signal.Signals if sig not in skip]


def get_registry() -> Registry:
    """The process-wide registry, loaded on first use (thread-safe)."""
    global _registry
    if _registry is None:
        if getattr(_state, "loading", False):
            load_registry()  # raises the PluginError that explains the re-entry
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
