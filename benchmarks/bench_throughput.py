"""Throughput of newsclean and its peers, in one process, on the same generated corpus.

For each corpus mode (mixed, clean ASCII, mojibake-heavy) this reports MB/s
(UTF-8 bytes of input / seconds, best of ``--repeats`` passes; each pass calls
the function once per document) for:

- ``newsclean.clean`` (default pipeline), ``Pipeline.default().clean``, a bare
  loop over the same cleaners (no pipeline machinery: what "tracing off costs
  nothing" is measured against), ``Pipeline.default().explain`` and
  ``Pipeline.default().trace`` (with its ``edits`` built);
- with ``--baseline REF``: ``newsclean.clean`` of another commit (its ``src/``
  from ``git archive``, run in a child process that times the same chunks in
  turn with the others), to show that a change left cleaning as fast as before;
- every registered cleaner alone (``Pipeline([name])``);
- peers: ``ftfy.fix_text``, ``ftfy.fix_encoding``, clean-text's ``clean()``
  with news settings, textacy preprocessing pipelines; a one-regex-pass
  reference (``re.compile(r"\\s+").sub(" ", text)``).

Repeats are interleaved (pass 1 of every subject, then pass 2, ...) so that
drift of the machine affects everyone alike.  Missing peers are skipped with
a note.  It also checks quality facts the targets depend on: on the
mojibake-heavy corpus, whether the ``mojibake`` cleaner's output equals
``ftfy.fix_encoding``'s; on every corpus, how many clean documents the default
pipeline leaves unchanged.

    python benchmarks/bench_throughput.py                   # 20 MB per mode, 3 repeats
    python benchmarks/bench_throughput.py --size 2MB --repeats 1 --modes mixed
    python benchmarks/bench_throughput.py --json benchmarks/results/throughput.json
    python benchmarks/bench_throughput.py --size 5MB --modes mixed --no-peers --baseline 7d812a1
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import pickle
import re
import subprocess
import sys
import tarfile
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import corpus
import newsclean
from _common import ROOT, best_time, load_cleaners, machine, md_table, publish, version

Func = Callable[[str], object]

ONE_REGEX = re.compile(r"\s+")


def one_regex_pass(text: str) -> str:
    return ONE_REGEX.sub(" ", text)


# --------------------------------------------------------------------------------------------- subjects


def newsclean_subjects(notes: list[str], discover: bool) -> list[tuple[str, str, Func]]:
    """(label, group, function) for newsclean."""
    subjects: list[tuple[str, str, Func]] = []
    default, instances, load_notes = load_cleaners(discover)
    notes.extend(load_notes)
    chain = tuple(c.clean for c in default.cleaners)
    # The engine re-runs cleaners marked ``recheck`` that ran before the last change (and the tail after
    # one that changes something): the reference does the same work, with none of the pipeline's machinery.
    rechecks = tuple(i for i, c in enumerate(default.cleaners) if getattr(type(c), "recheck", False))
    rounds = getattr(newsclean.Pipeline, "MAX_RECHECK_ROUNDS", 0)

    def run(text: str, start: int) -> tuple[str, int]:
        last = -1
        for i in range(start, len(chain)):
            out = chain[i](text)
            if out is not text:
                text, last = out, i
        return text, last

    def bare_loop(text: str) -> str:
        text, last = run(text, 0)
        for _ in range(rounds):
            for i in rechecks:
                if i > last:
                    return text
                again = chain[i](text)
                if again is not text:
                    text, tail = run(again, i + 1)
                    last = max(i, tail)
                    break
            else:
                return text
        return text

    registered = [c.name for c in newsclean.cleaners() if c.default_enabled]
    if list(default.names) == registered:
        subjects.append(("newsclean.clean (default pipeline)", "newsclean", newsclean.clean))
    else:  # discovered cleaners: newsclean.clean would not run them
        subjects.append(("newsclean.clean (default pipeline, incl. discovered)", "newsclean", default.clean))
    subjects.append(("Pipeline.default().clean", "newsclean", default.clean))
    subjects.append(("bare loop over the same cleaners (reference)", "newsclean", bare_loop))
    subjects.append((EXPLAIN, "newsclean", default.explain))
    subjects.append((TRACE, "newsclean", lambda text: default.trace(text).edits))
    for name, cleaner in instances.items():
        flag = "" if type(cleaner).default_enabled else " (off by default)"
        subjects.append((f"cleaner: {name}{flag}", "cleaner", newsclean.Pipeline([cleaner]).clean))
    return subjects


def peer_subjects(notes: list[str]) -> list[tuple[str, str, Func]]:
    subjects: list[tuple[str, str, Func]] = []
    try:
        import ftfy

        subjects.append((f"ftfy.fix_text ({ftfy.__version__})", "peer", ftfy.fix_text))
        subjects.append((f"ftfy.fix_encoding ({ftfy.__version__})", "peer", ftfy.fix_encoding))
    except ImportError:
        notes.append("ftfy not installed: skipped")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import contextlib
            import io

            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                from cleantext import clean as ct_clean

        def clean_text_news(text: str) -> str:
            return ct_clean(
                text,
                fix_unicode=True,
                to_ascii=False,
                lower=False,
                normalize_whitespace=True,
                no_line_breaks=False,
                strip_lines=True,
                keep_two_line_breaks=True,
                lang="en",
            )

        subjects.append((f"clean-text clean(), news settings ({version('clean-text')})", "peer", clean_text_news))
    except ImportError:
        notes.append("clean-text not installed (pip install clean-text, or the bench extra): skipped")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from textacy import preprocessing as tp

        with_html = tp.make_pipeline(
            tp.remove.html_tags,
            tp.normalize.unicode,
            tp.normalize.quotation_marks,
            tp.normalize.whitespace,
        )
        no_html = tp.make_pipeline(tp.normalize.unicode, tp.normalize.quotation_marks, tp.normalize.whitespace)
        v = version("textacy")
        subjects.append((f"textacy: html_tags+unicode+quotes+whitespace ({v})", "peer", with_html))
        subjects.append((f"textacy: unicode+quotes+whitespace ({v})", "peer", no_html))
    except Exception as exc:  # textacy pulls in spacy; any import failure means skip
        notes.append(f"textacy not importable ({type(exc).__name__}: {exc}): skipped (pip install textacy)")
    subjects.append(("one regex pass: \\s+ -> ' ' (reference)", "reference", one_regex_pass))
    return subjects


# --------------------------------------------------------------------------------------------- running


EXPLAIN = "Pipeline.default().explain"
TRACE = "Pipeline.default().trace (+ edits)"
SLOW = (EXPLAIN, TRACE)


class Baseline:
    """``newsclean.clean`` of another commit, timed chunk by chunk in a child process.

    The commit's ``src/`` is unpacked from ``git archive`` into a temporary folder that the
    child puts first on its path; it receives the chunks once and then times the chunk it is
    asked for, so it takes its turn with the other subjects like any of them."""

    CHILD = (
        "import os, pickle, sys, time\n"
        "os.environ['NEWSCLEAN_LOAD_PLUGINS'] = ''\n"
        "import newsclean\n"
        "chunks = pickle.load(sys.stdin.buffer)\n"
        "clean = newsclean.clean\n"
        "for d in chunks[0][:200]: clean(d)\n"
        "print(newsclean.__file__, flush=True)\n"
        "for line in sys.stdin.buffer:\n"
        "    t0 = time.perf_counter()\n"
        "    for d in chunks[int(line)]: clean(d)\n"
        "    print(time.perf_counter() - t0, flush=True)\n"
    )

    def __init__(self, ref: str, chunks: list[list[str]]) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="newsclean-baseline-")
        archive = subprocess.run(["git", "archive", ref, "src"], cwd=ROOT, capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(self.folder.name, filter="data")
        env = {**os.environ, "PYTHONPATH": os.path.join(self.folder.name, "src"), "NEWSCLEAN_LOAD_PLUGINS": ""}
        self.child = subprocess.Popen([sys.executable, "-c", self.CHILD], env=env, stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=False)
        assert self.child.stdin is not None and self.child.stdout is not None
        self.chunks = {id(chunk): k for k, chunk in enumerate(chunks)}
        pickle.dump(chunks, self.child.stdin)
        self.child.stdin.flush()
        where = self.child.stdout.readline().decode().strip()
        if not where.startswith(self.folder.name):
            self.close()
            raise RuntimeError(f"the baseline child imported newsclean from {where!r}, not from {ref}")

    def __call__(self, text: str) -> None:
        """(Warm-up calls: the child warmed up on its own.)"""

    def time_chunk(self, chunk: list[str]) -> float:
        assert self.child.stdin is not None and self.child.stdout is not None
        self.child.stdin.write(f"{self.chunks[id(chunk)]}\n".encode())
        self.child.stdin.flush()
        return float(self.child.stdout.readline())

    def close(self) -> None:
        if self.child.stdin is not None:
            self.child.stdin.close()
        self.child.wait(10)
        self.folder.cleanup()


def _time(func: Func, chunk: list[str]) -> float:
    timer = getattr(func, "time_chunk", None)
    return timer(chunk) if timer is not None else best_time(func, chunk)
PLAIN = "Pipeline.default().clean"
BARE = "bare loop over the same cleaners (reference)"


def _chunks(docs: list[str], size: int) -> list[list[str]]:
    out: list[list[str]] = [[]]
    n = 0
    for d in docs:
        out[-1].append(d)
        n += len(d)
        if n >= size:
            out.append([])
            n = 0
    return [c for c in out if c]


def explain_off_overhead(chunks: list[list[str]], live: list[tuple[str, str, Func]], rounds: int = 5) -> float | None:
    """Relative extra time of ``Pipeline.clean`` over a bare loop of the same cleaners (A/B per chunk)."""
    funcs = {label: f for label, _, f in live}
    if PLAIN not in funcs or BARE not in funcs:
        return None
    a_best = b_best = float("inf")
    for r in range(rounds):
        a = b = 0.0
        for i, chunk in enumerate(chunks):
            first, second = (PLAIN, BARE) if (i + r) % 2 == 0 else (BARE, PLAIN)
            t1 = best_time(funcs[first], chunk)
            t2 = best_time(funcs[second], chunk)
            a += t1 if first == PLAIN else t2
            b += t2 if first == PLAIN else t1
        a_best, b_best = min(a_best, a), min(b_best, b)
    return a_best / b_best - 1


def run_mode(mode: str, size: int, repeats: int, seed: int, peers: bool, only: str | None,
             discover: bool = False, explain_share: int = 100, baseline: str | None = None) -> dict[str, object]:
    docs_meta = corpus.generate_documents(mode, size, seed)
    docs = [d.text for d in docs_meta]
    nbytes = sum(len(d.encode("utf-8")) for d in docs)
    notes: list[str] = []
    subjects = newsclean_subjects(notes, discover) + (peer_subjects(notes) if peers else [])
    if only:
        pat = re.compile(only)
        subjects = [s for s in subjects if pat.search(s[0])]
    chunks = _chunks(docs, 250_000)
    old = None
    if baseline:
        old = Baseline(baseline, chunks)
        subjects.insert(1, (f"newsclean.clean at {baseline} (baseline, child process)", "newsclean", old))
    best: dict[str, float] = {}
    errors: dict[str, str] = {}
    for label, _, func in subjects:  # warm-up and error check on a sample
        try:
            for d in docs[:200]:
                func(d)
        except Exception as exc:
            errors[label] = f"{type(exc).__name__}: {exc}"
    live = [s for s in subjects if s[0] not in errors]
    # Interleaved at the level of chunks of ~250 KB: every subject cleans chunk 1, then every
    # subject cleans chunk 2, ...  so a busy spell of the (shared) machine hits all subjects alike.
    # With --explain-share below 100, explain and trace run on a sample of the corpus, scaled.
    sampled = SLOW if explain_share < 100 else ()
    sample = docs[: max(1, len(docs) * explain_share // 100)]
    sample_bytes = sum(len(d.encode("utf-8")) for d in sample)
    for rep in range(repeats):
        spent = dict.fromkeys((s[0] for s in live), 0.0)
        gc.collect()
        for chunk in chunks:
            for label, _, func in live:
                if label in errors or label in sampled:
                    continue
                try:
                    spent[label] += _time(func, chunk)
                except Exception as exc:
                    errors[label] = f"{type(exc).__name__}: {exc}"
        for label, _, func in live:
            if label in sampled and label not in errors:
                try:
                    spent[label] = best_time(func, sample) * nbytes / sample_bytes
                except Exception as exc:
                    errors[label] = f"{type(exc).__name__}: {exc}"
        for label, t in spent.items():
            if label not in errors:
                best[label] = min(best.get(label, t), t)
        print(f"  [{mode}] pass {rep + 1}/{repeats} done", file=sys.stderr)
    overhead = explain_off_overhead(chunks, live)
    if old is not None:
        old.close()
    rows = []
    for label, group, _ in subjects:
        if label in best:
            rows.append({"subject": label, "group": group, "seconds": best[label], "mb_s": nbytes / best[label] / 1e6})
        else:
            rows.append({"subject": label, "group": group, "error": errors.get(label, "not run")})
    quality = quality_checks(mode, docs_meta, discover)
    return {
        "mode": mode,
        "documents": len(docs),
        "bytes": nbytes,
        "ascii_share": sum(d.isascii() for d in docs) / len(docs),
        "repeats": repeats,
        "explain_share": explain_share,
        "explain_off_overhead": overhead,
        "rows": rows,
        "notes": notes,
        "quality": quality,
    }


def quality_checks(mode: str, docs: list[corpus.Document], discover: bool) -> dict[str, object]:
    q: dict[str, object] = {}
    default, instances, _ = load_cleaners(discover)
    try:
        clean_docs = [d.text for d in docs if d.category == "clean"]
        changed = [t for t in clean_docs if default.clean(t) != t]
        q["clean_docs_unchanged"] = f"{len(clean_docs) - len(changed)}/{len(clean_docs)}"
        if changed:
            q["clean_doc_changed_by"] = changed_by(default, changed[0])
    except Exception as exc:
        q["clean_docs_unchanged"] = f"error: {type(exc).__name__}: {exc}"
    if mode == "mojibake":
        import ftfy

        if "mojibake" in instances:
            moj = newsclean.Pipeline([instances["mojibake"]])
            texts = [d.text for d in docs]
            ours = [moj.clean(t) for t in texts]
            per_line = [per_line_fix_encoding(t) for t in texts]
            whole = [ftfy.fix_encoding(t) for t in texts]
            n = len(texts)
            q["mojibake_equals_ftfy_fix_encoding_per_line"] = f"{sum(map(str.__eq__, ours, per_line))}/{n}"
            q["mojibake_equals_ftfy_fix_encoding_whole_doc"] = f"{sum(map(str.__eq__, ours, whole))}/{n}"
            diff = next((i for i in range(n) if ours[i] != per_line[i]), None)
            if diff is not None:
                q["first_difference_per_line"] = first_difference(ours[diff], per_line[diff])
            try:
                from ftfy.badness import is_bad

                q["ftfy_fix_encoding_whole_doc_output_with_mojibake_left"] = f"{sum(map(is_bad, whole))}/{n}"
                q["mojibake_cleaner_output_with_mojibake_left"] = f"{sum(map(is_bad, ours))}/{n}"
            except ImportError:
                pass
        else:
            q["mojibake_equals_ftfy_fix_encoding_per_line"] = "mojibake cleaner not registered yet"
        try:
            from ftfy.badness import is_bad

            out = [default.clean(d.text) for d in docs]
            q["default_output_with_mojibake_left"] = f"{sum(map(is_bad, out))}/{len(out)}"
            left = sum(is_bad(ftfy.fix_text(d.text)) for d in docs)
            q["ftfy_fix_text_output_with_mojibake_left"] = f"{left}/{len(docs)}"
        except Exception as exc:
            q["default_output_with_mojibake_left"] = f"error: {exc}"
    return q


_LINES = re.compile(r"(?<=\n)")


def per_line_fix_encoding(text: str) -> str:
    """ftfy's encoding fix applied to each line (each segment ending in \\n), the way ftfy.fix_text applies it."""
    import ftfy

    return "".join(ftfy.fix_encoding(seg) for seg in _LINES.split(text))


