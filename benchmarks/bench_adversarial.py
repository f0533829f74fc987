"""Adversarial inputs: does every cleaner run in linear time?

Each input is a Python expression in ``n`` (the size in characters), built to
provoke regex backtracking or quadratic loops: long runs of capitalised words,
long lines without ``MORE``, many ``MORE``s, megabytes of ``&`` or ``<``,
``&#&#&#``, runs of spaces/NBSP/zero-width characters, one huge line, many
short or duplicate lines, ``[[[[``, ``Ã`` runs, and so on.  Every registered
cleaner, the default pipeline, its explain mode (each cleaner's own changes,
or a diff of its input and output) and its trace (the changes composed into
edits of the raw text, with the ``Edit`` records built) is timed at sizes n,
2n, 4n, ... and the
cost ratio per doubling is printed: about 2.0 means linear; a ratio of 3 or
more (on a measurement of at least a millisecond) is flagged, with a one-line
reproducer.

Each cleaner is measured in a child process with a time budget, so a
catastrophic pattern is reported as TIMEOUT instead of hanging the run.

    python benchmarks/bench_adversarial.py                     # 64 KB -> 1 MB
    python benchmarks/bench_adversarial.py --base 16KB --doublings 3
    python benchmarks/bench_adversarial.py --cleaners hovercards,html --inputs 'caps|more'
"""

from __future__ import annotations

import argparse
import itertools
import math
import multiprocessing as mp
import random
import re
import sys
import time

import corpus
import newsclean
from _common import load_cleaners, machine, md_table, publish

