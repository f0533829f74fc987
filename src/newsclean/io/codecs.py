"""Per-format record handling inside one decoded chunk (runs in worker processes).

Each function takes the decoded text of a chunk, the line number of its first
line and a ``clean(text, line, field)`` callback, and returns a
:class:`ChunkOutput`.  ``clean`` returns the cleaned text, or ``None`` to drop
the record (the ``skip`` error policy); it may raise :class:`FailRun` (the
``fail`` policy).

Records that no cleaner changed are written back exactly as they were read.
In a changed JSONL record only the cleaned string values change: each new
value (non-ASCII characters kept, ``ensure_ascii=False``) is spliced into the
original text of the line, so every other byte stays as it was — key order,
spacing, escapes, numbers such as ``1e400`` or ``1E5``, duplicate keys (the
last occurrence of a key is the one cleaned, as ``json.loads`` reads it).
Changed CSV rows are re-written with the csv module (minimal quoting, the
record's own line ending).

A JSONL or CSV chunk that does not decode is decoded with ``surrogateescape``
(:func:`decode_records`): each record holding an undecodable byte is then a
record problem under the error policy — kept byte for byte, skipped, or the
run stopped — and the other records are cleaned.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from json.decoder import scanstring

__all__ = [
    "KEEP_BYTES",
    "ChunkOutput",
    "FailRun",
    "Undecodable",
    "clean_column",
    "csv_chunk",
    "decode_records",
    "jsonl_chunk",
    "splice_values",
    "txt_chunk",
]

Clean = Callable[[str, int, str | None], "str | None"]

# Article bodies are long; the csv module's default field limit is 128 KiB.
csv.field_size_limit(2**31 - 1)

_decoder = json.JSONDecoder()
_loads = _decoder.decode
_scan_value = _decoder.scan_once
_dumps = json.JSONEncoder(ensure_ascii=False).encode
_WHITESPACE = re.compile(r"[ \t\n\r]*")
# What surrogateescape makes of undecodable bytes (no codec decodes valid input to lone low surrogates)
_ESCAPED = re.compile("[\udc80-\udcff]")
#: at most this many field names of records without a requested field are collected per chunk
MAX_FOUND_FIELDS = 20


class FailRun(Exception):
    """Raised under the ``fail`` error policy to stop the whole run; ``args`` are the ``(line, message)`` errors."""


@dataclass
class ChunkOutput:
    parts: list[str]
    modified: bool = False
    records: int = 0
    missing: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    #: field names found in records that had none of the requested fields (at most MAX_FOUND_FIELDS)
    found_fields: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Undecodable:
    """A chunk decoded with ``surrogateescape`` because some of its bytes are not ``encoding``:
    ``offset`` is the byte offset of its text in the file (for messages)."""

    encoding: str
    offset: int

    def check(self, record: str, start: int) -> tuple[str | None, int]:
        """The error for ``record`` if it holds undecodable bytes, and its length in bytes (``start``: its
        byte offset in the chunk)."""
        raw = record.encode(self.encoding, "surrogateescape")
        if _ESCAPED.search(record) is None:
            return None, len(raw)
        try:
            raw.decode(self.encoding)
        except UnicodeDecodeError as exc:
            return f"invalid {self.encoding} at byte {self.offset + start + exc.start}: {exc.reason}", len(raw)
        return None, len(raw)  # pragma: no cover  (an escaped character always came from an undecodable byte)


def _keep_bytes(exc: UnicodeError) -> tuple[bytes, int]:
    """Encode error handler: an escaped undecodable byte becomes that byte again; any other lone surrogate
    (from a JSON escape) a backslash escape, as ``backslashreplace`` writes it."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for char in exc.object[exc.start:exc.end]:
        code = ord(char)
        out.append(bytes([code - 0xDC00]) if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}".encode())
    return b"".join(out), exc.end


#: the error handler that writes the records of a :func:`decode_records` chunk back (see :func:`_keep_bytes`)
KEEP_BYTES = "newsclean.keep-bytes"
codecs.register_error(KEEP_BYTES, _keep_bytes)


def decode_records(body: bytes, encoding: str, offset: int) -> tuple[str, Undecodable]:
    """``body`` (JSONL or CSV records that do not all decode) with undecodable bytes escaped, and the
    :class:`Undecodable` that finds them record by record.  Encode the output with ``surrogateescape``
    to write such a record back byte for byte."""
    return body.decode(encoding, "surrogateescape"), Undecodable(encoding, offset)


