"""The ``newsclean`` command: a thin layer over :mod:`newsclean.run` and :mod:`newsclean.config`.

Run ``newsclean --help`` for the options, examples and exit codes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import stat
import sys
import warnings
from collections.abc import Sequence
from typing import Any, TextIO

from . import __version__
from .errors import NewscleanError, PluginLoadWarning, suggest

__all__ = ["main"]

PROG = "newsclean"
EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a filter killed by SIGPIPE (`cat big | head -1`)
#: seconds one document may take by default (--doc-timeout); generous: the default pipeline cleans a
#: megabyte-sized document in well under a second
DEFAULT_DOC_TIMEOUT = 60.0
_MAX_SHOWN_PROBLEMS = 50

DESCRIPTION = """\
Clean scraped news text: hover-card artifacts, mojibake, HTML entities,
boilerplate, whitespace.  Reads plain text (one document per file), JSON Lines
(a text field per line) and CSV/TSV (a text column), optionally compressed
(.gz, .bz2, .xz), from files, folders (recursive), glob patterns or standard
input, and writes the cleaned result to standard output, a mirror folder, or
back into the inputs.
"""

EPILOG = """\
examples:
  newsclean article.txt > clean.txt              one file to standard output
  cat dump.jsonl | newsclean -f jsonl > out.jsonl
  newsclean scraped/ -o cleaned/                 mirror a folder tree
  newsclean 'data/**/*.jsonl.gz' -o out/ --field title --field text
  newsclean *.txt --in-place --backup .orig      replace inputs atomically
  newsclean corpus.csv --column body --diff      show what would change
  newsclean dump.jsonl --explain | less          which cleaner changed what
  newsclean dump.jsonl -o out/ --disable quotes --set whitespace.max_blank_lines=2
  newsclean big.jsonl -o out/ --jobs 8 --stats stats.json
  newsclean dump.jsonl -o out/ --trace audit.jsonl.gz   every edit of every document, for audits
  newsclean shards/ -o out/ --executor dask --scheduler tcp://head:8786
  newsclean shards/ -o out/ --executor ray --jobs 2     a local Ray runtime
  newsclean cleaners                             list cleaners and options

formats (by extension, or --format):
  txt   .txt .text, and files named explicitly with another extension that are not JSON Lines
  jsonl .jsonl .ndjson     csv .csv     tsv .tsv .tab     (+ .gz .bz2 .xz)
  parquet .parquet (pip install 'newsclean[parquet]'): --field names string
        columns; other columns, the schema and nulls are kept; problems name rows
  Standard input, .json files and other extensions named explicitly are looked into: JSON Lines
  is cleaned as such, a JSON array is refused, gzip/bzip2/xz are recognised by their magic bytes.
  Records without the field (reported once per file; exit 1 if no record has
  it), and records no cleaner changed, are written through byte for byte.
  A JSONL/CSV record that does not decode is handled by --on-error.  Output is UTF-8.

configuration:
  [tool.newsclean] in ./pyproject.toml, or --config FILE.toml, with keys
  only, enable, disable, fields, columns and [options.CLEANER] tables;
  command-line options override them.

exit status:
  0    every input and record was cleaned
  1    some inputs or records had errors (they were reported, kept or skipped)
  2    usage or configuration error (nothing was written)
  130  interrupted (Ctrl-C)
  141  standard output was closed by its reader (`newsclean big.jsonl | head`):
       stopped quietly, as a filter killed by SIGPIPE
  143  terminated (SIGTERM)
       (one signal stops the run at once, its worker processes with it; no
       partial output files are left behind)

