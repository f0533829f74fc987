"""Pipeline configuration from TOML files and the command line.

newsclean reads its configuration, lowest priority first, from:

1. a ``[tool.newsclean]`` table in ``pyproject.toml`` in the working folder
   (skipped when ``--config`` is given, or with ``--no-config``);
2. the file given with ``--config FILE.toml`` (keys at the top level, or
   under ``[tool.newsclean]`` so a ``pyproject.toml`` elsewhere works too);
3. command-line options: ``--only``, ``--enable``, ``--disable``, ``--set``.

The schema (every key optional)::

    [tool.newsclean]
    only = ["html", "whitespace"]   # run exactly these cleaners (in default order)
    enable = ["shouting"]           # add cleaners that are off by default
    disable = ["quotes"]            # remove cleaners from the pipeline
    fields = ["title", "text"]      # JSONL keys to clean (default: ["text"])
    columns = ["body"]              # CSV/TSV columns to clean (default: the fields)

    [tool.newsclean.options.whitespace]   # options of one cleaner
    max_blank_lines = 2

Merging: a later ``only`` replaces an earlier one; ``enable``/``disable`` add
up, and a later source wins over an earlier one for the same cleaner (the
command line's ``--enable quotes`` undoes a config file's ``disable =
["quotes"]``); ``options`` merge per cleaner and per option.  Unknown keys,
cleaners and options are errors (:class:`~newsclean.errors.ConfigError`)
naming the file and suggesting the closest valid names.
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

KEYS = ("only", "enable", "disable", "options", "fields", "columns")


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

    def merged(self, later: Config) -> Config:
        """This configuration overridden by ``later``."""
        enable = [n for n in self.enable if n not in later.disable] + [n for n in later.enable if n not in self.enable]
        disable = [n for n in self.disable if n not in later.enable] + [
            n for n in later.disable if n not in self.disable
        ]
        options = {name: dict(opts) for name, opts in self.options.items()}
        for name, opts in later.options.items():
            options.setdefault(name, {}).update(opts)
        return Config(
            only=later.only if later.only is not None else self.only,
            enable=tuple(n for n in enable if n not in disable),
            disable=tuple(disable),
            options=options,
            fields=later.fields if later.fields is not None else self.fields,
            columns=later.columns if later.columns is not None else self.columns,
            sources=self.sources + later.sources,
        )

    def pipeline(self, registry: Any = None) -> Pipeline:
        """Build the :class:`~newsclean.Pipeline` this configuration describes."""
        try:
            if self.only is None:
                return Pipeline.default(
                    enable=self.enable, disable=self.disable, options=self.options, registry=registry
                )
            from .plugins import get_registry

            reg = registry if registry is not None else get_registry()
            wanted = [*self.only, *self.enable]
            for name in [*wanted, *self.disable]:
                reg.get(name)
            chosen = {n for n in wanted if n not in self.disable}
            names = [info.name for info in reg.in_order() if info.name in chosen]
            return Pipeline(names, options=self.options, registry=reg)
        except ConfigError as exc:
            if not self.sources:
                raise
            raise ConfigError(f"{exc} (configuration from {', '.join(self.sources)})") from exc


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
    return Config(
        only=_names(table["only"], "only", where) if "only" in table else None,
        enable=_names(table.get("enable", []), "enable", where),
        disable=_names(table.get("disable", []), "disable", where),
        options={name: dict(opts) for name, opts in options.items()},
        fields=_names(table["fields"], "fields", where) if "fields" in table else None,
        columns=_names(table["columns"], "columns", where) if "columns" in table else None,
        sources=(where,),
    )


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
    )
    both = sorted(set(cli.enable) & set(cli.disable))
    if both:
        raise ConfigError(f"cleaner {both[0]!r} is both enabled and disabled on the command line")
    return replace(config.merged(cli), sources=config.sources)
