"""Turn the paths a user gave into the list of files to clean.

- ``-`` is standard input.  Unless a format is forced, its format and compression are decided
  from its first bytes (:mod:`newsclean.io.sniffing`: JSON Lines or text; gzip, bzip2, xz),
  looked at without consuming them; a JSON array is refused.
- A file is used as given.  A ``.json`` file, and a file whose extension is not a known
  format, is looked into the same way (unless a format is forced): JSON Lines is cleaned as
  JSON Lines, anything else that looks like JSON is refused, other content is plain text.
- A folder is walked recursively in sorted order; hidden files and folders
  (names starting with ``.``) are skipped, and so are files whose extension
  is not a known format (all non-hidden files when a format is forced).
  Anything that is not a regular file (a named pipe, a socket, a device) is skipped and
  reported as a warning: reading it could block forever.  Named explicitly, a named pipe
  is read like standard input (by its name's format, or ``--format``), once a process
  writes to it: :func:`open_input_file` waits :data:`FIFO_WAIT` seconds for that, then
  reports it and the run goes on.
- A path that does not exist but contains ``*``, ``?`` or ``[`` is a glob
  pattern (``**`` matches folders recursively), expanded in sorted order.

Each :class:`InputFile` knows its ``root`` (the folder argument or the glob's
fixed prefix) so that an output folder can mirror the input tree:
``relpath`` is where the file goes under ``-o DIR``.
"""

from __future__ import annotations

import errno
import glob
import lzma
import os
import select
import stat
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .formats import detect, open_compressed_reader
from .readers import MalformedInput
from .sniffing import SNIFF_BYTES, peek, sniff, sniff_compression

__all__ = ["FIFO_WAIT", "STDIN", "InputFile", "PathProblem", "discover", "open_input_file"]

STDIN = "-"
#: Seconds to wait for a process to write to a named pipe given as an input (environment variable
#: ``NEWSCLEAN_FIFO_WAIT`` overrides it) before reporting it and going on.
FIFO_WAIT = 60.0
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
    """A path that could not be used (does not exist, matches nothing, refused, not a regular file)."""

    path: str
    message: str
    level: str = "error"


def _has_magic(text: str) -> bool:
    return any(ch in _MAGIC for ch in text)


def discover(
    paths: list[str],
    format: str | None = None,
    *,
    compression: str | None = None,
    stdin: IO[bytes] | None = None,
) -> tuple[list[InputFile], list[PathProblem], list[Path]]:
    """Expand ``paths`` into inputs.

    Returns ``(inputs, problems, folders)``: the files in order (duplicates
    removed), the paths that could not be used, and the folder roots that
    were walked (so callers can refuse an output folder inside them).
    ``compression`` forces the compression of every input (mostly for stdin).
    ``stdin`` is the stream read for ``-`` (default: ``sys.stdin.buffer``); it is
    looked at, never consumed.
    """
    inputs: list[InputFile] = []
    problems: list[PathProblem] = []
    folders: list[Path] = []
    seen: set[str] = set()

    def add(path: Path, relpath: str, root: Path | None, explicit: bool) -> None:
        key = os.path.realpath(path)
        if key in seen:
            return
        seen.add(key)
        fmt, comp = detect(path)
        if compression is not None:
            comp = compression
        if format is not None:
            fmt = format
        elif fmt is None and not explicit:
            return
        elif fmt in (None, "json"):
            try:
                fmt, comp = _sniff_file(path, fmt == "json", comp)
            except MalformedInput as exc:
                problems.append(PathProblem(str(path), f"{exc}; skipped", "error" if explicit else "warning"))
                return
        assert fmt is not None
        inputs.append(InputFile(path, relpath, fmt, comp, root))

    for arg in paths or [STDIN]:
        if arg == STDIN:
            if any(i.is_stdin for i in inputs):
                problems.append(PathProblem(arg, "standard input given more than once"))
                continue
            try:
                fmt, comp = _sniff_stdin(stdin if stdin is not None else sys.stdin.buffer, format, compression)
            except MalformedInput as exc:
                problems.append(PathProblem("<stdin>", f"{exc}; skipped"))
                continue
            inputs.append(InputFile(None, "stdin", fmt, comp, None))
            continue
        path = Path(arg)
        if path.is_dir():
            folders.append(path)
            for file in _walk(path):
                if _regular(file, problems):
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


_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device"}


def _regular(file: Path, problems: list[PathProblem]) -> bool:
    """Whether a file found in a folder is a regular file (or a broken link, reported when read)."""
    try:
        mode = os.stat(file).st_mode
    except OSError:
        return True
    if stat.S_ISREG(mode):
        return True
    kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
    problems.append(PathProblem(str(file), f"{kind}, not a regular file; skipped (name it explicitly to read it)",
                                "warning"))
    return False


def _sniff_stdin(stream: IO[bytes], format: str | None, compression: str | None) -> tuple[str, str | None]:
    """The format and compression of standard input: as given, else from its first bytes."""
    if format is not None and compression is not None:
        return format, compression
    looked = peek(stream)
    if looked is None:
        return format or "txt", compression
    head, eof = looked
    comp = compression if compression is not None else sniff_compression(head)
    return (format or sniff(head, eof=eof, compression=comp)), comp


def _sniff_file(path: Path, json_file: bool, compression: str | None) -> tuple[str, str | None]:
    """The format (and compression) of a ``.json`` file or a file with an unknown extension, by content.

    Only regular files are read (a FIFO would lose what is read, and may block): others are
    plain text, or JSON Lines when named ``.json``.
    """
    fallback = "jsonl" if json_file else "txt"
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return fallback, compression
        with open(path, "rb") as raw:
            if compression is None:
                compression = sniff_compression(raw.read(8))
                raw.seek(0)
            head = open_compressed_reader(raw, compression).read(SNIFF_BYTES + 1)
    except (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError) as exc:
        if isinstance(exc, MalformedInput):
            raise
        return fallback, compression  # unreadable: the run reports it
    return sniff(head[:SNIFF_BYTES], eof=len(head) <= SNIFF_BYTES, json_file=json_file), compression


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


def open_input_file(path: str | os.PathLike[str]) -> IO[bytes]:
    """Open an input for reading.

    A named pipe is opened without blocking, then waited on until a writer sends data or closes
    (at most :data:`FIFO_WAIT` seconds, or ``NEWSCLEAN_FIFO_WAIT``): opening one normally blocks
    until a writer appears, forever if none does.  Raises ``TimeoutError`` when none came.
    """
    if not stat.S_ISFIFO(os.stat(path).st_mode):
        return open(path, "rb")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        wait = float(os.environ.get("NEWSCLEAN_FIFO_WAIT", FIFO_WAIT))
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLHUP)
        if not poller.poll(max(0.0, wait) * 1000):
            raise TimeoutError(errno.ETIMEDOUT, f"no process wrote to this named pipe within {wait:g} s")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
