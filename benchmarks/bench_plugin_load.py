"""What loading plugins costs: the load-time rule checks, and the registry with and without plugins.

- per rule: compiling the anchored pattern only, versus compiling it and running the safety check
  (structure + timed probe) that every plugin's and user's rule gets, over the shipped rules;
- a catastrophic rule: how long refusing it takes (the structural check, and the probe alone);
- the registry: load_registry() with no third-party plugin, and with the installed ones.

Usage: python benchmarks/bench_plugin_load.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import regex

from _common import machine, md_table
from newsclean.plugins import load_registry
from newsclean.rules import anchored, builtin_rules, compiled, safety


def _clear() -> None:
    safety._verdict.cache_clear()
    compiled.cache_clear()
    regex.purge()


def best(func, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        _clear()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rules = builtin_rules()
    n = len(rules)
    compile_only = best(lambda: [regex.compile(anchored(r.pattern, r.kind), regex.I | regex.V1) for r in rules],
                        args.repeats)
    checked = best(lambda: [safety.check_pattern(r.pattern, r.kind) for r in rules], args.repeats)

    def refuse(pattern: str) -> None:
        try:
            safety.check_pattern(pattern)
        except ValueError:
            return
        raise AssertionError(f"{pattern!r} was accepted")

    structural = best(lambda: refuse("(a|a)+(?:b|!!)"), args.repeats)
    probed = best(lambda: refuse("(?:a|a){1,16}(?:a|a){1,16}b"), args.repeats)

    def load(value: str | None) -> None:
        if value is None:
            os.environ.pop("NEWSCLEAN_LOAD_PLUGINS", None)
        else:
            os.environ["NEWSCLEAN_LOAD_PLUGINS"] = value
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            load_registry()

    load(None)  # imports the installed plugins once
    without = best(lambda: load(""), args.repeats)
    everything = best(lambda: load(None), args.repeats)
    registry = load_registry()
    plugin_rules = sum(len(p.rules) for p in registry.packs.values() if not p.origin.builtin)

    print(machine())
    print(md_table(
        ["what", f"best of {args.repeats}"],
        [
            [f"compile only, per shipped rule ({n} rules)", f"{compile_only * 1000 / n:.2f} ms"],
            ["compile + safety check, per shipped rule", f"{checked * 1000 / n:.2f} ms"],
            [r"refuse `(a\|a)+(?:b\|!!)` (structural check)", f"{structural * 1000:.2f} ms"],
            [r"refuse `(?:a\|a){1,16}(?:a\|a){1,16}b` (timed probe)", f"{probed * 1000:.0f} ms"],
            ["load_registry(), NEWSCLEAN_LOAD_PLUGINS=''", f"{without * 1000:.1f} ms"],
            [f"load_registry(), installed plugins ({plugin_rules} plugin rules checked)",
             f"{everything * 1000:.1f} ms"],
        ],
    ))


if __name__ == "__main__":
    main()
