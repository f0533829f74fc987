"""Build ``src/newsclean/boilerplate/data/rule_profiles.json``: the pattern analysis of every
rule in the packs shipped with newsclean (see :mod:`newsclean.boilerplate.patterns`).

Usage (from the repository root)::

    python training/build_rule_profiles.py          # write the file
    python training/build_rule_profiles.py --check  # exit 1 if the shipped file is not current

The analysis parses every alternative of every pattern with the standard library's
parser, which took most of the boilerplate cleaner's start-up; shipping its result
makes building a cleaner cheap.  Rerun after changing a shipped ``rules/*.toml``
(``tests/test_rulematch.py`` fails until then).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from datafiles import write_or_check  # noqa: E402

from newsclean.boilerplate.patterns import PROFILE_DATA, profiles_as_data  # noqa: E402
from newsclean.rules import builtin_rules  # noqa: E402

TARGET = ROOT / "src" / "newsclean" / "boilerplate" / PROFILE_DATA


def build() -> str:
    entries = list(dict.fromkeys((rule.kind, rule.pattern) for rule in builtin_rules()))
    return profiles_as_data(entries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing")
    args = parser.parse_args()
    return write_or_check({TARGET: build()}, args.check)


if __name__ == "__main__":
    sys.exit(main())