# name -> expression in n (size in characters).  rep(unit, n) repeats unit to length n.
INPUTS: dict[str, str] = {
    # hover-card shapes
    "caps_words": "rep('Jane Marie Doe ', n)",
    "caps_glued": "rep('DoeJane MarieDoe', n)",
    "camel_chain": "rep('AbCdEf', n)",
    "title_caps_then_MORE": "'Sen. ' + rep('Jane Doe', n) + 'MORE said'",
    "caps_run_no_MORE": "'Sen. Jane Doe' + rep('Jane Marie Doe Senate Passes Farm Bill ', n)",
    "many_MORE": "rep('MORE ', n)",
    "many_MORE_glued": "rep('DoeMORE', n)",
    "many_cards": "rep('Sen. Jane DoeJane Marie DoeDoe signs bill MORE said. ', n)",
    "long_line_no_MORE": "rep('Senate passes farm bill House delays vote ', n)",
    "ONE_MORE_TIME": "rep('ONE MORE TIME ', n)",
    "MORE_every_600": "rep(('Ann Lee Ann Marie Lee Headline Senate Vote ' * 14)[:590] + ' MORE, ', n)",
    "MORE_every_8": "rep('Ab Cd MORE ', n)",
    "name_repeats_MORE": "rep('Jo Ann Jo Ann Jo Ann Jo Ann says MORE ', n)",
    "spaced_cards": "rep('Sen. Jane Doe Jane Marie DoeDoe signs budget MORE (D-Ore.) and ', n)",
    "truncated_cards": "rep('Rep. Ann LeeAnn LeeLee to retire… [+1873 chars] ', n)",
    "particles": "rep(\"O'Mc Van de Jr. (Bo) \", n)",
    # hover-card shapes of issue 13: glued runs, names repeated and capitalised runs before every anchor,
    # cards cut by truncation markers (glued, spaced, chained, copies), possessives after a spaced MORE
    "glued_names_MORE": "rep('Jane Doe' + 'JaneDoe' * 84 + 'MORE ', n)",
    "glued_pairs_MORE": "rep(('AbCd' * 150)[:590] + ' MORE, ', n)",
    "same_name_MORE": "rep(('Ab ' * 200)[:590] + 'MORE ', n)",
    "same_name_accented_MORE": "rep(('Áb ' * 200)[:590] + 'MORE ', n)",
    "caps10_MORE": "rep(('Ab Bc Cd De Ef Fg Gh Hi Ij Jk ' * 20)[:590] + ' MORE, ', n)",
    "caps_soup_MORE": "caps_soup(n, ' MORE, ')",
    "caps8_marker": "rep(('Ab Cd Ef Gh Ij Kl Mn Op ' * 25)[:590] + '… [+12 chars]', n)",
    "caps10_marker": "rep(('Ab Bc Cd De Ef Fg Gh Hi Ij Jk ' * 20)[:590] + '… [+12 chars]', n)",
    "caps_soup_marker": "caps_soup(n, '… [+12 chars] ')",
    "names_lower_marker": "rep(('Ann Lee Ann Marie Lee says ' * 25)[:590] + '… [+99 chars] ', n)",
    "spaced_truncated_cards": "rep('Gov. Tom Reyes Tom Reyes Reyes names transition team Reyes … [+980 chars] ', n)",
    "truncated_copies": "rep('Jo SanchezJo SanchezJo Sanchez… [+2001 chars] ', n)",
    "chained_cards_marker": "rep('Sen. Ann Lee Ann Marie LeeLee says Bo Ray Bo Jo RayRay wins vote… [+99 chars] ', n)",
    "copies_before_marker": "rep(('Mara Vela Mara Vela The mayor visits the site ' * 12)[:590] + '… [+9 chars] ', n)",
    "glued_truncated_cards": "rep('Sen. Maria LopezMaria Elena LopezLopez pushes farm aid Overnight Energy: "
                             "Senate panel … [+1412 chars] ', n)",
    "pipe_truncated_cards": "rep('Deputy Secretary Bo Brown Robert Jay Brown Brown defends budget | Five takeaways "
                            "| Key vot… [+2100 chars] ', n)",
    "long_truncated_cards": "rep(('Ann Lee Ann Marie Lee ' + 'Senate weighs farm bill | ' * 23)[:590] "
                            "+ '… [+9 chars] ', n)",
    "same_name_marker": "rep(('Ab ' * 200)[:590] + '… [+12 chars] ', n)",
    "possessive_cards": "rep(\"President Smith John Quincy Smith Smith says talks resume MORE 's aide \", n)",
    "all_caps": "rep('ABCDEFGHIJ', n)",
    # html
    "amp_run": "rep('&', n)",
    "lt_run": "rep('<', n)",
    "lt_alpha": "rep('<a', n)",
    "lt_gt": "rep('<<>>', n)",
    "unclosed_attr": "'<p class=\"' + rep('x ', n)",
    "unclosed_tag_words": "rep('<p class=x id=y ', n)",
    "entity_hash": "rep('&#', n)",
    "entity_amp_chain": "rep('&amp;', n)",
    "entity_unterminated": "rep('&amp', n)",
    "entity_digits": "'&#' + rep('1', n)",
    "entity_long_name": "'&' + rep('a', n)",
    "email_brackets": "rep('<jane.doe@example.com> ', n)",
    # unicode / whitespace
    "spaces": "rep(' ', n)",
    "nbsp": "rep('\\xa0', n)",
    "zero_width": "rep('\\u200b', n)",
    "mixed_spaces": "rep(' \\xa0\\u200b\\t\\u2009', n)",
    "newlines": "rep('\\n', n)",
    "crlf": "rep('\\r\\n', n)",
    "space_newline": "rep(' \\n', n)",
    "zwj_run": "rep('\\u200d', n)",
    "marks_unordered": "'a' + rep('\\u0301', n // 2) + rep('\\u0316', n // 2)",  # NFC's insertion sort
    "tibetan_vowels": "rep('\\u0f73', n)",  # decomposes into marks out of canonical order
    "marks_per_line": "rep('a' + '\\u0301' * 30 + '\\u0316' * 30 + '\\n', n)",
    # recheck rounds: soft hyphens decoded by html, removed by unicode, completing a tag or an entity
    "hidden_tags": "rep('<b&am&shy;p;shy;>x ', n)",
    # lines
    "huge_line": "rep('the council approved the budget after a long debate ', n)",
    "short_lines": "rep('Ok.\\n', n)",
    "headline_lines": "rep('Council backs new rail plan\\n', n)",
    "related_block": "'Related\\n' + rep('Council backs rail plan\\n', n)",
    "dup_paragraphs": "rep('The council approved the budget on Monday after a long debate.\\n\\n', n)",
    "distinct_lines": "numbered_lines(n)",
    "advert_lines": "rep('Advertisement\\n', n)",
    "read_more": "rep('Read more ', n)",
    "continue_reading": "rep('Continue reading ', n)",
    "reporting_by": "rep('Reporting by Jane Doe; Editing by ', n)",
    # truncation
    "brackets": "rep('[', n)",
    "bracket_plus": "rep('[+', n)",
    "trunc_markers": "rep('… [+12 chars]', n)",
    "ellipsis_bracket": "rep('[…', n)",
    "digits_chars": "'[+' + rep('1', n)",
    # mojibake / quotes
    "A_tilde": "rep('Ã', n)",
    "A_tilde_pairs": "rep('Ã©', n)",
    "mojibake_quotes": "rep('â€™', n)",
    "mojibake_prose": "rep('CafÃ© au lait â€” ', n)",
    "curly_quotes": "rep('“’', n)",
    "dots": "rep('.', n)",
    "ellipses": "rep('…', n)",
    "parens": "rep('(D-', n)",
    # realistic mixtures
    "random_fragments": "fragments(n)",
    "news_mixed": "news(n)",
}