def txt_chunk(text: str, first_line: int, clean: Clean) -> ChunkOutput:
    """A plain-text file: the whole text is one document.

    A file that ends with a line break ends with one after cleaning too (a text file's last
    line is terminated): the final ``\n`` (or ``\r\n``) is set aside, the rest is cleaned, and it
    is put back unless the document was cleaned to nothing.  The cleaners never see it, so
    ``--diff`` shows exactly what is written.
    """
    ending = "\r\n" if text.endswith("\r\n") else "\n" if text.endswith("\n") else ""
    body = text[: len(text) - len(ending)] if ending else text
    new = clean(body, first_line, None)
    if new is None:
        return ChunkOutput([], modified=True, records=1)
    if new is body:
        return ChunkOutput([text], records=1)
    if ending and new:
        new += ending if ending == "\n" or "\r\n" in new else "\n"
    return ChunkOutput([new], modified=new != text, records=1)


def _record_error(result: ChunkOutput, line: int, message: str, raw: str, on_error: str) -> None:
    """A record that cannot be cleaned: reported; kept as ``raw``, dropped, or the run stopped."""
    result.errors.append((line, message))
    if on_error == "fail":
        raise FailRun(result.errors[-1])
    if on_error == "skip":
        result.modified = True
    else:
        result.parts.append(raw)


def _missing(result: ChunkOutput, keys: object) -> None:
    result.missing += 1
    found = result.found_fields
    if len(found) < MAX_FOUND_FIELDS and isinstance(keys, dict):
        found.update(k for k, _ in zip(keys, range(MAX_FOUND_FIELDS - len(found)), strict=False))


def jsonl_chunk(
    text: str, first_line: int, clean: Clean, fields: Sequence[str], on_error: str,
    undecodable: Undecodable | None = None,
) -> ChunkOutput:
    """JSON Lines: clean the string value of each of ``fields`` in every object.

    ``undecodable``: the chunk was decoded by :func:`decode_records`; lines with undecodable bytes
    are record errors."""
    result = ChunkOutput([])
    out = result.parts
    pieces = text.split("\n")  # not splitlines(): U+2028 etc. may appear raw inside JSON strings
    last = len(pieces) - 1
    position = 0  # (only kept up to date for an undecodable chunk)
    for i, body in enumerate(pieces):
        newline = "\n" if i < last else ""
        if i == last and not body:
            break
        if undecodable is not None:
            problem, size = undecodable.check(body + newline, position)
            position += size
        if not body or body.isspace():
            out.append(body + newline)
            continue
        line = first_line + i
        if undecodable is not None and problem is not None:
            _record_error(result, line, problem, body + newline, on_error)
            continue
        try:
            obj = _loads(body)
        except ValueError as exc:
            msg = getattr(exc, "msg", str(exc))
            col = getattr(exc, "colno", None)
            _record_error(result, line, f"malformed JSON ({msg}{f', column {col}' if col else ''})", body + newline,
                          on_error)
            continue
        result.records += 1
        if type(obj) is not dict:
            _missing(result, None)
            out.append(body + newline)
            continue
        changes: dict[str, str] = {}
        found = dropped = False
        for name in fields:
            value = obj.get(name)
            if type(value) is str:
                found = True
                new = clean(value, line, name)
                if new is None:
                    dropped = True
                    break
                if new is not value and new != value:
                    changes[name] = new
        if dropped:
            result.modified = True
            continue
        if not found:
            _missing(result, obj)
        if changes:
            out.append(splice_values(body, changes) + newline)
            result.modified = True
        else:
            out.append(body + newline)
    return result


def splice_values(body: str, changes: Mapping[str, str]) -> str:
    """``body`` (the text of one JSON object) with the values of the top-level keys in ``changes``
    replaced by those strings, JSON-encoded; every other character stays as it was.

    Of a key that appears more than once, the last occurrence is replaced (the one ``json.loads``
    returns).  ``body`` must be a valid JSON object.
    """
    spans: dict[str, tuple[int, int]] = {}
    ws = _WHITESPACE.match
    i = ws(body, ws(body).end() + 1).end()  # just inside the "{"
    while body[i] != "}":
        key, i = scanstring(body, i + 1)
        start = ws(body, ws(body, i).end() + 1).end()  # past the ":"
        _, i = _scan_value(body, start)
        if key in changes:
            spans[key] = (start, i)
        i = ws(body, i).end()
        if body[i] == ",":
            i = ws(body, i + 1).end()
    parts = []
    last = 0
    for key, (start, end) in sorted(spans.items(), key=lambda item: item[1]):
        parts.append(body[last:start])
        parts.append(_dumps(changes[key]))
        last = end
    parts.append(body[last:])
    return "".join(parts)


