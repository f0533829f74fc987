"""Seeded generator of realistic (fictional) news text for the benchmarks.

Every sentence is produced from this module's own templates and word lists;
nothing is taken from third-party text.  Dirt is injected by real
transformations, the way it arises on the web:

- mojibake: UTF-8 bytes decoded as Windows-1252 (WHATWG "sloppy" variant, as
  browsers do), Latin-1 or MacRoman, sometimes twice;
- hover cards: display name + canonical name + glued or spaced headlines +
  ``MORE`` (the thehill.com artifact described in issue 3);
- NBSP, thin spaces, zero-width spaces, soft hyphens, a BOM;
- HTML entities (named, numeric, double-escaped) and tag remnants;
- typographic (curly) quotes;
- boilerplate lines and blocks (ads, newsletter prompts, share bars,
  related-link blocks, section menus, cookie notices, wire credits, footers);
- API truncation markers, duplicated paragraphs, whitespace runs, CRLF.

Modes:

``mixed``
    60% clean documents, 30% dirty (2-4 kinds of dirt), 10% lightly dirty
    (one kind, one spot); about 64% of all documents are pure ASCII.
``clean``
    clean pure-ASCII documents only.
``mojibake``
    mojibake-heavy: 85% of documents are mis-decoded in full or in part
    (cp1252 / Latin-1 / MacRoman, 10% of them twice), built from text rich in
    accented names, curly quotes, dashes and currency signs; 15% are clean
    non-ASCII text.  No other dirt, so the repairs can be compared with ftfy.

Use from Python::

    from corpus import generate, write_jsonl
    docs = generate("mixed", size=2_000_000, seed=1)

or from the shell::

    python benchmarks/corpus.py --mode mixed --size 2MB --stats
    python benchmarks/corpus.py --mode mixed --size 1MB --sample 2
    python benchmarks/corpus.py --jsonl /tmp/news.jsonl --size 100MB
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-1252" codec)

__all__ = ["MODES", "Document", "generate", "iter_documents", "parse_size", "write_jsonl"]

MODES = ("mixed", "clean", "mojibake")

# ---------------------------------------------------------------------------------------------
# Vocabulary (all fictional)
# ---------------------------------------------------------------------------------------------

FIRST_ASCII = [
    "Maren", "Tobias", "Delia", "Curtis", "Anika", "Rowan", "Harriet", "Desmond", "Priya", "Lionel",
    "Greta", "Marcus", "Nadia", "Felix", "Imogen", "Ezra", "Beatrix", "Solomon", "Tamsin", "Oren",
    "Wendell", "Yasmin", "Clement", "Odette", "Dario", "Hollis", "Ines", "Kofi", "Lorna", "Stellan",
]
FIRST_RICH = ["José", "Zoë", "Renée", "Søren", "Björn", "Chloé", "Łukasz", "Ángel", "Inès", "Jürgen",
              "Noémie", "Ðorđe", "Çağla", "Håkon", "Amélie", "Raúl"]
LAST_ASCII = [
    "Okafor", "Brennan", "Lindqvist", "Hartwell", "Castellano", "Whitcombe", "Abernathy", "Rasmussen",
    "Ferreira", "Kowalczyk", "Thornbury", "Nakamura", "Delacroix", "Ashworth", "Pemberton", "Oyelaran",
    "Galloway", "Mbeki-Stone", "Halvorsen", "Quintero", "Sinclair", "Vance", "Eckhart", "Moreland",
]
LAST_RICH = ["Müller", "Núñez", "García", "Sørensen", "Wójcik", "Ibáñez", "Lefèvre", "Gonçalves",
             "Šimić", "Dvořák", "Ölund", "Paço"]
TITLES = ["Sen.", "Rep.", "Gov.", "Mayor", "Secretary", "Minister", "Chancellor", "Judge", "Councilwoman",
          "Commissioner", "Majority Leader", "Press secretary"]
PARTY = ["(D-Ore.)", "(R-Texas)", "(D-Wash.)", "(R-Fla.)", "(I-Vt.)", "(D-N.Y.)", "(R-Ohio)"]
PLACES_ASCII = ["Riverton", "Port Ellis", "Greyhaven", "Marlow Heights", "Eastbrook", "Calder Bay",
                "North Ashby", "Fennick", "Lowmoor", "Stanton Falls", "Brightwater", "Oakhurst"]
PLACES_RICH = ["São Vicente", "Malmö", "Zürich", "Kraków", "Córdoba", "Tromsø", "Besançon", "Łódź",
               "Reykjavík", "Nîmes"]
ORGS = ["the city council", "the transport ministry", "the state water board", "Halvorsen & Vance LLP",
        "the regional health authority", "the port authority", "the teachers' union", "Brightline Energy",
        "the central bank", "the appeals court", "the electoral commission", "Northgate Freight & Rail",
        "the fire department", "the university's board of trustees", "Calder Mutual Insurance"]
THINGS = ["budget", "rail link", "housing plan", "tax overhaul", "flood barrier", "school funding formula",
          "bridge repair programme", "wind farm", "ferry contract", "hospital expansion", "zoning reform",
          "water treatment plant", "bus network redesign", "pension proposal", "data centre project"]
VERBS_PAST = ["approved", "delayed", "rejected", "defended", "criticised", "unveiled", "scaled back",
              "revived", "questioned", "blocked", "endorsed", "paused"]
SAY = ["said", "told reporters", "wrote in a statement", "said in an interview", "told lawmakers",
       "said at a news conference", "added", "noted"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
QUOTES = [
    "We are not going to rush this", "This is the best deal we could get", "Nobody here wanted a fight",
    "The numbers simply don't add up", "We owe it to the families who live here", "It's a start, not a finish",
    "I have never seen anything like it", "We'll keep talking until there's an agreement",
    "People are tired of waiting", "The plan was always going to be expensive",
    "This is about safety, plain and simple", "We've asked for the records twice",
]
HEAD_NOUNS = ["Council", "Senate", "Court", "Union", "Mayor", "Regulator", "Watchdog", "Board", "Police chief",
              "Minister", "Governor", "Panel"]
HEAD_VERBS = ["backs", "rejects", "delays", "approves", "weighs", "blocks", "signs", "questions", "revives",
              "pauses"]
SITES = ["The Riverton Ledger", "Calder Bay Courier", "Eastbrook Daily", "North Ashby Gazette", "Greyhaven Post"]
SECTIONS = ["Home", "News", "Politics", "Business", "Sport", "Opinion", "Culture", "Science", "Travel",
            "Weather", "Video", "Podcasts"]


# ---------------------------------------------------------------------------------------------
# Clean text
# ---------------------------------------------------------------------------------------------


class _Gen:
    """Draws words for one document; ``rich`` allows non-ASCII names, places and symbols."""

    def __init__(self, rng: random.Random, rich: bool) -> None:
        self.r = rng
        self.rich = rich

    def first(self) -> str:
        if self.rich and self.r.random() < 0.45:
            return self.r.choice(FIRST_RICH)
        return self.r.choice(FIRST_ASCII)

    def last(self) -> str:
        if self.rich and self.r.random() < 0.45:
            return self.r.choice(LAST_RICH)
        return self.r.choice(LAST_ASCII)

    def person(self) -> str:
        return f"{self.first()} {self.last()}"

    def place(self) -> str:
        if self.rich and self.r.random() < 0.5:
            return self.r.choice(PLACES_RICH)
        return self.r.choice(PLACES_ASCII)

    def dash(self) -> str:
        return " — " if self.rich and self.r.random() < 0.7 else " - "

    def money(self) -> str:
        n = self.r.choice([1.2, 3.5, 14, 27, 48.6, 112, 250, 1.9])
        if self.rich and self.r.random() < 0.4:
            return f"€{n} million"
        return f"${n} million"

    def headline(self) -> str:
        r = self.r
        return f"{r.choice(HEAD_NOUNS)} {r.choice(HEAD_VERBS)} {r.choice(THINGS)} plan"

    def sentence(self) -> str:
        r = self.r
        form = r.randrange(14)
        p = self.person()
        org, thing, month, day = r.choice(ORGS), r.choice(THINGS), r.choice(MONTHS), r.choice(DAYS)
        did = r.choice(VERBS_PAST)
        if form == 0:
            return f"{p} {r.choice(SAY)} on {day} that {org} had {did} the {thing}."
        if form == 1:
            return f'"{r.choice(QUOTES)}," {p} {r.choice(SAY)}.'
        if form == 2:
            return f"The {thing} is expected to cost about {self.money()}, according to {org}."
        if form == 3:
            return f"{r.choice(TITLES)} {p} {r.choice(PARTY)} said the vote could come as early as {month}."
        if form == 4:
            return f"In {self.place()}, residents said they had heard little about the {thing} until {month}."
        if form == 5:
            n = r.randint(2, 97)
            before = max(1, n - r.randint(1, 12))
            return (f"About {n}% of those surveyed said they supported the {thing}{self.dash()}"
                    f"up from {before}% a year ago.")
        if form == 6:
            return f"{org.capitalize()} {did} the {thing} after a {r.randint(2, 9)}-hour meeting."
        if form == 7:
            return f"Critics, including {p}, have argued that the {thing} ignores the needs of {self.place()}."
        if form == 8:
            return f"{p}, who has led {org} since {r.randint(1998, 2024)}, declined to comment."
        if form == 9:
            return f"The decision follows months of negotiations between {org} and {r.choice(ORGS)}."
        if form == 10:
            return f"\"It's not over,\" {p} said. \"{r.choice(QUOTES)}.\""
        if form == 11:
            return f"Officials in {self.place()} said {r.randint(3, 1800):,} homes were affected on {day}."
        if form == 12:
            return f"A spokesperson for {org} said the {thing} would be reviewed by {month} {r.randint(1, 28)}."
        return f"{p}'s office said the {thing} would not be {did} without a public hearing."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.r.randint(1, 5)))

    def article(self) -> tuple[str, list[str]]:
        """A headline and body paragraphs."""
        r = self.r
        title = self.headline()
        paras = [f"{self.place().upper()}{self.dash()}" + self.paragraph()]
        want = len(paras) + r.randint(3, 14)
        while len(paras) < want:
            p = self.paragraph()
            if p not in paras:  # a clean article has no repeated paragraph (that is the duplicates cleaner's dirt)
                paras.append(p)
        if r.random() < 0.4:
            paras.insert(0, f"By {self.person()}")
        return title, paras


# ---------------------------------------------------------------------------------------------
# Dirt: each function transforms a list of paragraphs (lines/blocks joined later by blank lines)
# ---------------------------------------------------------------------------------------------

Dirt = Callable[[random.Random, "_Gen", list[str], float], list[str]]


def _pick(rng: random.Random, paras: list[str], share: float) -> list[int]:
    n = max(1, round(len(paras) * share))
    return sorted(rng.sample(range(len(paras)), min(n, len(paras))))


def smart_quotes(rng: random.Random, g: _Gen, paras: list[str], share: float) -> list[str]:
    out = list(paras)
    for i in _pick(rng, out, max(share, 0.6)):
        p = out[i]
        parts = p.split('"')
        p = "".join(part + ("“" if k % 2 == 0 else "”") for k, part in enumerate(parts[:-1])) + parts[-1]
        out[i] = p.replace("'", "’")
    return out


def mojibake(rng: random.Random, g: _Gen, paras: list[str], share: float) -> list[str]:
    """Encode as UTF-8 and decode with a legacy codec: in the whole document or in some paragraphs."""
    codec = rng.choices(["sloppy-windows-1252", "latin-1", "macroman"], weights=[70, 15, 15])[0]
    twice = rng.random() < 0.1 and codec != "latin-1"

    def bake(s: str) -> str:
        s = s.encode("utf-8").decode(codec)
        return s.encode("utf-8").decode(codec) if twice else s

    if share >= 1 or rng.random() < 0.5:
        return [bake(p) for p in paras]
    out = list(paras)
    for i in _pick(rng, out, share):
        out[i] = bake(out[i])
    return out


def _hovercard(rng: random.Random, g: _Gen) -> str:
    """A sentence with a thehill.com-style hover card after the person's name."""
    first, last = rng.choice(FIRST_ASCII), rng.choice(LAST_ASCII)
    middle = rng.choice(["Marie", "J.", "Elliott", "Anne", "R.", "Louise", "Patrick"])
    canonical = rng.choice([f"{first} {middle} {last}", f"{first} {last}", f"{first} ({first[:3]}) {last} Jr.",
                            f"{first} {middle} {last}"])
    display = rng.choice([f"{first} {last}", last])
    heads = [f"{last} {rng.choice(HEAD_VERBS)} {rng.choice(THINGS)}"] + [g.headline() for _ in range(rng.randint(0, 2))]
    title = rng.choice(TITLES)
    if rng.random() < 0.7:  # feed format: canonical name, first headline and MORE glued
        card = canonical + heads[0] + "".join(" " + h for h in heads[1:]) + "MORE"
    else:  # web format: a space before the card and before MORE
        card = " " + canonical + heads[0] + "".join(" " + h for h in heads[1:]) + " MORE"
    tail = rng.choice([
        f" {rng.choice(PARTY)} said the {rng.choice(THINGS)} was dead.",
        "'s plan drew criticism.",
        f" on {rng.choice(DAYS)} called for a delay.",
        f" said talks would resume on {rng.choice(DAYS)}.",
    ])
    return f"{title} {display}{card}{tail}"