def rep(unit: str, n: int) -> str:
    """``unit`` repeated to about ``n`` characters (whole units, so every size has the same structure)."""
    return unit * max(1, n // len(unit))


def numbered_lines(n: int) -> str:
    out, size, i = [], 0, 0
    while size < n:
        line = f"Line number {i} of the report says something different."
        out.append(line)
        size += len(line) + 1
        i += 1
    return "\n".join(out)[:n]


_FRAGMENTS = [
    "Sen. ", "Jane Doe", "Jane Marie Doe", "DoeJane Marie Doe", "MORE", " MORE ", "(D-Ore.)", "'s", "&amp;",
    "&#8217;", "&nbsp;", "&amp;quot;", "<br>", '<p class="x">', "</a>", "a < b", "<3", "Ã©", "â€™", "Ã",
    "\u00a0", "\u2009", "\u200b", "\u200d", "\ufeff", "\u00ad", "\r\n", "\r", "\t", "  ", "\n", "\n\n",
    "\n\n\n", "“", "”", "‘", "’", "—", "…", " [+2001 chars]", "[…]", "Advertisement", "Read more",
    "Subscribe to our newsletter", "Related:", "Share this article", "All rights reserved.", "The", "senator",
    "said", "on Monday", ".", ",", "McConnell", "iPhone", "ONE MORE TIME",
]


def fragments(n: int) -> str:
    rng = random.Random(n)
    out, size = [], 0
    while size < n:
        f = rng.choice(_FRAGMENTS)
        out.append(f)
        size += len(f)
    return "".join(out)[:n]


def caps_soup(n: int, anchor: str) -> str:
    """Capitalised words drawn from a small vocabulary (so names recur), with ``anchor`` every ~600 characters."""
    rng = random.Random(n)
    vocab = ["Ab", "Cd", "Ef", "Gh", "Ab Cd", "AbCd", "x"]
    out, size = [], 0
    while True:
        block = " ".join(rng.choice(vocab) for _ in range(200))[:580] + anchor
        if out and size + len(block) > n:
            return "".join(out)
        out.append(block)
        size += len(block)


_NEWS: list[str] = []


def news(n: int) -> str:
    """Mixed-corpus news text: a fixed 64 KB block of documents, repeated (same mix at every size)."""
    if not _NEWS:
        docs, size = [], 0
        for d in corpus.generate("mixed", 64_000, seed=7):
            docs.append(d)
            size += len(d)
        _NEWS.append("\n\n".join(docs) + "\n\n")
    return rep(_NEWS[0], n)


def make_input(name: str, n: int) -> str:
    return eval(INPUTS[name], {"rep": rep, "numbered_lines": numbered_lines, "fragments": fragments,
                               "news": news, "caps_soup": caps_soup, "n": n})


# --------------------------------------------------------------------------------------------- measuring


# explain mode of the default pipeline: the cleaners' own changes (or a diff that recovers them)
EXPLAIN = "explain"
# tracing: the same changes composed into edits of the raw text, Edit records built
TRACE = "trace"


def subject_func(subject: str, discover: bool = False):
    default, instances, _ = load_cleaners(discover)
    if subject == "default pipeline":
        return default.clean
    if subject == EXPLAIN:
        return default.explain
    if subject == TRACE:
        return lambda text: default.trace(text).edits
    return newsclean.Pipeline([instances[subject]]).clean


def measure(func, text: str, min_total: float = 0.05, max_reps: int = 200) -> float:
    best = math.inf
    total = 0.0
    reps = 0
    while reps < max_reps and (total < min_total or reps < 3):
        t0 = time.perf_counter()
        func(text)
        t = time.perf_counter() - t0
        best = min(best, t)
        total += t
        reps += 1
        if t > 1.0:  # slow: one more run is enough
            if reps >= 2:
                break
    return best


def _child(conn, subject: str, tasks: list[tuple[str, list[int]]], stop_after: float, discover: bool) -> None:
    try:
        func = subject_func(subject, discover)
    except Exception as exc:
        conn.send(("error", None, None, f"cannot build: {exc}"))
        conn.close()
        return
    for name, sizes in tasks:
        times: dict[int, float] = {}
        for n in sizes:
            text = make_input(name, n)
            try:
                t = measure(func, text)
            except Exception as exc:
                conn.send(("error", name, n, f"{type(exc).__name__}: {exc}"))
                break
            times[n] = t
            conn.send(("ok", name, n, t))
            if t > stop_after:
                conn.send(("stopped", name, n, t))
                break
        # A doubling that looks superlinear is measured twice more (the machine may have been busy).
        for _ in range(2):
            ns = sorted(times)
            suspect = [(a, b) for a, b in itertools.pairwise(ns) if times[b] >= 3 * times[a] and times[b] >= 1e-3]
            if not suspect:
                break
            for a, b in suspect:
                for n in (a, b):
                    times[n] = min(times[n], measure(func, make_input(name, n)))
                    conn.send(("ok", name, n, times[n]))
        # A jump in the last doubling: one more doubling tells a one-off step from a trend.
        ns = sorted(times)
        if len(ns) >= 2 and len(ns) == len(sizes) and times[ns[-1]] >= 3 * times[ns[-2]] and times[ns[-1]] < stop_after:
            n = 2 * ns[-1]
            try:
                times[n] = measure(func, make_input(name, n))
                conn.send(("ok", name, n, times[n]))
            except Exception as exc:
                conn.send(("error", name, n, f"{type(exc).__name__}: {exc}"))
        conn.send(("done", name, None, None))
    conn.close()


def run_subject(subject: str, inputs: list[str], sizes: list[int], budget: float,
                stop_after: float, discover: bool = False) -> dict[str, dict[str, object]]:
    """Times per input for one subject, each measurement under a time budget."""
    results: dict[str, dict[str, object]] = {name: {"times": {}, "status": "ok"} for name in inputs}
    pending = list(inputs)
    ctx = mp.get_context("fork")
    while pending:
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(child, subject, [(p, sizes) for p in pending], stop_after, discover))
        proc.start()
        child.close()
        current = pending[0]
        try:
            while True:
                if not parent.poll(budget):
                    results[current]["status"] = f"TIMEOUT (> {budget:.0f} s for one call)"
                    proc.kill()
                    pending = pending[pending.index(current) + 1:]
                    break
                kind, name, n, value = parent.recv()
                if kind == "error" and name is None:
                    for p in pending:
                        results[p]["status"] = value
                    pending = []
                    break
                if name is not None:
                    current = name
                if kind == "ok":
                    results[name]["times"][n] = value
                elif kind == "error":
                    results[name]["status"] = f"error: {value}"
                elif kind == "stopped":
                    results[name]["status"] = f"stopped: {value:.1f} s at {n:,} chars"
                elif kind == "done":
                    pending.remove(name)
                    if not pending:
                        break
                    current = pending[0]
        except EOFError:
            results[current]["status"] = "child died"
            pending = pending[pending.index(current) + 1:] if current in pending else pending
        proc.join(5)
        parent.close()
    return results