a document that takes longer than --doc-timeout (default 60 s) is stopped,
reported with its file, line and cleaner, and handled by --on-error; a worker
process that hangs or dies is replaced and the run goes on (exit status 1).
"""


def _size(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*", text, re.IGNORECASE)
    if not match:
        raise argparse.ArgumentTypeError(f"invalid size {text!r} (examples: 1000000, 64M, 1G)")
    number, unit = float(match.group(1)), match.group(2).lower()
    value = int(number * 1024 ** " kmgt".index(unit or " "))
    if value <= 0:
        raise argparse.ArgumentTypeError("size must be positive")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of jobs {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("jobs must be 0 (all cores) or more")
    return value


def _format(text: str) -> str:
    from .io.formats import FORMATS

    if text in FORMATS:
        return text
    raise argparse.ArgumentTypeError(
        f"invalid format {text!r}{suggest(text, FORMATS)}; choose from {', '.join(FORMATS)}"
        + (" (JSON Lines is jsonl; a JSON array must be converted to it)" if text.lower() == "json" else "")
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of seconds {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("seconds must be 0 (no limit) or more")
    return value


def _comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    from .runner import DECODE_ERRORS, EXECUTORS, ON_ERROR

    parser = argparse.ArgumentParser(
        prog=PROG,
        usage="%(prog)s [OPTIONS] [PATH ...]\n       %(prog)s cleaners [--json]",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files, folders (recursive), glob patterns; '-' or nothing: standard input")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")

    inp = parser.add_argument_group("input")
    inp.add_argument("-f", "--format", type=_format, metavar="{txt,jsonl,csv,tsv,parquet}",
                     help="input format (default: by extension; standard input, .json files and unknown "
                          "extensions: JSON Lines or text, by content)")
    inp.add_argument("--field", action="append", metavar="NAME",
                     help="JSONL key to clean (repeatable; default: text)")
    inp.add_argument("--column", action="append", metavar="NAME",
                     help="CSV/TSV column (header name or 0-based index) to clean (repeatable; default: the fields)")
    inp.add_argument("--delimiter", metavar="CHAR", help="CSV delimiter (default: ',' for csv, tab for tsv)")
    inp.add_argument("--encoding", default="utf-8", metavar="NAME", help="input encoding (default: utf-8)")
    inp.add_argument("--errors", choices=DECODE_ERRORS, default="strict",
                     help="invalid bytes in the input: strict (report and skip the file; default), "
                          "replace (with U+FFFD) or ignore")
    inp.add_argument("--max-doc-size", type=_size, default=None, metavar="SIZE",
                     help="largest plain-text document or record (default: 64M)")

    out = parser.add_argument_group("output")
    out.add_argument("-o", "--output", metavar="DIR", help="write into DIR, mirroring the input tree")
    out.add_argument("--in-place", action="store_true", help="replace each input atomically")
    out.add_argument("--backup", metavar="SUFFIX", help="with --in-place: keep the original as PATH+SUFFIX; never "
                     "overwritten: a file whose backup exists is not cleaned again")
    out.add_argument("--diff", action="store_true",
                     help="print a unified diff of each changed document, changes inside lines and invisible "
                          "characters marked; write nothing")
    out.add_argument("--explain", action="store_true",
                     help="print every edit of each changed document (line:column in the input, cleaner, "
                          "category, context), then totals per cleaner and category; write nothing")
    out.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                     help="colour --diff and --explain (default: auto, when standard output is a terminal)")
    out.add_argument("--stats", metavar="FILE.json",
                     help="write the run summary as JSON, with each cleaner's changes per category")
    out.add_argument("--trace", metavar="FILE.jsonl",
                     help="write one JSON record per document, in input order: its file, line (or row) and "
                          "field, and every edit with its span in the input (.gz/.bz2/.xz: compressed)")

    cl = parser.add_argument_group("cleaners")
    cl.add_argument("--list", action="store_true", help="list the available cleaners and exit (= newsclean cleaners)")
    cl.add_argument("--only", type=_comma_list, metavar="NAME,...", help="run only these cleaners (in default order)")
    cl.add_argument("--enable", action="append", default=[], metavar="NAME", help="add a cleaner (repeatable)")
    cl.add_argument("--disable", action="append", default=[], metavar="NAME", help="remove a cleaner (repeatable)")
    cl.add_argument("--set", action="append", default=[], metavar="CLEANER.OPTION=VALUE", dest="assignments",
                    help="set a cleaner option (repeatable), e.g. whitespace.max_blank_lines=2; "
                         "this enables the cleaner if it is off")
    cl.add_argument("--enable-rules", action="append", default=[], metavar="PACK",
                    help="use a boilerplate rule pack that is off by default (repeatable; see newsclean cleaners)")
    cl.add_argument("--disable-rules", action="append", default=[], metavar="PACK",
                    help="leave out a boilerplate rule pack (repeatable)")
    cl.add_argument("--config", metavar="FILE.toml",
                    help="read configuration from this file instead of ./pyproject.toml")
    cl.add_argument("--no-config", action="store_true", help="ignore [tool.newsclean] in ./pyproject.toml")

    run = parser.add_argument_group("running")
    run.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                     help="worker processes (default: all cores; 1, i.e. no workers, for inputs under 2 MB)")
    run.add_argument("--executor", choices=EXECUTORS, default=None,
                     help="what runs the work: inline (this process), processes (local pool; the default with "
                          "several jobs), dask or ray (a cluster; same output)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --executor dask: the scheduler to use, e.g. tcp://host:8786 "
                          "(default: start a local cluster of --jobs workers)")
    run.add_argument("--address", metavar="ADDRESS",
                     help="with --executor ray: the cluster to use, e.g. host:6379 "
                          "(default: start a local Ray runtime with --jobs CPUs)")
    run.add_argument("--chunk-size", type=_size, default=None, metavar="SIZE",
                     help="bytes of JSONL/CSV sent to a worker at a time (default: 1M); memory use grows with it")
    run.add_argument("--on-error", choices=ON_ERROR, default="keep",
                     help="a malformed record or a failing cleaner: keep the record unchanged (default), "
                          "skip it, or fail (stop)")
    run.add_argument("--doc-timeout", type=_seconds, default=DEFAULT_DOC_TIMEOUT, metavar="SECONDS",
                     help=f"stop a document that takes longer, report it and handle it by --on-error "
                          f"(default: {DEFAULT_DOC_TIMEOUT:g}; 0: no limit); with a limit, --jobs 1 cleans in "
                          "one worker process (--executor inline: in this process, where C code that ignores "
                          "signals cannot be stopped)")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary, no warnings")
    run.add_argument("--debug", action="store_true",
                     help="show full tracebacks (of plugins that fail to load, too); = NEWSCLEAN_DEBUG=1")
    return parser


def _print_error(message: str) -> None:
    sys.stderr.write(f"{PROG}: error: {one_line(message)}\n")


def one_line(text: str) -> str:
    """``text`` with line breaks, other control characters and undecodable bytes of file names
    (surrogate escapes, shown as ``\\xff``) escaped, so that a message stays on one line and
    cannot forge another."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def show_name(name: str) -> str:
    """A file name as messages show it: as it is, or quoted with escapes if it holds anything unprintable."""
    if name.isprintable():
        return name
    return '"' + "".join(ch if ch.isprintable() and ch not in '"\\' else _escape(ch) for ch in name) + '"'


