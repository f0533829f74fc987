"""Fuzz the default pipeline and every built-in cleaner with atheris (libFuzzer, coverage-guided).

For any input string, each target must not raise, must return a ``str``, must be idempotent
(cleaning its own output changes nothing) and, for the pipeline, ``explain()`` must return the
same text as ``clean()`` (``fuzz/fuzz_targets.py``).  The first byte of an input picks the target; the
second how the rest becomes a string: UTF-8 (invalid bytes become lone surrogates, so every byte
sequence is a test and the dictionary's tokens stay meaningful) or atheris' ``ConsumeUnicode``
(any code point).

    pip install -e '.[fuzz]'
    python fuzz/fuzz_cleaners.py -dict=fuzz/newsclean.dict -max_total_time=20 CORPUS fuzz/seeds  # CI
    mkdir -p fuzz/corpus && python fuzz/fuzz_cleaners.py -dict=fuzz/newsclean.dict \\
        -max_total_time=3600 -max_len=4096 fuzz/corpus fuzz/seeds                             # long run

libFuzzer adds the inputs it finds to the first folder given: put a scratch folder (fuzz/corpus,
ignored by git, or a temporary one as .ci/run does) before fuzz/seeds, which it then only reads.
    python fuzz/fuzz_cleaners.py crash-<sha1>                                                  # replay

A failure stops the run, prints the target and the input, and leaves ``crash-<sha1>``; add the
input to ``tests/test_fuzz_regressions.py`` before fixing it.  Only built-in cleaners are fuzzed.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["newsclean", "ftfy", "fuzz_targets"]):
    # Building the targets imports every cleaner module: inside this block, so they are instrumented.
    from fuzz_targets import DEFAULT, check, text_of

    DEFAULT.explain("warm up: diffing &amp; \u00c3\u00a9")


def consume_unicode(rest: bytes) -> str:
    return atheris.FuzzedDataProvider(rest).ConsumeUnicode(len(rest))


def test_one_input(data: bytes) -> None:
    check(*text_of(data, consume_unicode))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
