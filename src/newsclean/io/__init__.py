"""Reading and writing the files newsclean cleans.

- :mod:`newsclean.io.formats`: which format a path is (``txt``, ``jsonl``,
  ``csv``, ``tsv``) and which compression (``.gz``, ``.bz2``, ``.xz``).
- :mod:`newsclean.io.discovery`: turn command-line paths (files, folders,
  globs, ``-``) into a list of :class:`InputFile`; skip non-regular files in
  folders; open named pipes without blocking forever.
- :mod:`newsclean.io.sniffing`: tell JSON Lines from text and compression from
  magic bytes where the name does not say (standard input, ``.json``).
- :mod:`newsclean.io.readers`: split an input stream into chunks of whole
  records (bounded memory), with line numbers and byte offsets.
- :mod:`newsclean.io.codecs`: per-format record handling inside a chunk
  (parse, clean the text fields, serialise; unchanged records pass through
  byte for byte).
- :mod:`newsclean.io.writing`: write to a stream in full (a short write to a
  closed pipe raises instead of dropping output).
- :mod:`newsclean.io.atomic`: atomic output files (temporary file in the same
  folder, flush, fsync, rename; removed on error or Ctrl-C).
"""

from __future__ import annotations

from .atomic import AtomicOutput, cleanup_temporaries
from .discovery import InputFile, discover
from .formats import COMPRESSIONS, FORMATS, detect

__all__ = [
    "COMPRESSIONS",
    "FORMATS",
    "AtomicOutput",
    "InputFile",
    "cleanup_temporaries",
    "detect",
    "discover",
]
