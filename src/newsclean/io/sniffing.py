"""Decide an input's format and compression from its first bytes, where its name does not say.

Used for standard input, for ``.json`` files and for files named explicitly whose extension is
not a known format, so that JSON Lines is never cleaned as plain text (which would edit inside
the JSON syntax and write invalid JSON):

- compression by magic bytes: gzip (``1f 8b``), bzip2 (``BZh``), xz (``fd 37 7A 58 5A 00``); a
  zip, zstd, lz4 or 7-zip stream is refused (newsclean cannot decompress it);
- JSON Lines when the first line is a JSON object (or, when the first line is longer than the
  bytes looked at, when it starts with ``{"``);
- a JSON array (``[`` then ``{`` or ``"``), or JSON whose first line is not a whole object (a
  pretty-printed document) is refused with :class:`~newsclean.io.readers.MalformedInput`: the
  message says how to convert it or which ``--format`` to give;
- anything else is plain text (``.json`` files: refused, they are not JSON Lines).

A compressed input is looked into: the decompressed start decides its format.  bzip2
decompresses in blocks of up to 900 KB, more than standard input lets us look at without
consuming it: such a stream is refused with a message naming ``--format`` (with ``--format``
it is read; a file is simply read further).
"""

from __future__ import annotations

import bz2
import io
import json
import lzma
import re
import zlib
from typing import IO

from .readers import BOM, MalformedInput

__all__ = ["SNIFF_BYTES", "binary_kind", "peek", "sniff", "sniff_compression"]

#: How many bytes are looked at.
SNIFF_BYTES = 64 * 1024

_MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"))
_UNSUPPORTED = (
    (b"PK\x03\x04", "a zip archive"),
    (b"(\xb5/\xfd", "zstandard-compressed data"),
    (b"\x04\x22\x4d\x18", "lz4-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
)
_OBJECT_START = re.compile(rb'\{[ \t\r\n]*["}]')
_ARRAY_START = re.compile(rb'\[[ \t\r\n]*[{"\]]')
_CONVERT = "convert it to JSON Lines (one object per line), e.g. jq -c {} FILE > FILE.jsonl"


def sniff_compression(head: bytes) -> str | None:
    """``"gzip"``, ``"bz2"``, ``"xz"`` or ``None`` from the magic bytes; raises for formats newsclean cannot read."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    for magic, what in _UNSUPPORTED:
        if head.startswith(magic):
            raise MalformedInput(f"{what}: newsclean reads gzip, bzip2 and xz compression only; decompress it first")
    return None


_BINARY = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"), (b"%PDF-", "a PDF file"),
)


def binary_kind(head: bytes) -> str | None:
    """What ``head`` is if it starts binary data rather than text (in some encoding): a compression,
    archive or image format named by its magic bytes, or ``"contains NUL bytes"``; else ``None``."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return f"{name}-compressed; a name ending in {_SUFFIXES[name]} has it decompressed"
    for magic, what in _UNSUPPORTED + _BINARY:
        if head.startswith(magic):
            return what
    return "contains NUL bytes" if b"\x00" in head else None


_SUFFIXES = {"gzip": ".gz", "bz2": ".bz2", "xz": ".xz"}
_NAMES = {"gzip": "gzip", "bz2": "bzip2", "xz": "xz"}


def _decompress_head(head: bytes, compression: str) -> bytes:
    """As much of the start of ``head``'s decompressed content as it holds (b"" if none or corrupt)."""
    try:
        if compression == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, SNIFF_BYTES)
        if compression == "bz2":
            return bz2.BZ2Decompressor().decompress(head, SNIFF_BYTES)
        return lzma.LZMADecompressor().decompress(head, SNIFF_BYTES)
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError):
        return b""


def sniff(head: bytes, *, eof: bool, json_file: bool = False, compression: str | None = None) -> str:
    """The format of content starting with ``head``: ``"jsonl"`` or ``"txt"``.

    ``eof``: ``head`` is the whole content.  ``json_file``: the name says JSON (``.json``), so
    content that is not JSON Lines is refused rather than taken as text.  ``compression``: the
    content is ``head`` decompressed with it (``eof`` then refers to the compressed bytes).
    Raises :class:`MalformedInput` for JSON that is not JSON Lines.
    """
    if compression is not None:
        head, eof = _decompress_head(head, compression), False
        if not head:  # bzip2 decompresses in blocks of up to 900 KB: more than a pipe lets us look at
            raise MalformedInput(
                f"{_NAMES[compression]}-compressed, and too little of it can be looked at to tell what it holds: "
                "give --format (txt, jsonl, csv or tsv)"
            )
    text = head.removeprefix(BOM).lstrip(b" \t\r\n")
    if text.startswith(b"{"):
        newline = text.find(b"\n")
        if newline < 0 and not eof:  # a first record longer than what we looked at
            if _OBJECT_START.match(text):
                return "jsonl"
        else:
            try:
                first = json.loads(text[: newline if newline >= 0 else len(text)])
            except ValueError:
                first = None
            if isinstance(first, dict):
                return "jsonl"
        raise MalformedInput(
            "starts like JSON, but its first line is not a JSON object, so it is not JSON Lines (one object per "
            "line; a pretty-printed document is not): give --format txt to clean it as text, or " + _CONVERT.format(".")
        )
    if _ARRAY_START.match(text) or (json_file and text.startswith(b"[")):
        raise MalformedInput("a JSON array, not JSON Lines: " + _CONVERT.format("'.[]'"))
    if json_file:
        raise MalformedInput("not JSON Lines (a JSON object on each line): give --format to say what it is")
    return "txt"


def peek(stream: IO[bytes]) -> tuple[bytes, bool] | None:
    """Up to :data:`SNIFF_BYTES` of ``stream``'s next bytes without consuming them, and whether that is all.

    Uses ``peek()`` (buffered readers: standard input) or a read and a seek back; ``None`` when the
    stream can do neither.  A pipe's ``peek()`` returns what one read brings (often less than asked).
    """
    if isinstance(stream, io.BufferedReader):
        head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        return head, not head
    try:
        seekable = stream.seekable()
    except (AttributeError, ValueError, OSError):
        seekable = False
    if not seekable:
        return None
    position = stream.tell()
    head = stream.read(SNIFF_BYTES + 1)
    stream.seek(position)
    return head[:SNIFF_BYTES], len(head) <= SNIFF_BYTES
