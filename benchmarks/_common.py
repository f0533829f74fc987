"""Shared helpers for the benchmark scripts: machine and version facts, timing, tables."""

from __future__ import annotations

import datetime as _dt
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

# Measure the built-in cleaners only: third-party plugins installed in the environment
# (such as the example plugin in plugins/) are not loaded unless the caller asks for them.
os.environ.setdefault("NEWSCLEAN_LOAD_PLUGINS", "")

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def git_commit() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True,
                               text=True).stdout.strip()
        return sha + (" (+ uncommitted changes in src/)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, str]:
    return {
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu_model(),
        "cores": str(os.cpu_count()),
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "os": f"{platform.system()} {platform.release()}",
        "commit": git_commit(),
    }


def best_time(func: Callable[[str], object], docs: Sequence[str]) -> float:
    """Seconds for one pass of ``func`` over every document."""
    t0 = time.perf_counter()
    for d in docs:
        func(d)
    return time.perf_counter() - t0


def md_table(header: Sequence[str], rows: Sequence[Sequence[object]], align: str | None = None) -> str:
    align = align or "l" + "r" * (len(header) - 1)
    sep = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(map(str, header)) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(map(str, r)) + " |" for r in rows]
    return "\n".join(lines)


def publish(lines: Sequence[str], markdown: str | None) -> None:
    """Print the report and, if asked (``--markdown PATH``), also write it to ``markdown``."""
    text = "\n".join(lines)
    print(text)
    if markdown:
        Path(markdown).write_text(text + "\n", encoding="utf-8")


def fmt_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def load_cleaners(discover: bool = False) -> tuple[object, dict[str, object], list[str]]:
    """The default pipeline, every cleaner by name (instances, default options) and notes.

    With ``discover``, modules in ``newsclean.cleaners`` whose cleaner is not
    registered yet are imported too and slotted in by ``order`` (so a benchmark
    can measure cleaners before the lead registers them); a module that fails
    to import is skipped with a note.
    """
    import importlib
    import pkgutil

    import newsclean
    from newsclean.plugins import get_registry

    pkg = importlib.import_module("newsclean.cleaners")  # the package, not the newsclean.cleaners() function
    reg = get_registry()
    notes: list[str] = []
    classes: dict[str, type] = {info.name: info.cls for info in reg.in_order()}
    if discover:
        for mod in pkgutil.iter_modules(pkg.__path__):
            try:
                module = importlib.import_module(f"newsclean.cleaners.{mod.name}")
            except Exception as exc:
                notes.append(f"module newsclean.cleaners.{mod.name} failed to import: {type(exc).__name__}: {exc}")
                continue
            for obj in vars(module).values():
                if (isinstance(obj, type) and issubclass(obj, newsclean.Cleaner) and obj is not newsclean.Cleaner
                        and obj.__module__ == module.__name__ and obj.name and obj.name not in classes):
                    classes[obj.name] = obj
                    notes.append(f"cleaner {obj.name!r} discovered in src (not registered yet)")
    instances: dict[str, object] = {}
    for name, cls in sorted(classes.items(), key=lambda kv: (kv[1].order, kv[0])):
        try:
            instances[name] = cls.build({}, tuple(reg.rules))
        except Exception as exc:
            notes.append(f"cleaner {name!r} could not be built: {type(exc).__name__}: {exc}")
    default = newsclean.Pipeline([c for c in instances.values() if type(c).default_enabled])
    return default, instances, notes