def hovercards(rng: random.Random, g: _Gen, paras: list[str], share: float) -> list[str]:
    out = list(paras)
    for i in _pick(rng, out, share * 0.5):
        out[i] = out[i] + " " + _hovercard(rng, g) if rng.random() < 0.6 else _hovercard(rng, g) + " " + out[i]
    return out


_ADS = ["Advertisement", "ADVERTISEMENT", "Story continues below advertisement", "Advertisement - scroll to continue"]
_PROMPTS = [
    "Sign up for our Morning Briefing newsletter to get the day's top stories in your inbox.",
    "Subscribe to {site} for unlimited access.",
    "Share this article", "Share on Facebook Share on Twitter Share via Email",
    "Follow us on Twitter and Instagram",
    "Download the {site} app for breaking news alerts.",
    "We use cookies to improve your experience. By continuing to browse you agree to our cookie policy.",
    "Read more: {head}", "Related: {head}", "Skip to content",
]


def boilerplate(rng: random.Random, g: _Gen, paras: list[str], share: float) -> list[str]:
    out = list(paras)
    site = rng.choice(SITES)
    n = max(1, round(len(out) * share * 0.6))
    for _ in range(n):
        kind = rng.randrange(4)
        if kind == 0:
            line = rng.choice(_ADS)
        elif kind == 1:
            line = rng.choice(_PROMPTS).format(site=site, head=g.headline())
        elif kind == 2:  # related-links block
            heading = rng.choice(["Related", "More from " + site, "Recommended", "Most read", "Trending now"])
            line = "\n".join([heading] + [g.headline() for _ in range(rng.randint(3, 6))])
        else:
            line = rng.choice(_ADS)
        out.insert(rng.randint(1, len(out)), line)
    if rng.random() < 0.5 * min(1.0, share * 2):  # section menu at the top
        out.insert(0, "\n".join(rng.sample(SECTIONS, rng.randint(4, 8))))
    if rng.random() < min(1.0, share * 2):  # footer
        year = rng.randint(2019, 2026)
        out.append(rng.choice([f"Reporting by {g.person()}; Editing by {g.person()}",
                               f"Copyright {year} {site}. All rights reserved.",
                               f"(c) {year} {site} Media Group. All rights reserved."]))
    return out


