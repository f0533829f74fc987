"""File formats and compression, chosen by file name (or forced by the caller).

========  =============================================  ======================
format    extensions                                     a document is
========  =============================================  ======================
``txt``   ``.txt`` ``.text`` (and any unknown extension  the whole file
          when a file is named explicitly)
``jsonl`` ``.jsonl`` ``.ndjson`` (``.json`` when its      a string field of a
          content is JSON Lines)                         JSON object per line
``csv``   ``.csv``                                       a column of a row
``tsv``   ``.tsv`` ``.tab``                              a column of a row
``parquet`` ``.parquet`` (needs the ``parquet`` extra)   a string column of a
                                                         row
========  =============================================  ======================

Standard input, ``.json`` files and files with other extensions named explicitly are
looked into to tell JSON Lines from text (:mod:`newsclean.io.sniffing`).

Any of them but Parquet (compressed inside) may end in ``.gz``, ``.bz2`` or ``.xz``: the file is decompressed
on reading and the output is compressed the same way.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
from pathlib import PurePath
from typing import IO, BinaryIO

__all__ = ["COMPRESSIONS", "EXTENSIONS", "FORMATS", "detect", "open_compressed_reader", "wrap_compressed_writer"]

FORMATS = ("txt", "jsonl", "csv", "tsv", "parquet")

EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",  # JSON Lines or not: decided by content (newsclean.io.sniffing)
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
}

COMPRESSIONS = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bz2", ".xz": "xz", ".lzma": "xz"}


def detect(path: str | PurePath) -> tuple[str | None, str | None]:
    """Return ``(format, compression)`` for a file name; either may be ``None`` (unknown / uncompressed)."""
    suffixes = [s.lower() for s in PurePath(path).suffixes]
    compression = None
    if suffixes and suffixes[-1] in COMPRESSIONS:
        compression = COMPRESSIONS[suffixes.pop()]
    fmt = EXTENSIONS.get(suffixes[-1]) if suffixes else None
    return fmt, compression


def open_compressed_reader(raw: BinaryIO, compression: str | None) -> IO[bytes]:
    """Wrap a binary stream so that reading it yields decompressed bytes."""
    if compression is None:
        return raw
    if compression == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if compression == "bz2":
        return bz2.BZ2File(raw, "rb")
    if compression == "xz":
        return lzma.LZMAFile(raw, "rb")
    raise ValueError(f"unknown compression {compression!r}")


def wrap_compressed_writer(raw: BinaryIO, compression: str | None, name: str = "") -> IO[bytes]:
    """Wrap a binary stream so that bytes written to it are compressed (the wrapper does not close ``raw``)."""
    if compression is None:
        return raw
    if compression == "gzip":
        # mtime=0 and a fixed name make the output reproducible byte for byte.
        return gzip.GzipFile(filename=name, fileobj=raw, mode="wb", compresslevel=6, mtime=0)
    if compression == "bz2":
        return bz2.BZ2File(raw, "wb")
    if compression == "xz":
        return lzma.LZMAFile(raw, "wb")
    raise ValueError(f"unknown compression {compression!r}")
