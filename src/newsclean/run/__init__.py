"""Clean files and record streams: the library behind the ``newsclean`` command.

Everything the command line does is available here::

    from newsclean import Pipeline
    from newsclean.run import clean_files, clean_records

    summary = clean_files(["scraped/"], Pipeline.default(), output="cleaned/", jobs=4)
    print(summary.format())            # documents, MB/s, per-cleaner counts
    summary.exit_code                  # 0 all clean, 1 some inputs or records had errors

    for record in clean_records(rows, fields=["title", "body"], jobs=2):
        ...

How files are processed: the calling process splits each input into chunks
of whole records (about ``chunk_size`` bytes; a plain-text file is one chunk)
and hands them to ``jobs`` worker processes, each holding one pipeline built
once (``jobs=1`` cleans in the calling process).  For a regular uncompressed
file only the byte range travels: the worker reads the bytes itself.
Workers decode, parse, clean and serialise; the caller writes
results in input order, with at most ``4 × jobs`` chunks in flight, so memory
stays bounded whatever the file size and the output is identical to
``jobs=1`` (everything in the calling process).

Per-cleaner statistics (documents each cleaner changed, characters it removed
and added) are counted while cleaning, by stepping through the cleaners and
comparing lengths, at no measurable cost; removed/added are the net length
change per document, the same numbers :meth:`~newsclean.Pipeline.explain`
reports, so explain, diff and normal runs agree with every executor.
``mode="explain"`` and ``"diff"`` trace each document
(:meth:`~newsclean.Pipeline.trace`) and also count each cleaner's changes per
category, as a normal run does with ``categories=True`` (1.2-1.5x its cost).
``trace=`` also traces every document: the worker makes each document's record
up to its place, and the writer completes and writes the records in input
order, so the trace file is the same with every executor and number of jobs.

Error policy (``on_error``) for a malformed JSONL/CSV record or a cleaner that
raises on a document: ``"keep"`` (default) writes the record through
unchanged, ``"skip"`` drops it, ``"fail"`` stops the run.  Every problem is
reported (file, line, byte offset where it helps) through ``on_problem`` and
counted in the summary.  With ``doc_timeout``, a document that takes longer (a
cleaner that hangs) is stopped and handled the same way, as is one whose
worker process died (:mod:`newsclean.run.timeouts`).  A file that cannot be read, is not valid in its
encoding, contains NUL bytes (binary) or is too large is skipped whole: its
output is not written (outputs are atomic) and the other files go on.  (On a
stream such as standard output, the chunks before a file-level error have
already been written: a stream cannot be taken back.)

The parts, each a small module that knows nothing of the others' insides:

- :mod:`newsclean.run.plan`: the planner, inputs → ordered tasks (:mod:`newsclean.run.tasks`:
  plain picklable data: a file and byte range, or the bytes; format; CSV layout);
- :mod:`newsclean.run.executors`: run tasks and hand back results (``inline``,
  ``processes``), each with a :class:`~newsclean.run.worker.Worker` holding the pipeline
  and, with a time limit, a :class:`~newsclean.run.timeouts.Watchdog`;
- :mod:`newsclean.run.writer`: results in input order into :mod:`newsclean.run.sinks`,
  counted into the :class:`RunSummary` (:mod:`newsclean.run.summary`) as they are written;
- :mod:`newsclean.run.files` and :mod:`newsclean.run.records`: the public calls.
"""

from __future__ import annotations

from .executors import EXECUTORS, ExecutorError
from .files import clean_files
from .options import (
    DECODE_ERRORS,
    DEFAULT_CHUNK_SIZE,
    DEFAULT_MAX_DOC_SIZE,
    MODES,
    ON_ERROR,
    UsageError,
    default_jobs,
)
from .records import clean_records, clean_texts
from .summary import CleanerStats, Problem, RunSummary

__all__ = [
    "DECODE_ERRORS",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_DOC_SIZE",
    "EXECUTORS",
    "MODES",
    "ON_ERROR",
    "CleanerStats",
    "ExecutorError",
    "Problem",
    "RunSummary",
    "UsageError",
    "clean_files",
    "clean_records",
    "clean_texts",
    "default_jobs",
]