def entities_tags(rng: random.Random, g: _Gen, paras: list[str], share: float) -> list[str]:
    out = list(paras)
    for i in _pick(rng, out, share):
        p = out[i].replace("&", "&amp;")
        style = rng.randrange(4)
        if style == 0:
            p = p.replace("'", rng.choice(["&#8217;", "&#39;", "&rsquo;"])).replace('"', "&quot;")
        elif style == 1:
            p = p.replace('"', rng.choice(["&amp;quot;", "&#34;"])).replace(" - ", " &mdash; ")
        elif style == 2:
            words = p.split(" ")
            if len(words) > 6:
                k = rng.randrange(len(words) - 3)
                words[k] = f'<a href="https://example.com/news/{rng.randint(1000, 99999)}">{words[k]}'
                words[k + 2] = words[k + 2] + "</a>"
            p = " ".join(words)
        else:
            p = p.replace(". ", ".&nbsp; ", 2)
        if rng.random() < 0.5:
            p = rng.choice(["<p>", '<p class="story-body">', "<div>"]) + p + rng.choice(["</p>", "<br>", "</div>", ""])
        out[i] = p
    return out


def odd_spaces(rng: random.Random, g: _Gen, paras: list[str], share: float) -> list[str]:
    out = list(paras)
    for i in _pick(rng, out, share):
        words = out[i].split(" ")
        for _ in range(max(1, len(words) // 8)):
            k = rng.randrange(len(words))
            c = rng.choice(["\u00a0", "\u00a0", "\u2009", "\u200b", "\u00ad", "\u202f"])
            if c in ("\u200b", "\u00ad") and len(words[k]) > 3:
                words[k] = words[k][:2] + c + words[k][2:]
            elif k < len(words) - 1:
                words[k] = words[k] + c
                words[k + 1] = words[k + 1].lstrip(" ")
                words[k] = words[k] + words[k + 1]
                words[k + 1] = ""
        out[i] = " ".join(w for w in words if w)
    if rng.random() < 0.2:
        out[0] = "\ufeff" + out[0]
    return out


def whitespace(rng: random.Random, g: _Gen, paras: list[str], share: float) -> list[str]:
    out = list(paras)
    for i in _pick(rng, out, share):
        p = out[i].replace(". ", ".  ", rng.randint(1, 4))
        style = rng.randrange(4)
        if style == 0:
            p = p + "   "
        elif style == 1:
            p = "\t" + p
        elif style == 2:
            p = p + "\n\n"
        else:
            p = "  " + p.replace(", ", " ,  ", 1)
        out[i] = p
    return out


def crlf(rng: random.Random, g: _Gen, paras: list[str], share: float) -> list[str]:
    return [p.replace("\n", "\r\n") + "\r" for p in paras]


def truncation(rng: random.Random, g: _Gen, paras: list[str], share: float) -> list[str]:
    out = list(paras)
    last = out[-1]
    kind = rng.randrange(3)
    if kind == 0 and len(last) > 60:
        cut = rng.randint(30, len(last) - 10)
        ell = "…" if g.rich else "..."
        out[-1] = last[:cut] + f"{ell} [+{rng.randint(300, 6000)} chars]"
    elif kind == 1:
        out.append(rng.choice(["Continue reading", "Read more", "Continue reading the main story"]))
    else:
        out[-1] = last + " [...]" if not g.rich else last + " […]"
    return out


def duplicates(rng: random.Random, g: _Gen, paras: list[str], share: float) -> list[str]:
    out = list(paras)
    for _ in range(max(1, round(len(out) * share * 0.3))):
        src = rng.randrange(len(out))
        out.insert(rng.randint(src + 1, len(out)), out[src])
    return out


ASCII_DIRT: dict[str, Dirt] = {
    "entities_tags": entities_tags,
    "hovercards": hovercards,
    "boilerplate": boilerplate,
    "whitespace": whitespace,
    "truncation": truncation,
    "duplicates": duplicates,
    "crlf": crlf,
}
RICH_DIRT: dict[str, Dirt] = {
    **ASCII_DIRT,
    "mojibake": mojibake,
    "smart_quotes": smart_quotes,
    "odd_spaces": odd_spaces,
}
# Weights: how often each kind of dirt is chosen (mojibake and entities are the common web failures).
_WEIGHTS = {
    "entities_tags": 5, "hovercards": 2, "boilerplate": 6, "whitespace": 4, "truncation": 2,
    "duplicates": 2, "crlf": 1, "mojibake": 5, "smart_quotes": 5, "odd_spaces": 4,
}
# Order in which dirt is applied (the order it happens on the way to a scrape).
_APPLY_ORDER = ["smart_quotes", "hovercards", "duplicates", "truncation", "boilerplate", "odd_spaces",
                "mojibake", "entities_tags", "whitespace", "crlf"]


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


@dataclass
class Document:
    text: str
    title: str
    category: str  # clean | dirty | light
    dirt: list[str] = field(default_factory=list)


def _document(rng: random.Random, category: str, ascii_only: bool, mode: str) -> Document:
    g = _Gen(rng, rich=not ascii_only)
    title, paras = g.article()
    kinds: list[str] = []
    if mode == "mojibake":
        if category != "clean":
            paras = smart_quotes(rng, g, paras, 1.0)
            paras = mojibake(rng, g, paras, 1.0 if rng.random() < 0.6 else 0.4)
            kinds = ["smart_quotes", "mojibake"]
        body = "\n\n".join([title, *paras])
        return Document(body, title, category, kinds)
    pool = ASCII_DIRT if ascii_only else RICH_DIRT
    if category == "dirty":
        names = list(pool)
        weights = [_WEIGHTS[n] for n in names]
        want = rng.randint(2, 4)
        while len(kinds) < want:
            k = rng.choices(names, weights)[0]
            if k not in kinds:
                kinds.append(k)
        if not ascii_only and not {"mojibake", "smart_quotes", "odd_spaces"} & set(kinds):
            kinds[0] = rng.choice(["mojibake", "smart_quotes", "odd_spaces"])  # non-ASCII dirt in a rich doc
        share = rng.uniform(0.2, 0.6)
    elif category == "light":
        names = [n for n in pool if n not in ("crlf", "mojibake")] if ascii_only else list(pool)
        kinds = [rng.choice(names)]
        share = 0.05
    else:
        share = 0.0
    for k in _APPLY_ORDER:
        if k in kinds:
            paras = pool[k](rng, g, paras, share)
    if "crlf" in kinds:
        body = "\r\n\r\n".join([title, *paras])
    else:
        body = "\n\n".join([title, *paras])
    if "whitespace" in kinds and rng.random() < 0.5:
        body = "\n" + body + "\n\n  "
    return Document(body, title, category, kinds)


def iter_documents(mode: str = "mixed", seed: int = 20261126) -> Iterator[Document]:
    """An endless, reproducible stream of documents for ``mode``."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    rng = random.Random(f"{mode}:{seed}")
    while True:
        if mode == "clean":
            yield _document(rng, "clean", True, mode)
        elif mode == "mojibake":
            category = "dirty" if rng.random() < 0.85 else "clean"
            yield _document(rng, category, False, mode)
        else:
            x = rng.random()
            if x < 0.6:
                category, p_ascii = "clean", 0.8
            elif x < 0.9:
                category, p_ascii = "dirty", 0.35
            else:
                category, p_ascii = "light", 0.55
            yield _document(rng, category, rng.random() < p_ascii, mode)


def generate_documents(mode: str = "mixed", size: int = 20_000_000, seed: int = 20261126) -> list[Document]:
    """Documents of ``mode`` until their UTF-8 size reaches ``size`` bytes."""
    docs: list[Document] = []
    total = 0
    for doc in iter_documents(mode, seed):
        docs.append(doc)
        total += len(doc.text.encode("utf-8"))
        if total >= size:
            break
    return docs


def generate(mode: str = "mixed", size: int = 20_000_000, seed: int = 20261126) -> list[str]:
    """Document texts of ``mode`` until their UTF-8 size reaches ``size`` bytes."""
    return [d.text for d in generate_documents(mode, size, seed)]


def write_jsonl(path: str, size: int, mode: str = "mixed", seed: int = 20261126, pool_size: int = 8_000_000) -> int:
    """Stream a JSONL file of about ``size`` bytes to ``path``; return the bytes written.

    Records are ``{"id", "url", "title", "text", "source"}``.  To generate
    gigabytes quickly, a pool of ``pool_size`` bytes of distinct documents is
    generated once and cycled (ids and URLs stay unique).
    """
    pool = generate_documents(mode, min(size, pool_size), seed)
    written = 0
    i = 0
    with open(path, "w", encoding="utf-8") as f:
        while written < size:
            chunk = []
            for _ in range(500):
                d = pool[i % len(pool)]
                rec = {"id": i, "url": f"https://news.example.com/{d.category}/{i}", "title": d.title,
                       "text": d.text, "source": "generated"}
                chunk.append(json.dumps(rec, ensure_ascii=False))
                i += 1
            data = "\n".join(chunk) + "\n"
            f.write(data)
            written += len(data.encode("utf-8"))
    return written


def parse_size(value: str) -> int:
    """``"20MB"`` → 20_000_000; also KB, GB, plain bytes."""
    v = value.strip().upper().removesuffix("B")
    mult = {"K": 1_000, "M": 1_000_000, "G": 1_000_000_000}
    if v and v[-1] in mult:
        return int(float(v[:-1]) * mult[v[-1]])
    return int(float(v))


def stats(docs: list[Document]) -> dict[str, object]:
    n = len(docs)
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    return {
        "documents": n,
        "bytes": size,
        "mean_doc_bytes": round(size / n),
        "ascii_share": round(sum(d.text.isascii() for d in docs) / n, 3),
        "categories": {k: round(v / n, 3) for k, v in sorted(Counter(d.category for d in docs).items())},
        "dirt_kinds": dict(Counter(k for d in docs for k in d.dirt).most_common()),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", choices=MODES, default="mixed")
    ap.add_argument("--size", default="2MB", help="corpus size, e.g. 500KB, 20MB, 1GB")
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--stats", action="store_true", help="print corpus statistics as JSON")
    ap.add_argument("--sample", type=int, default=0, help="print N sample documents (one per category)")
    ap.add_argument("--jsonl", metavar="PATH", help="write a JSONL file of --size bytes to PATH")
    args = ap.parse_args(argv)
    size = parse_size(args.size)
    if args.jsonl:
        n = write_jsonl(args.jsonl, size, args.mode, args.seed)
        print(f"wrote {n:,} bytes to {args.jsonl}", file=sys.stderr)
        return 0
    docs = generate_documents(args.mode, size, args.seed)
    if args.stats or not args.sample:
        print(json.dumps(stats(docs), indent=2))
    if args.sample:
        shown: Counter[str] = Counter()
        for d in docs:
            if shown[d.category] < args.sample:
                shown[d.category] += 1
                print(f"\n===== {d.category} {d.dirt} =====\n{d.text!s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
