"""Pipeline configuration from TOML files and the command line.

newsclean reads its configuration, lowest priority first, from:

1. a ``[tool.newsclean]`` table in ``pyproject.toml`` in the working folder
   (skipped when ``--config`` is given, or with ``--no-config``);
2. the file given with ``--config FILE.toml`` (keys at the top level, or
   under ``[tool.newsclean]`` so a ``pyproject.toml`` elsewhere works too);
3. command-line options: ``--only``, ``--enable``, ``--disable``, ``--set``,
   ``--enable-rules``, ``--disable-rules``.

The schema (every key optional)::

    [tool.newsclean]
    only = ["html", "whitespace"]   # run exactly these cleaners (in default order)
    enable = ["shouting"]           # add cleaners that are off by default
    disable = ["quotes"]            # remove cleaners from the pipeline
    fields = ["title", "text"]      # JSONL keys to clean (default: ["text"])
    columns = ["body"]              # CSV/TSV columns to clean (default: the fields)
    enable_rules = ["wire"]         # rule packs that are off by default
    disable_rules = ["de"]          # rule packs to leave out

    [tool.newsclean.options.whitespace]   # options of one cleaner
    max_blank_lines = 2

Merging: a later ``only`` replaces an earlier one; ``enable``/``disable`` add
up, and a later source wins over an earlier one for the same cleaner (the
command line's ``--enable quotes`` undoes a config file's ``disable =
["quotes"]``); ``options`` merge per cleaner and per option.  Options for a
cleaner enable it (like ``--enable``), except that a ``disable`` in the same
file or a later source wins (a file may keep options for a cleaner it leaves
off); on the command line, ``--set`` and ``--disable`` of one cleaner are an
error.  ``enable_rules``/``disable_rules`` merge like
``enable``/``disable``.  Unknown keys, cleaners, rule packs and options are
errors (:class:`~newsclean.errors.ConfigError`) naming the file and
suggesting the closest valid names.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError, suggest
from .pipeline import Pipeline

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["KEYS", "Config", "find_project_config", "load_config", "parse_assignments", "resolve_config"]

KEYS = ("only", "enable", "disable", "options", "fields", "columns", "enable_rules", "disable_rules")


@dataclass(frozen=True)
class Config:
    """Which cleaners run, with which options, and which fields/columns to clean."""

    only: tuple[str, ...] | None = None
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    fields: tuple[str, ...] | None = None
    columns: tuple[str, ...] | None = None
    sources: tuple[str, ...] = ()
    enable_rules: tuple[str, ...] = ()
    disable_rules: tuple[str, ...] = ()

    def merged(self, later: Config) -> Config:
        """This configuration overridden by ``later``."""
        enable, disable = _merge_switches(self.enable, self.disable, (*later.enable, *later.options), later.disable)
        enable_rules, disable_rules = _merge_switches(
            self.enable_rules, self.disable_rules, later.enable_rules, later.disable_rules
        )
        options = {name: dict(opts) for name, opts in self.options.items()}
        for name, opts in later.options.items():
            options.setdefault(name, {}).update(opts)
        return Config(
            only=later.only if later.only is not None else self.only,
            enable=tuple(n for n in enable if n in self.enable or n in later.enable),
            disable=disable,
            options=options,
            fields=later.fields if later.fields is not None else self.fields,
            columns=later.columns if later.columns is not None else self.columns,
            sources=self.sources + later.sources,
            enable_rules=enable_rules,
            disable_rules=disable_rules,
        )

    def pipeline(self, registry: Any = None) -> Pipeline:
        """Build the :class:`~newsclean.Pipeline` this configuration describes."""
        try:
            rules = {"enable_rules": self.enable_rules, "disable_rules": self.disable_rules}
            # Options enable their cleaner, except one that is disabled: a file may keep options
            # for a cleaner it leaves off, ready for `--enable`.
            options = {name: opts for name, opts in self.options.items() if name not in self.disable}
            from .plugins import get_registry

            reg = registry if registry is not None else get_registry()
            for name, opts in self.options.items():
                if name in self.disable:
                    reg.create(name, opts)  # checked while off too: a typo is never kept silently
            if self.only is None:
                return Pipeline.default(
                    enable=self.enable, disable=self.disable, options=options, registry=reg, **rules
                )
            wanted = [*self.only, *self.enable, *options]
            for name in [*wanted, *self.disable, *self.options]:
                reg.get(name)
            chosen = {n for n in wanted if n not in self.disable}
            names = [info.name for info in reg.in_order() if info.name in chosen]
            return Pipeline(names, options=options, registry=reg, **rules)
        except ConfigError as exc:
            if not self.sources:
                raise
            raise ConfigError(f"{exc} (configuration from {', '.join(self.sources)})") from exc


def _merge_switches(
    enable: tuple[str, ...], disable: tuple[str, ...], later_enable: Iterable[str], later_disable: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Merge enable/disable lists: a later source wins over an earlier one for the same name."""
    later_enable, later_disable = list(dict.fromkeys(later_enable)), list(later_disable)
    on = [n for n in enable if n not in later_disable] + [n for n in later_enable if n not in enable]
    off = [n for n in disable if n not in later_enable] + [n for n in later_disable if n not in disable]
    return tuple(n for n in on if n not in off), tuple(off)


