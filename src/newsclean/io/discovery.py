"""Turn the paths a user gave into the list of files to clean.

- ``-`` is standard input.
- A file is used as given (an unknown extension means plain text, unless a
  format is forced).
- A folder is walked recursively in sorted order; hidden files and folders
  (names starting with ``.``) are skipped, and so are files whose extension
  is not a known format (all non-hidden files when a format is forced).
- A path that does not exist but contains ``*``, ``?`` or ``[`` is a glob
  pattern (``**`` matches folders recursively), expanded in sorted order.

Each :class:`InputFile` knows its ``root`` (the folder argument or the glob's
fixed prefix) so that an output folder can mirror the input tree:
``relpath`` is where the file goes under ``-o DIR``.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

from .formats import detect

__all__ = ["STDIN", "InputFile", "PathProblem", "discover"]

STDIN = "-"
_MAGIC = set("*?[")


@dataclass(frozen=True)
class InputFile:
    """One input: a file (or standard input when ``path`` is ``None``)."""

    path: Path | None
    relpath: str
    format: str
    compression: str | None
    root: Path | None = None

    @property
    def is_stdin(self) -> bool:
        return self.path is None

    @property
    def label(self) -> str:
        """How messages name this input."""
        return "<stdin>" if self.path is None else str(self.path)


@dataclass(frozen=True)
class PathProblem:
    """A path argument that could not be used (does not exist, matches nothing, unreadable)."""

    path: str
    message: str


def _has_magic(text: str) -> bool:
    return any(ch in _MAGIC for ch in text)


def discover(
    paths: list[str], format: str | None = None, *, compression: str | None = None
) -> tuple[list[InputFile], list[PathProblem], list[Path]]:
    """Expand ``paths`` into inputs.

    Returns ``(inputs, problems, folders)``: the files in order (duplicates
    removed), the paths that could not be used, and the folder roots that
    were walked (so callers can refuse an output folder inside them).
    ``compression`` forces the compression of every input (mostly for stdin).
    """
    inputs: list[InputFile] = []
    problems: list[PathProblem] = []
    folders: list[Path] = []
    seen: set[str] = set()

    def add(path: Path | None, relpath: str, root: Path | None, explicit: bool) -> None:
        if path is not None:
            key = os.path.realpath(path)
            if key in seen:
                return
            seen.add(key)
            fmt, comp = detect(path)
        else:
            fmt, comp = None, None
        if compression is not None:
            comp = compression
        if format is not None:
            fmt = format
        elif fmt is None:
            if not explicit:
                return
            fmt = "txt"
        inputs.append(InputFile(path, relpath, fmt, comp, root))

    for arg in paths or [STDIN]:
        if arg == STDIN:
            if any(i.is_stdin for i in inputs):
                problems.append(PathProblem(arg, "standard input given more than once"))
                continue
            inputs.append(InputFile(None, "stdin", format or "txt", compression, None))
            continue
        path = Path(arg)
        if path.is_dir():
            folders.append(path)
            for file in _walk(path):
                add(file, file.relative_to(path).as_posix(), path, explicit=False)
            continue
        if path.exists() or path.is_symlink():
            if not path.exists():
                problems.append(PathProblem(arg, "broken symbolic link"))
            else:
                add(path, path.name, None, explicit=True)
            continue
        if _has_magic(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()]
            if not files:
                problems.append(PathProblem(arg, "no files match this pattern"))
                continue
            root = _glob_root(arg)
            if "**" in arg:
                folders.append(root)  # a recursive pattern covers the whole tree under its root
            for file in files:
                try:
                    rel = file.relative_to(root).as_posix()
                except ValueError:
                    rel = file.name
                add(file, rel, root, explicit=True)
            continue
        problems.append(PathProblem(arg, "no such file or folder"))
    return inputs, problems, folders


def _glob_root(pattern: str) -> Path:
    parts = Path(pattern).parts
    fixed = []
    for part in parts:
        if _has_magic(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _walk(folder: Path):  # type: ignore[no-untyped-def]
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(current) / name
