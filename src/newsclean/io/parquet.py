"""Parquet: plan a file as ranges of row groups, clean a range, write the results (pyarrow).

Parquet needs the ``parquet`` extra (``pip install 'newsclean[parquet]'``): pyarrow is imported
only when a Parquet file is met.

- :func:`row_group_ranges` (the planner): the row groups of a file, grouped into ranges of about
  ``chunk_size`` uncompressed bytes (a row group is never split), with the number of the first
  row of each range, so messages name rows exactly.
- :func:`clean_row_groups` (in a worker): read the range one row group at a time, clean the
  string values of the chosen columns (``string`` or ``large_string``; nulls stay null, other
  columns and the schema, metadata included, are untouched) and return the cleaned row groups
  as an Arrow IPC stream, one record batch per input row group.
- :class:`ParquetOutput` (the writer): receives those streams in order and writes one row
  group per batch with the input file's compression, so memory stays bounded by a few row
  groups whatever the file size.

A "line" in a Parquet problem or diff is the row number, counted from 1.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .codecs import Clean, clean_column

__all__ = [
    "ParquetOutput",
    "ParquetPlan",
    "RowGroupOutput",
    "clean_row_groups",
    "require_pyarrow",
    "row_group_ranges",
]

def require_pyarrow() -> Any:
    """``pyarrow.parquet``, or an ImportError that names the extra to install."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ImportError("Parquet needs pyarrow: pip install 'newsclean[parquet]'") from exc
    return pq


@dataclass
class ParquetPlan:
    """How a Parquet file is split: ``ranges`` of ``(first_group, end_group, first_row, nbytes)``."""

    ranges: list[tuple[int, int, int, int]]
    columns: list[str]  # the requested columns that exist and hold strings
    schema: str  # "name: type, …", for messages


def row_group_ranges(path: str, fields: Sequence[str], chunk_size: int) -> ParquetPlan:
    """Plan ``path``; ``nbytes`` of the ranges add up to the file's size (header and footer in the last)."""
    import pyarrow as pa

    pq = require_pyarrow()
    with pq.ParquetFile(path) as handle:
        meta = handle.metadata
        schema = handle.schema_arrow
        ranges: list[tuple[int, int, int, int]] = []
        start = row = first_row = size = nbytes = 0
        total = 0
        for index in range(meta.num_row_groups):
            group = meta.row_group(index)
            size += group.total_byte_size
            nbytes += sum(group.column(c).total_compressed_size for c in range(group.num_columns))
            row += group.num_rows
            if size >= chunk_size or index == meta.num_row_groups - 1:
                ranges.append((start, index + 1, first_row + 1, nbytes))
                total += nbytes
                start, first_row, size, nbytes = index + 1, row, 0, 0
    extra = os.path.getsize(path) - total
    if ranges:
        last = ranges[-1]
        ranges[-1] = (last[0], last[1], last[2], last[3] + extra)
    strings = (pa.string(), pa.large_string())
    columns = [name for name in fields if name in schema.names and schema.field(name).type in strings]
    shown = ", ".join(f"{f.name}: {f.type}" for f in schema)
    return ParquetPlan(ranges, columns, shown)


@dataclass
class RowGroupOutput:
    data: bytes  # an Arrow IPC stream: one record batch per row group
    modified: bool = False
    records: int = 0
    missing: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def clean_row_groups(
    path: str, start: int, end: int, first_row: int, columns: Sequence[str], clean: Clean
) -> RowGroupOutput:
    """Clean row groups ``start``..``end - 1`` of ``path`` (the first row is number ``first_row``).

    ``clean(text, row, column)`` returns the cleaned text, or ``None`` to drop the row; it may
    raise :class:`~newsclean.io.codecs.FailRun`, which propagates.
    """
    import pyarrow as pa

    pq = require_pyarrow()
    result = RowGroupOutput(b"")
    sink = pa.BufferOutputStream()
    writer = None
    row = first_row
    with pq.ParquetFile(path) as handle:
        schema = handle.schema_arrow
        for index in range(start, end):
            table = handle.read_row_group(index)
            rows = table.num_rows
            result.records += rows
            keep = [True] * rows
            found = [False] * rows
            for name in columns:
                column = table.column(name)
                new_values = clean_column(column.to_pylist(), row, name, clean, keep, found)
                if new_values is not None:
                    position = table.schema.get_field_index(name)
                    table = table.set_column(position, table.schema.field(name), pa.array(new_values, type=column.type))
                    result.modified = True
            result.missing += sum(1 for i in range(rows) if keep[i] and not found[i])
            if not all(keep):
                table = table.filter(pa.array(keep, type=pa.bool_()))
                result.modified = True
            if writer is None:
                writer = pa.ipc.new_stream(sink, schema)
            # one batch per row group (a group all of whose rows were skipped has none)
            for batch in table.replace_schema_metadata(schema.metadata).combine_chunks().to_batches():
                writer.write_batch(batch)
            row += rows
    if writer is not None:
        writer.close()
    result.data = sink.getvalue().to_pybytes()
    return result


def _drop(data: bytes) -> None:
    pass


class _Forward:
    """A write-only file object that passes bytes on to a callable and counts them (for pyarrow)."""

    def __init__(self, write: Callable[[bytes], None]) -> None:
        self._write = write
        self.position = 0
        self.closed = False

    def write(self, data: Any) -> int:
        data = bytes(data)
        self._write(data)
        self.position += len(data)
        return len(data)

    def discard(self) -> None:
        self._write = _drop

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


class ParquetOutput:
    """Writes the cleaned row groups of one input file, in order, as a Parquet file.

    ``write`` is where the file's bytes go; ``source`` is the input file, whose compression
    codec the output keeps.  :meth:`add` takes one :func:`clean_row_groups` stream and returns
    the file bytes written so far; :meth:`close` writes the footer and returns them all.
    """

    def __init__(self, write: Callable[[bytes], None], source: str | None) -> None:
        self._out = _Forward(write)
        self._source = source
        self._writer: Any = None

    def _open(self, schema: Any) -> Any:
        pq = require_pyarrow()
        compression = "snappy"
        if self._source is not None:
            with pq.ParquetFile(self._source) as handle:
                meta = handle.metadata
                if meta.num_row_groups and meta.row_group(0).num_columns:
                    compression = meta.row_group(0).column(0).compression.lower()
        if compression in ("uncompressed", "none"):
            compression = "none"
        return pq.ParquetWriter(self._out, schema, compression=compression)

    def add(self, data: bytes | memoryview) -> int:
        import pyarrow as pa

        before = self._out.position
        with pa.ipc.open_stream(pa.py_buffer(data)) as reader:
            if self._writer is None:
                self._writer = self._open(reader.schema)
            for batch in reader:
                self._writer.write_batch(batch, row_group_size=max(1, batch.num_rows))
        return self._out.position - before

    def discard(self) -> None:
        """Give up the file: nothing more is written (the output is being aborted)."""
        self._out.discard()
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None

    def close(self) -> int:
        """Finish the file (an input without rows still gets a valid, empty Parquet file)."""
        before = self._out.position
        if self._writer is None:
            pq = require_pyarrow()
            if self._source is None:
                return 0
            schema = pq.read_schema(self._source)
            self._writer = self._open(schema)
        self._writer.close()
        return self._out.position - before
