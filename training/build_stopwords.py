"""Build ``src/newsclean/boilerplate/data/stopwords.json`` from jusText's stop-word lists.

Usage (from the repository root, with the ``train`` extra installed)::

    python training/build_stopwords.py            # write the file
    python training/build_stopwords.py --check    # exit 1 if the shipped file differs

Source: the stop lists shipped with jusText (https://github.com/miso-belica/jusText,
``justext/stoplists/*.txt``), BSD 2-Clause licence, Copyright (c) 2011 Jan Pomikalek
and contributors; the licence allows redistribution with the copyright notice, which
the data file carries.  jusText's lists were made from Wikipedia word frequencies and
are ordered from the most frequent word down; we keep the first ``TOP`` distinct
lower-cased words of each list that are one ``\\w+`` token (entries such as ``있다.``
lose their punctuation), which is what a per-line stop-word share needs and keeps
the file small, after taking English words out of the lists that Wikipedia's
quoted English contaminated (see :func:`build`); lists left with fewer than
``MIN_WORDS`` words are left out.  Languages are keyed by ISO 639-1 code where one exists.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from importlib import metadata, resources
from pathlib import Path

from datafiles import write_or_check

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "newsclean" / "boilerplate" / "data" / "stopwords.json"
LICENCE = TARGET.with_name("stopwords.LICENSE")
TOP = 200
MIN_WORDS = 50
_WORD = re.compile(r"\w+")

# jusText list name -> ISO 639-1 code (lists without a two-letter code keep a lower-case name)
ISO = {
    "Afrikaans": "af", "Albanian": "sq", "Arabic": "ar", "Aragonese": "an", "Armenian": "hy",
    "Azerbaijani": "az", "Basque": "eu", "Belarusian": "be", "Bengali": "bn", "Bosnian": "bs",
    "Breton": "br", "Bulgarian": "bg", "Catalan": "ca", "Chuvash": "cv", "Croatian": "hr", "Czech": "cs",
    "Danish": "da", "Dutch": "nl", "English": "en", "Esperanto": "eo", "Estonian": "et", "Finnish": "fi",
    "French": "fr", "Galician": "gl", "Georgian": "ka", "German": "de", "Greek": "el", "Gujarati": "gu",
    "Haitian": "ht", "Hebrew": "he", "Hindi": "hi", "Hungarian": "hu", "Icelandic": "is", "Ido": "io",
    "Igbo": "ig", "Indonesian": "id", "Irish": "ga", "Italian": "it", "Javanese": "jv", "Kannada": "kn",
    "Kazakh": "kk", "Korean": "ko", "Kurdish": "ku", "Kyrgyz": "ky", "Latin": "la", "Latvian": "lv",
    "Lithuanian": "lt", "Luxembourgish": "lb", "Macedonian": "mk", "Malay": "ms", "Malayalam": "ml",
    "Maltese": "mt", "Marathi": "mr", "Nepali": "ne", "Norwegian_Bokmal": "nb", "Norwegian_Nynorsk": "nn",
    "Occitan": "oc", "Persian": "fa", "Polish": "pl", "Portuguese": "pt", "Quechua": "qu", "Romanian": "ro",
    "Russian": "ru", "Serbian": "sr", "Slovak": "sk", "Slovenian": "sl", "Spanish": "es", "Sundanese": "su",
    "Swahili": "sw", "Swedish": "sv", "Tagalog": "tl", "Tamil": "ta", "Telugu": "te", "Turkish": "tr",
    "Turkmen": "tk", "Ukrainian": "uk", "Urdu": "ur", "Uzbek": "uz", "Vietnamese": "vi", "Volapuk": "vo",
    "Walloon": "wa", "Welsh": "cy", "West_Frisian": "fy", "Yoruba": "yo",
}
# near-duplicates of another list, left out so that detection does not split between them
SKIP = {"Simple_English", "Serbo_Croatian", "Belarusian_Taraskievica"}


def _words(entry: object) -> list[str]:
    """The list's distinct lower-cased single-token words, most frequent first."""
    words: list[str] = []
    seen: set[str] = set()
    for raw in entry.read_text(encoding="utf-8").split():  # type: ignore[attr-defined]
        tokens = _WORD.findall(raw.lower())
        if len(tokens) != 1 or tokens[0].isdigit() or tokens[0] in seen:
            continue
        seen.add(tokens[0])
        words.append(tokens[0])
    return words


def _latin(word: str) -> bool:
    return word.isascii() or all("LATIN" in unicodedata.name(c, "") for c in word if c.isalpha())


def build() -> str:
    """Wikipedia-derived lists of some languages are full of English words (text quoted in
    English): a list written mostly in another script loses its Latin-script words, and a
    Latin-script list that shares more than a quarter of English's first 60 words loses the
    words of English's list; otherwise English text could be taken for, say, Sundanese."""
    version = metadata.version("justext")
    folder = resources.files("justext") / "stoplists"
    entries = {
        entry.name.removesuffix(".txt"): entry
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".txt") and entry.name.removesuffix(".txt") not in SKIP
    }
    english = _words(entries["English"])[:TOP]
    english_set, english_head = set(english), set(english[:60])
    languages: dict[str, list[str]] = {}
    for name, entry in entries.items():
        words = _words(entry)
        if name != "English":
            if sum(not _latin(w) for w in words[:TOP]) > TOP // 2:
                words = [w for w in words if not _latin(w)]
            elif len(english_head.intersection(words[:TOP])) > len(english_head) // 4:
                words = [w for w in words if w not in english_set]
        if len(words) >= MIN_WORDS:  # a list this short tells nothing about a language
            languages[ISO.get(name, name.lower())] = words[:TOP]
    document = {
        "source": f"jusText {version} stoplists (https://github.com/miso-belica/jusText)",
        "licence": "BSD 2-Clause, Copyright (c) 2011 Jan Pomikalek, (c) 2013 Michal Belica: see stopwords.LICENSE",
        "selection": f"first {TOP} distinct lower-cased single-token words of each list, most frequent first, "
                     "without the English words of lists contaminated by English (training/build_stopwords.py)",
        "languages": dict(sorted(languages.items())),
    }
    lines = ["{"]
    for key in ("source", "licence", "selection"):
        lines.append(f"  {json.dumps(key)}: {json.dumps(document[key], ensure_ascii=False)},")
    lines.append('  "languages": {')
    items = list(document["languages"].items())
    for index, (code, words) in enumerate(items):
        comma = "," if index + 1 < len(items) else ""
        lines.append(f"    {json.dumps(code)}: {json.dumps(words, ensure_ascii=False)}{comma}")
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def licence() -> str:
    """jusText's licence text, as its distribution ships it."""
    files = metadata.files("justext") or []
    for entry in files:
        if entry.name.upper().startswith("LICENSE"):
            return (
                "The stop-word lists in stopwords.json are taken from jusText's stoplists\n"
                "(see stopwords.json for the selection). jusText's licence:\n\n"
                + entry.read_text(encoding="utf-8").strip() + "\n"
            )
    raise SystemExit("jusText's LICENSE file was not found in its installed distribution")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing")
    args = parser.parse_args()
    return write_or_check({TARGET: build(), LICENCE: licence()}, args.check)


if __name__ == "__main__":
    sys.exit(main())
