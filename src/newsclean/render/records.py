"""Trace records: one JSON object per document, for auditing a run later (``--trace FILE.jsonl``).

A record says where the document came from and lists its edits with their spans in the
*input* (and in the output), so a reviewer can find every removed or replaced stretch in the
raw file without the cleaned one::

    {"source": "dump.jsonl", "line": 12, "field": "text", "id": null,
     "length": [2874, 2511], "edits": [
       {"cleaner": "html", "category": "entity", "rule": "", "original": [40, 46],
        "cleaned": [40, 41], "removed": "&nbsp;", "inserted": " "}, ...]}

- ``source``: the input as given (``"-"`` for standard input); ``line``: the line (JSONL,
  CSV) of the record, ``null`` for a plain-text file; ``field``: the field or column
  cleaned (``null`` for plain text); ``id``: a record identifier when the caller has one;
- ``length``: the number of characters (code points) of the input and of the output;
- ``edits``: :meth:`Edit.as_dict <newsclean.Edit.as_dict>` of each edit, in order (``score``
  and ``detail`` only where set, ``steps`` only where several cleaners made one edit).
  Offsets count code points, as Python's ``str`` does.

Records without edits are written too (``"edits": []``), so the file accounts for every
document.  :func:`read_trace` reads a file back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from ..tracing import Trace

__all__ = ["TraceWriter", "read_trace", "trace_record"]


def trace_record(
    trace: Trace, source: str, line: int | None = None, field: str | None = None, id: Any = None
) -> dict[str, Any]:
    """The JSON-ready record of one document's trace (see the module documentation)."""
    return {
        "source": source,
        "line": line,
        "field": field,
        "id": id,
        "length": [len(trace.original), len(trace.text)],
        "edits": [edit.as_dict() for edit in trace.edits],
    }


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
        try:
            data = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates (possible in str, not in UTF-8): JSON escapes
            data = json.dumps(record, separators=(",", ":")).encode("ascii")
        self.stream.write(data + b"\n")
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