def _names(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key!r} must be a list of names, got {value!r}")
    return tuple(value)


def config_from_mapping(table: Mapping[str, Any], where: str) -> Config:
    """Validate a ``[tool.newsclean]``-style table."""
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r}{suggest(unknown[0], KEYS)}; valid keys: {', '.join(KEYS)}"
        )
    options = table.get("options", {})
    if not isinstance(options, Mapping) or not all(isinstance(v, Mapping) for v in options.values()):
        raise ConfigError(f"{where}: 'options' must be a table of tables, e.g. [tool.newsclean.options.whitespace]")
    config = Config(
        only=_names(table["only"], "only", where) if "only" in table else None,
        enable=_names(table.get("enable", []), "enable", where),
        disable=_names(table.get("disable", []), "disable", where),
        options={name: dict(opts) for name, opts in options.items()},
        fields=_names(table["fields"], "fields", where) if "fields" in table else None,
        columns=_names(table["columns"], "columns", where) if "columns" in table else None,
        sources=(where,),
        enable_rules=_names(table.get("enable_rules", []), "enable_rules", where),
        disable_rules=_names(table.get("disable_rules", []), "disable_rules", where),
    )
    return config


def _check_one_source(config: Config, where: str) -> None:
    """On the command line a name cannot be both switched off and on (options switch a cleaner on)."""
    for kind, on, off in (("cleaner", (*config.enable, *config.options), config.disable),
                          ("rule pack", config.enable_rules, config.disable_rules)):
        both = sorted(set(on) & set(off))
        if both:
            how = "given options" if both[0] in config.options else "enabled"
            raise ConfigError(f"{where}: {kind} {both[0]!r} is both {how} and disabled")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} does not exist") from None
    except OSError as exc:
        raise ConfigError(f"cannot read configuration file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def load_config(path: str | Path) -> Config:
    """Read a configuration file: newsclean keys at the top level or in ``[tool.newsclean]``."""
    path = Path(path)
    data = _read_toml(path)
    table = data.get("tool", {}).get("newsclean") if isinstance(data.get("tool"), dict) else None
    if table is None:
        table = {k: v for k, v in data.items() if k != "tool"}
    return config_from_mapping(table, str(path))


def find_project_config(folder: str | Path = ".") -> Config | None:
    """The ``[tool.newsclean]`` table of ``pyproject.toml`` in ``folder``, if there is one."""
    path = Path(folder) / "pyproject.toml"
    if not path.is_file():
        return None
    data = _read_toml(path)
    table = data.get("tool", {}).get("newsclean")
    if table is None:
        return None
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: [tool.newsclean] must be a table")
    return config_from_mapping(table, f"{path} [tool.newsclean]")


def parse_assignments(assignments: Iterable[str]) -> dict[str, dict[str, str]]:
    """Parse ``cleaner.option=value`` strings (from ``--set``) into an options mapping.

    Values stay strings; each option converts them to its type (``"2"`` → 2,
    ``"false"`` → ``False``, ``"a,b"`` → a tuple).
    """
    options: dict[str, dict[str, str]] = {}
    for item in assignments:
        key, sep, value = item.partition("=")
        cleaner, dot, option = key.strip().partition(".")
        if not sep or not dot or not cleaner or not option:
            raise ConfigError(f"--set expects CLEANER.OPTION=VALUE (e.g. whitespace.max_blank_lines=2), got {item!r}")
        options.setdefault(cleaner, {})[option.strip()] = value.strip()
    return options


def resolve_config(
    config_file: str | Path | None = None,
    *,
    project: bool = True,
    folder: str | Path = ".",
    only: Iterable[str] | None = None,
    enable: Iterable[str] = (),
    disable: Iterable[str] = (),
    assignments: Iterable[str] = (),
    fields: Iterable[str] | None = None,
    columns: Iterable[str] | None = None,
    enable_rules: Iterable[str] = (),
    disable_rules: Iterable[str] = (),
) -> Config:
    """Merge project file, ``config_file`` and command-line values (in that order of priority, lowest first)."""
    config = Config()
    if config_file is not None:
        config = config.merged(load_config(config_file))
    elif project:
        found = find_project_config(folder)
        if found is not None:
            config = config.merged(found)
    cli = Config(
        only=tuple(only) if only is not None else None,
        enable=tuple(enable),
        disable=tuple(disable),
        options=parse_assignments(assignments),
        fields=tuple(fields) if fields else None,
        columns=tuple(columns) if columns else None,
        enable_rules=tuple(enable_rules),
        disable_rules=tuple(disable_rules),
    )
    _check_one_source(cli, "the command line")
    return replace(config.merged(cli), sources=config.sources)