@dataclass(frozen=True)
class CsvLayout:
    """What a worker needs to know about a CSV/TSV file: its delimiter and the columns to clean."""

    delimiter: str
    columns: tuple[int, ...]
    names: tuple[str, ...]
    width: int


def csv_chunk(
    text: str, first_line: int, clean: Clean, layout: CsvLayout, on_error: str, undecodable: Undecodable | None = None
) -> ChunkOutput:
    """CSV/TSV body rows: clean the configured columns; unchanged rows are copied verbatim.

    ``undecodable``: as for :func:`jsonl_chunk` (a row with undecodable bytes is a record error)."""
    result = ChunkOutput([])
    out = result.parts
    consumed: list[str] = []

    def lines():  # type: ignore[no-untyped-def]
        for line in split_lines(text):
            consumed.append(line)
            yield line

    reader = csv.reader(lines(), delimiter=layout.delimiter, quotechar='"', strict=True)
    line = first_line
    position = 0
    buffer = io.StringIO()
    # "\r\n" as terminator makes the writer quote fields holding a lone "\r" too; it is replaced by the row's own.
    writer = csv.writer(buffer, delimiter=layout.delimiter, quotechar='"', lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    while True:
        try:
            row = next(reader)
            error = None
        except StopIteration:
            break
        except csv.Error as exc:
            row, error = None, f"malformed CSV row ({exc})"
        raw = "".join(consumed)
        consumed.clear()
        start = line
        line += raw.count("\n")
        if undecodable is not None:
            problem, size = undecodable.check(raw, position)
            error, position = problem or error, position + size
        if row is not None and not row:  # blank line
            out.append(raw)
            continue
        if error is None and len(row) != layout.width:  # type: ignore[arg-type]
            error = f"malformed CSV row (expected {layout.width} fields, got {len(row)})"  # type: ignore[arg-type]
        if error is not None:
            _record_error(result, start, error, raw, on_error)
            continue
        assert row is not None
        result.records += 1
        if not layout.columns:
            result.missing += 1
            out.append(raw)
            continue
        changed = dropped = False
        for index, name in zip(layout.columns, layout.names, strict=False):
            value = row[index]
            new = clean(value, start, name)
            if new is None:
                dropped = True
                break
            if new is not value and new != value:
                row[index] = new
                changed = True
        if dropped:
            result.modified = True
            continue
        if not changed:
            out.append(raw)
            continue
        terminator = "\r\n" if raw.endswith("\r\n") else "\n" if raw.endswith("\n") else ""
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        out.append(buffer.getvalue()[:-2] + terminator)
        result.modified = True
    return result


def clean_column(
    values: Sequence[object], first_row: int, name: str, clean: Clean, keep: list[bool], found: list[bool]
) -> list[object] | None:
    """One column of a table (Parquet row group, Arrow batch, pandas partition): clean its ``str`` values.

    Anything else (``None``, NaN, numbers) is left as it is.  ``keep[i]`` becomes False when row
    ``i`` is dropped (``clean`` returned ``None``; rows already dropped are not cleaned again),
    ``found[i]`` True when the row has a string in this column.  Returns the new values, or
    ``None`` when nothing changed.  Row ``i`` is numbered ``first_row + i`` in messages.
    """
    new_values: list[object] | None = None
    for i, value in enumerate(values):
        if type(value) is not str or not keep[i]:
            continue
        found[i] = True
        new = clean(value, first_row + i, name)
        if new is None:
            keep[i] = False
        elif new is not value and new != value:
            if new_values is None:
                new_values = list(values)
            new_values[i] = new
    return new_values


def split_lines(text: str) -> list[str]:
    """Lines ending in ``\\n`` (kept).  Not ``splitlines()``: a lone ``\\r`` inside a quoted field is data."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    if not lines[-1]:
        lines.pop()
    return lines


def parse_header(text: str, delimiter: str) -> list[str]:
    """The column names of a CSV header line."""
    rows = list(csv.reader(split_lines(text), delimiter=delimiter, quotechar='"'))
    return rows[0] if rows else []