def _escape(ch: str) -> str:
    if "\udc80" <= ch <= "\udcff":  # a byte that did not decode (os.fsdecode's surrogateescape)
        return f"\\x{ord(ch) - 0xDC00:02x}"
    if ch in '"\\':
        return "\\" + ch
    return ch.encode("unicode_escape").decode("ascii")


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


class _TextOut:
    """Report text to a text stream's bytes, in full (a closed pipe raises ``BrokenPipeError``), as
    UTF-8 with undecodable bytes of file names escaped rather than an encoding error."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.name = getattr(stream, "name", None)

    def write(self, text: str) -> int:
        from .io.writing import write_all

        self.stream.flush()
        write_all(self.stream.buffer, text.encode("utf-8", "backslashreplace"))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def cmd_cleaners(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} cleaners",
        description="List every available cleaner and boilerplate rule pack, the plugin and package each "
                    "comes from and the plugin API version it targets, and the plugins that failed to load.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--debug", action="store_true", help="show the traceback of each plugin that failed to load")
    args = parser.parse_args(argv)
    return _list_cleaners(as_json=args.json)


def _origin_fields(origin: Any) -> dict[str, Any]:
    return {"plugin": origin.plugin, "package": origin.package, "version": origin.version,
            "api_version": origin.api_version}


def _table(rows: list[list[str]]) -> list[str]:
    """Left-aligned columns (the last one unpadded)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]).rstrip()
            for row in rows]