def ratios(times: dict[int, float]) -> list[float]:
    ns = sorted(times)
    return [times[b] / times[a] if times[a] > 0 else float("nan") for a, b in itertools.pairwise(ns)]


JUDGE_MIN_SECONDS = 2e-3


def verdict(times: dict[int, float], status: str) -> tuple[str, float]:
    """("flag" | "step" | "", worst ratio).

    Ratios of calls under 2 ms are too noisy to judge.  A superlinear trend
    shows as ratios well above 2 on consecutive doublings (quadratic: about 4
    each time) and a growth exponent well above 1 over the whole range.  A
    single jump followed by ratios near 2 is a one-off step (the data left a
    CPU cache, the allocator switched to fresh mmap pages) and is reported as
    "step", not flagged.
    """
    if status.startswith("TIMEOUT"):
        return "flag", float("inf")
    ns = sorted(times)
    rs = [(times[b] / times[a] if times[a] > 0 else 0.0, times[b]) for a, b in itertools.pairwise(ns)]
    judged = [r for r, t in rs if t >= JUDGE_MIN_SECONDS]
    worst = max(judged, default=0.0)
    big = [n for n in ns if times[n] >= JUDGE_MIN_SECONDS / 2]
    exponent = 1.0
    if len(big) >= 3:
        exponent = math.log(times[big[-1]] / times[big[0]]) / math.log(big[-1] / big[0])
    trend = any(r1 >= 2.8 and r2 >= 2.8 and t2 >= JUDGE_MIN_SECONDS
                for (r1, _), (r2, t2) in itertools.pairwise(rs))
    if trend and exponent >= 1.3:
        return "flag", worst
    if any(r >= 3 for r in judged):
        return "step", worst
    return "", worst


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="cost per doubling of input size, per cleaner and adversarial input")
    ap.add_argument("--base", default="64KB", help="smallest input size in characters (default 64KB)")
    ap.add_argument("--doublings", type=int, default=4, help="number of doublings (default 4: 64 KB -> 1 MB)")
    ap.add_argument("--cleaners", help="comma-separated cleaner names, 'default pipeline' or "
                    f"'{EXPLAIN}', '{TRACE}' (default: all of them)")
    ap.add_argument("--inputs", help="regex selecting input names")
    ap.add_argument("--budget", type=float, default=30.0, help="seconds allowed for one call before TIMEOUT")
    ap.add_argument("--stop-after", type=float, default=3.0, help="stop doubling once one call takes this long")
    ap.add_argument("--discover", action="store_true",
                    help="also measure cleaner modules in src/newsclean/cleaners that are not registered yet")
    ap.add_argument("--all-rows", action="store_true", help="print every row, not only the summary and flags")
    ap.add_argument("--markdown", metavar="PATH", help="also write the report to PATH")
    args = ap.parse_args(argv)

    base = corpus.parse_size(args.base)
    sizes = [base * 2**k for k in range(args.doublings + 1)]
    inputs = [k for k in INPUTS if not args.inputs or re.search(args.inputs, k)]
    if args.cleaners:
        subjects = args.cleaners.split(",")
    else:
        subjects = [*load_cleaners(args.discover)[1], "default pipeline", EXPLAIN, TRACE]
    info = machine()
    lines = [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['python']}; commit {info['commit']}; {info['date']}.",
        f"Sizes: {', '.join(f'{s:,}' for s in sizes)} characters; {len(inputs)} inputs; "
        "ratio = time(2n) / time(n), about 2.0 is linear, about 4 quadratic (calls under 2 ms are not judged). "
        "Flagged: two consecutive ratios >= 2.8 with a growth exponent >= 1.3 over the range, or a timeout. "
        "A single ratio >= 3 followed by ratios near 2 is a one-off step (cache/allocator), listed but not "
        "flagged; a jump at the largest size triggers one extra doubling to tell which it is. Suspect doublings "
        "are re-measured twice. Slow: under 1 Mchar/s at the largest size (linear, but a cost to know).",
    ]
    summary_rows = []
    flagged_rows = []
    all_rows = []
    step_rows: list[list[object]] = []
    slow_rows: list[list[object]] = []
    t_start = time.perf_counter()
    for subject in subjects:
        print(f"  {subject} ...", file=sys.stderr)
        res = run_subject(subject, inputs, sizes, args.budget, args.stop_after, args.discover)
        worst_name, worst_ratio, n_flag = "", 0.0, 0
        slowest = max(((r["times"].get(sizes[-1], 0.0), name) for name, r in res.items()), default=(0.0, ""))
        for name, r in res.items():
            times, status = r["times"], str(r["status"])
            outcome, worst = verdict(times, status)
            flagged = outcome == "flag"
            rs = ratios(times)
            big = times.get(sizes[-1])
            note = status if status != "ok" else ("one-off step" if outcome == "step" else "")
            row = [subject, name, " ".join(f"{x:.2f}" for x in rs), f"{big * 1e3:.2f}" if big else "-",
                   f"{sizes[-1] / big / 1e6:.1f}" if big else "-", note]
            all_rows.append(row)
            if outcome == "step":
                step_rows.append(row[:4])
            if big and sizes[-1] / big < 1e6:
                slow_rows.append(row[:5])
            if flagged:
                n_flag += 1
                call = f"newsclean.Pipeline([{subject!r}]).clean"
                if subject == "default pipeline":
                    call = "newsclean.clean"
                flagged_rows.append([*row, f"`{call}({INPUTS[name]})` with n={sizes[-1]:,}"])
            if times and worst > worst_ratio and (max(times.values()) >= JUDGE_MIN_SECONDS):
                worst_name, worst_ratio = name, worst
        summary_rows.append([subject, len(res), n_flag, f"{worst_ratio:.2f} ({worst_name})" if worst_name else "-",
                             f"{slowest[0] * 1e3:.1f} ms ({slowest[1]})"])
    lines.append("")
    lines.append(md_table(["cleaner", "inputs", "flagged", "worst ratio per doubling (>= 2 ms calls)",
                           f"slowest call at {sizes[-1]:,} chars"], summary_rows, "lrrll"))
    lines.append("")
    if flagged_rows:
        lines.append("Flagged (superlinear or timed out):\n")
        lines.append(md_table(["cleaner", "input", "ratios per doubling", f"ms at {sizes[-1]:,}", "Mchar/s", "status",
                               "reproducer"], flagged_rows, "llllrll"))
        lines.append("\n`rep(unit, n)` is `unit * (n // len(unit))`; the other helpers are in this script.")
    else:
        lines.append("Nothing flagged: every cleaner grew linearly on every input.")
    if slow_rows:
        lines.append("\nSlow (under 1 Mchar/s at the largest size):\n")
        lines.append(md_table(["cleaner", "input", "ratios per doubling", f"ms at {sizes[-1]:,}", "Mchar/s"],
                              slow_rows, "lllrr"))
    if step_rows:
        lines.append("\nOne-off steps (a single jump, then linear again; not flagged):\n")
        lines.append(md_table(["cleaner", "input", "ratios per doubling", f"ms at {sizes[-1]:,}"], step_rows, "lllr"))
    if args.all_rows:
        lines.append("")
        lines.append(md_table(["cleaner", "input", "ratios per doubling", f"ms at {sizes[-1]:,}", "Mchar/s", "status"],
                              all_rows, "lllrrl"))
    lines.append(f"\n(total run time {time.perf_counter() - t_start:.0f} s)")
    publish(lines, args.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