def changed_by(default: newsclean.Pipeline, text: str) -> str:
    expl = default.explain(text)
    parts = []
    for r in expl.reports:
        if r.changed:
            c = r.changes[0]
            parts.append(f"{r.name}: {c.removed[:60]!r} -> {c.inserted[:60]!r}")
    return "; ".join(parts)


def first_difference(a: str, b: str) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"at {i}: newsclean {a[max(0, i - 20):i + 30]!r} vs ftfy {b[max(0, i - 20):i + 30]!r}"


# --------------------------------------------------------------------------------------------- report


def report(results: list[dict[str, object]], info: dict[str, str], discover: bool = False) -> str:
    out = []
    out.append(
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['python']}, {info['os']}; "
        f"commit {info['commit']}; {info['date']}."
    )
    cleaners = ", ".join(f"{c.name}{'' if c.default_enabled else ' (off)'}" for c in newsclean.cleaners())
    out.append(f"Registered cleaners (default order): {cleaners}.")
    if discover:
        default, _, _ = load_cleaners(True)
        out.append(f"Measured default pipeline (with cleaners discovered in src): {', '.join(default.names)}.")
    for res in results:
        rows = res["rows"]
        ref = next((r for r in rows if r["subject"].startswith("newsclean.clean") and "mb_s" in r), None)
        out.append(
            f"\n### Corpus `{res['mode']}`: {res['bytes'] / 1e6:.1f} MB, {res['documents']:,} documents, "
            f"{res['ascii_share']:.0%} pure ASCII; best of {res['repeats']} interleaved passes "
            + (f"(explain and trace timed on the first {res['explain_share']}% and scaled)"
               if res["explain_share"] < 100 else "")
            + "\n"
        )
        table = []
        for r in rows:
            if "mb_s" in r:
                ratio = f"{ref['mb_s'] / r['mb_s']:.2f}x" if ref and r["group"] in ("peer", "reference") else ""
                table.append([r["subject"], f"{r['mb_s']:.1f}", f"{r['seconds']:.2f}", ratio])
            else:
                table.append([r["subject"], "error", "", r["error"][:100]])
        out.append(md_table(["subject", "MB/s", "seconds", "newsclean.clean / this"], table))
        if res["notes"]:
            out.append("")
            out.extend(f"- note: {n}" for n in res["notes"])
        if res["quality"]:
            out.append("\nQuality checks: " + "; ".join(f"{k} = {v}" for k, v in res["quality"].items()))
    out.append("\n### Targets\n")
    out.append(targets(results))
    return "\n".join(out)