def _list_cleaners(as_json: bool = False) -> int:
    from .plugins import debug_enabled, get_registry

    registry = get_registry()
    infos = registry.in_order()
    packs = list(registry.packs.values())
    if as_json:
        data = {
            "cleaners": [
                {
                    "name": i.name,
                    "description": i.description,
                    "default_enabled": i.default_enabled,
                    "order": i.order,
                    "source": i.source,
                    **_origin_fields(i.origin),
                    "options": {k: {"default": _jsonable(o.default), "help": o.help} for k, o in i.options.items()},
                }
                for i in infos
            ],
            "rule_packs": [
                {
                    "name": p.name,
                    "description": p.description,
                    "default_enabled": p.default_enabled,
                    "rules": len(p.rules),
                    "categories": list(p.categories),
                    "languages": list(p.languages),
                    "source": p.source,
                    **_origin_fields(p.origin),
                    "path": p.path,
                }
                for p in packs
            ],
            "conflicts": [
                {"kind": c.kind, "name": c.name, "packages": [o.label for o in c.origins], "message": c.message}
                for c in registry.conflicts
            ],
            "failures": [
                {"plugin": f.plugin, "error": f.error, **({"traceback": f.traceback} if debug_enabled() else {})}
                for f in registry.failures
            ],
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK

    def package(origin: Any) -> str:
        return f"{origin.package} {origin.version}".strip() or "-"

    def api(origin: Any) -> str:
        return "-" if origin.api_version is None else str(origin.api_version)

    rows = [["NAME", "DEFAULT", "ORDER", "PLUGIN", "PACKAGE", "API", "DESCRIPTION"]]
    options: dict[int, list[str]] = {}
    for i in infos:
        rows.append([i.name, "on" if i.default_enabled else "off", str(i.order), i.origin.plugin,
                     package(i.origin), api(i.origin), i.description])
        options[len(rows) - 1] = [f"    --set {i.name}.{key}={_show(opt.default)}  {opt.help}".rstrip()
                                  for key, opt in i.options.items()]
    lines = []
    for index, line in enumerate(_table(rows)):
        lines.append(line)
        lines += options.get(index, [])
    if packs:
        pack_rows = [["RULE PACK", "DEFAULT", "RULES", "PLUGIN", "PACKAGE", "API", "LANGUAGES", "CATEGORIES"]]
        for p in packs:
            pack_rows.append([p.name, "on" if p.default_enabled else "off", str(len(p.rules)), p.origin.plugin,
                              package(p.origin), api(p.origin), ",".join(p.languages), ", ".join(p.categories)])
        lines += ["", *_table(pack_rows),
                  "(--enable-rules PACK / --disable-rules PACK; the boilerplate cleaner's languages option "
                  "chooses which languages apply)"]
    for conflict in registry.conflicts:
        lines.append(f"conflict: {conflict.message}")
    for failure in registry.failures:
        lines.append(f"not loaded: {failure.error}")
        if debug_enabled():
            lines.append(failure.traceback.rstrip())
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return str(value)


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop like Ctrl-C (a KeyboardInterrupt to every ``except`` on the way), exit 143."""


def _interrupted(signum: int, frame: Any) -> None:
    """The first SIGINT or SIGTERM stops the run; further ones are ignored while it cleans up (removes
    temporary outputs, stops its workers), which takes a moment, so that one press is enough and a
    second cannot leave a half-written file or a traceback behind."""
    for sig in _STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    quiet = "-q" in argv or "--quiet" in argv
    if "--debug" in argv:
        os.environ["NEWSCLEAN_DEBUG"] = "1"  # before plugins load; worker processes inherit it

    def show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
        if not quiet:
            kind = "warning" if category is PluginLoadWarning else category.__name__
            sys.stderr.write(f"{PROG}: {kind}: {one_line(str(message))}\n")

    warnings.showwarning = show_warning  # type: ignore[assignment]
    previous = {}
    try:
        for sig in _STOP_SIGNALS:
            previous[sig] = signal.signal(sig, _interrupted)
    except ValueError:  # not the main thread
        pass
    try:
        if argv[:1] == ["cleaners"]:
            return cmd_cleaners(argv[1:])
        return _run(argv)
    except NewscleanError as exc:
        from .plugins import debug_enabled

        if debug_enabled():
            import traceback

            traceback.print_exc()
        _print_error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        sys.stderr.write(f"\n{PROG}: interrupted{' by SIGTERM' if isinstance(exc, Terminated) else ''}\n")
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`newsclean big.jsonl | head`): stop quietly, like other filters.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run(argv: list[str]) -> int:
    from .config import resolve_config
    from .runner import DEFAULT_CHUNK_SIZE, DEFAULT_MAX_DOC_SIZE, Problem, clean_files

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list:
        return _list_cleaners()
    if args.diff and args.explain:
        parser.error("choose one of --diff and --explain")
    if args.backup is not None and not args.in_place:
        parser.error("--backup needs --in-place")
    if args.in_place and args.output:
        parser.error("choose one of --in-place and -o/--output")
    if args.config and args.no_config:
        parser.error("choose one of --config and --no-config")
    if args.scheduler and args.executor != "dask":
        parser.error("--scheduler needs --executor dask")
    if args.address and args.executor != "ray":
        parser.error("--address needs --executor ray")
    if args.trace == "-":
        parser.error("--trace needs a file name (standard output carries the cleaned text or the report)")
    for path in args.paths:
        if not os.path.lexists(path) and suggest(path, ["cleaners"]) and not any(c in path for c in "*?[/"):
            parser.error(f"no such file or folder: {show_name(path)}; did you mean the command '{PROG} cleaners'?")

    config = resolve_config(
        args.config,
        project=not args.no_config,
        only=args.only,
        enable=args.enable,
        disable=args.disable,
        assignments=args.assignments,
        fields=args.field,
        columns=args.column,
        enable_rules=args.enable_rules,
        disable_rules=args.disable_rules,
    )
    pipeline = config.pipeline()
    mode = "diff" if args.diff else "explain" if args.explain else "clean"

    shown = 0
    hidden = 0

    def on_problem(problem: Problem) -> None:
        nonlocal shown, hidden
        if problem.level != "error" and args.quiet:
            return
        if shown >= _MAX_SHOWN_PROBLEMS:
            hidden += 1
            return
        shown += 1
        where = show_name(problem.path) + ("" if problem.line is None else f":{problem.line}")
        sys.stderr.write(f"{PROG}: {problem.level}: {where}: {one_line(problem.message)}\n")

    color = mode != "clean" and _use_color(args.color, sys.stdout)
    report: TextIO = _TextOut(sys.stdout)  # type: ignore[assignment]
    # The progress bar (stderr) is drawn only where it cannot mix with the cleaned text or the report:
    # not when those go to a terminal, or to a pipe (`| head`, `| less` print to the terminal too).
    to_stdout = mode != "clean" or not (args.output or args.in_place)
    progress = not args.quiet and sys.stderr.isatty() and not (to_stdout and _may_reach_a_terminal(sys.stdout))
    if not args.quiet and args.paths in ([], ["-"]) and sys.stdin.isatty():
        sys.stderr.write(f"{PROG}: reading standard input (end with Ctrl-D; see {PROG} --help)\n")
    summary = clean_files(
        args.paths,
        pipeline,
        output=args.output,
        in_place=args.in_place,
        backup=args.backup,
        format=args.format,
        fields=config.fields or ("text",),
        columns=config.columns,
        delimiter=args.delimiter,
        jobs=args.jobs or None,
        executor=args.executor,
        address=args.scheduler or args.address,
        on_error=args.on_error,
        encoding=args.encoding,
        errors=args.errors,
        max_doc_size=args.max_doc_size or DEFAULT_MAX_DOC_SIZE,
        chunk_size=args.chunk_size or DEFAULT_CHUNK_SIZE,
        mode=mode,
        color=color,
        categories=bool(args.stats),
        report=report,
        trace=args.trace,
        on_problem=on_problem,
        progress=progress,
        doc_timeout=args.doc_timeout or None,
    )
    if mode == "explain":
        from .render import format_totals

        report.write(format_totals(summary.cleaners, color=color))
    sys.stdout.flush()
    if hidden:
        sys.stderr.write(f"{PROG}: … and {hidden} more problem(s) not shown"
                         f"{' (see the --stats file)' if args.stats else ''}\n")
    if args.stats:
        _write_stats(args.stats, summary, pipeline.names)
    if not args.quiet:
        # After text on the same terminal (which may not end with a line break), start on a line of its own.
        gap = "\n" if to_stdout and sys.stdout.isatty() and sys.stderr.isatty() else ""
        sys.stderr.write(gap + summary.format() + "\n")
    return summary.exit_code


def _may_reach_a_terminal(stream: TextIO) -> bool:
    """Whether what is written to ``stream`` may be shown on a terminal: a terminal, or a pipe or socket."""
    try:
        mode = os.fstat(stream.fileno()).st_mode
        return stream.isatty() or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)
    except (OSError, ValueError, AttributeError):
        return True


def _write_stats(path: str, summary: Any, names: Sequence[str]) -> None:
    from .io.atomic import AtomicOutput

    data = {"newsclean": __version__, "pipeline": list(names), **summary.as_dict()}
    with AtomicOutput(path) as out:
        # A file name that is not valid UTF-8 holds surrogate escapes: written as JSON \uDCxx escapes.
        out.write((json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace"))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
