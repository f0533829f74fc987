"""Trace records: one JSON object per document, for auditing a run later (``--trace FILE.jsonl``).

A record says where the document came from and lists its edits with their spans in the
*input* (and in the output), so a reviewer can find every removed or replaced stretch in the
raw file without the cleaned one::

    {"source": "dump.jsonl", "line": 12, "field": "text", "id": null,
     "length": [2874, 2511], "edits": [
       {"cleaner": "html", "category": "entity", "rule": "", "original": [40, 45],
        "cleaned": [40, 41], "removed": "&amp;", "inserted": "&"}, ...]}

- ``source``: the input as the run names it in its messages (``"<stdin>"`` for standard
  input); ``line``: the line of the record (JSONL; CSV: the line its row starts on), the row
  of a Parquet file (from 1), ``null`` for a plain-text file; ``field``: the field or column
  cleaned (``null`` for plain text); ``id``: a record identifier when the caller has one
  (``null`` in file runs, where ``source`` and ``line`` identify the record);
- ``length``: the number of characters (code points) of the input and of the output;
- ``edits``: :meth:`Edit.as_dict <newsclean.Edit.as_dict>` of each edit, in order (``score``
  and ``detail`` only where set, ``steps`` only where several cleaners made one edit).
  Offsets count code points, as Python's ``str`` does;
- ``error`` (only when a cleaner failed on the document): the problem as the run reported it;
  ``edits`` is then empty and ``length`` gives the output as ``null`` when the record was
  dropped (``--on-error skip``), as the input's length when it was kept unchanged.

Records without edits are written too (``"edits": []``), so the file accounts for every
document.  :func:`read_trace` reads a file back.

A file run makes the record of a document in the worker that cleans it, up to its ``source``
and ``line`` (:func:`document_record`, encoded by :func:`encode_tail`), and the writer, which
knows both, completes it (:func:`encode_line`) in input order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from ..tracing import Trace

__all__ = [
    "TraceWriter",
    "document_record",
    "encode_line",
    "encode_source",
    "encode_tail",
    "failure_record",
    "read_trace",
    "trace_record",
]

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_dumps_ascii = json.JSONEncoder(separators=(",", ":")).encode


def _encode(value: Any) -> bytes:
    """Compact JSON in UTF-8; lone surrogates (possible in ``str``, not in UTF-8) as JSON escapes."""
    try:
        return _dumps(value).encode("utf-8")
    except UnicodeEncodeError:
        return _dumps_ascii(value).encode("ascii")


def document_record(trace: Trace, field: str | None = None, id: Any = None) -> dict[str, Any]:
    """A record's members after ``source`` and ``line``: ``field``, ``id``, ``length`` and ``edits``."""
    return {
        "field": field,
        "id": id,
        "length": [len(trace.original), len(trace.text)],
        "edits": [edit.as_dict() for edit in trace.edits],
    }


def failure_record(length: int, kept: bool, error: str, field: str | None = None, id: Any = None) -> dict[str, Any]:
    """:func:`document_record` of a document a cleaner failed on: ``length`` characters, ``kept`` unchanged
    (else dropped), ``error`` the message the run reported."""
    return {"field": field, "id": id, "length": [length, length if kept else None], "edits": [], "error": error}


def trace_record(
    trace: Trace, source: str, line: int | None = None, field: str | None = None, id: Any = None
) -> dict[str, Any]:
    """The JSON-ready record of one document's trace (see the module documentation)."""
    return {"source": source, "line": line, **document_record(trace, field, id)}


def encode_tail(members: dict[str, Any]) -> bytes:
    """The JSON of a :func:`document_record` (or :func:`failure_record`) without its opening brace:
    what follows ``"line":N,`` in the record's line."""
    return _encode(members)[1:]


def encode_line(source: bytes, line: int | None, tail: bytes) -> bytes:
    """A record's line (with its newline) from ``source`` (its JSON: :func:`encode_source`),
    ``line`` and the :func:`encode_tail` of its other members."""
    return b'{"source":%s,"line":%s,%s\n' % (source, b"null" if line is None else b"%d" % line, tail)


def encode_source(source: str) -> bytes:
    """The JSON of a record's ``source`` (made once per input by a file run)."""
    return _encode(source)


class TraceWriter:
    """Writes trace records as JSON Lines (UTF-8, one record per line) to a binary stream.

    ``with TraceWriter(open("audit.jsonl", "wb")) as out: out.write(trace, "a.txt")``.
    The caller keeps the order: write the records in input order."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.records = 0

    def write(self, trace: Trace, source: str, line: int | None = None, field: str | None = None,
              id: Any = None) -> None:
        self.write_record(trace_record(trace, source, line, field, id))

    def write_record(self, record: dict[str, Any]) -> None:
        """Write a record made by :func:`trace_record` (for instance in a worker process)."""
        self.stream.write(_encode(record) + b"\n")
        self.records += 1

    def __enter__(self) -> TraceWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.flush()


def read_trace(stream: IO[bytes]) -> Iterator[dict[str, Any]]:
    """The records of a trace file, in order."""
    for raw in stream:
        if raw.strip():
            yield json.loads(raw)