def _mbs(res: dict[str, object], prefix: str) -> float | None:
    for r in res["rows"]:
        if r["subject"].startswith(prefix) and "mb_s" in r:
            return r["mb_s"]
    return None


def targets(results: list[dict[str, object]]) -> str:
    by_mode = {r["mode"]: r for r in results}
    rows = []

    def check(mode: str, peer: str, want: float, label: str) -> None:
        res = by_mode.get(mode)
        if not res:
            return
        ours, theirs = _mbs(res, "newsclean.clean ("), _mbs(res, peer)
        if ours is None or theirs is None:
            rows.append([label, f">= {want}x", "n/a", "not measured"])
            return
        ratio = ours / theirs
        rows.append([label, f">= {want:g}x", f"{ratio:.2f}x", "met" if ratio >= want else "**missed**"])

    check("mixed", "ftfy.fix_text", 4, "mixed: newsclean.clean vs ftfy.fix_text")
    check("mixed", "clean-text", 5, "mixed: newsclean.clean vs clean-text")
    check("clean", "ftfy.fix_text", 2, "clean ASCII: newsclean.clean vs ftfy.fix_text")
    check("mojibake", "ftfy.fix_text", 1, "mojibake: newsclean.clean vs ftfy.fix_text")
    for mode, res in by_mode.items():
        cost = res.get("explain_off_overhead")
        if cost is not None:
            rows.append([f"{mode}: tracing-off overhead (Pipeline.clean vs bare loop, A/B per chunk)", "~0%",
                         f"{cost:+.1%}", "met" if cost < 0.03 else "**missed**"])
        plain = _mbs(res, PLAIN)
        old = _mbs(res, "newsclean.clean at ")
        ours = _mbs(res, "newsclean.clean (")
        if old and ours:
            ratio = ours / old
            rows.append([f"{mode}: newsclean.clean vs the baseline commit", ">= 0.97x", f"{ratio:.2f}x",
                         "met" if ratio >= 0.97 else "**missed**"])
        for label, want in ((TRACE, 3.0), (EXPLAIN, 3.0)):
            slow = _mbs(res, label)
            if plain and slow:
                ratio = plain / slow
                rows.append([f"{mode}: {label} cost / Pipeline.clean", f"<= {want:g}x", f"{ratio:.2f}x",
                             "met" if ratio <= want else "**missed**"])
    return md_table(["target", "want", "measured", "status"], rows, "llrl")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="newsclean throughput vs peers (MB/s)")
    ap.add_argument("--size", default="20MB", help="corpus size per mode (default 20MB; e.g. 2MB for a quick run)")
    ap.add_argument("--modes", default="mixed,clean,mojibake", help="comma-separated corpus modes")
    ap.add_argument("--repeats", type=int, default=3, help="timed passes per subject; the best is reported")
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--no-peers", action="store_true", help="measure newsclean only")
    ap.add_argument("--only", help="regex: measure only subjects whose label matches")
    ap.add_argument("--explain-share", type=int, default=100,
                    help="percent of the corpus explain and trace are timed on (below 100: scaled up, not "
                         "interleaved; default 100)")
    ap.add_argument("--baseline", metavar="REF",
                    help="also time newsclean.clean of this commit (e.g. 7d812a1), in a child process")
    ap.add_argument("--discover", action="store_true",
                    help="also measure cleaner modules in src/newsclean/cleaners that are not registered yet")
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    ap.add_argument("--markdown", metavar="PATH", help="also write the Markdown report to PATH")
    args = ap.parse_args(argv)
    info = machine()
    results = []
    for mode in args.modes.split(","):
        print(f"generating {args.size} of {mode} text and timing ...", file=sys.stderr)
        results.append(run_mode(mode.strip(), corpus.parse_size(args.size), args.repeats, args.seed,
                                not args.no_peers, args.only, args.discover, args.explain_share, args.baseline))
    publish([report(results, info, args.discover)], args.markdown)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        payload = {"machine": info, "versions": {d: version(d) for d in ("newsclean", "ftfy", "clean-text",
                                                                            "textacy", "regex")},
                   "results": results}
        Path(args.json).write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
