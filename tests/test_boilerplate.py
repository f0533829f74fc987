"""Tests of the boilerplate cleaner and the built-in rule packs.

The labelled corpus in ``tests/cases/boilerplate/corpus.json`` is our own,
fictional page text (menus, related blocks, share bars, captions, credits,
cookie banners, comment widgets and footers mixed into articles, plus hard
negatives).  Targets from the spec: keep >= 99% of article lines, drop >= 90%
of boilerplate lines.
"""

from __future__ import annotations

import json
import pickle
import time
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.cleaner import Change
from newsclean.cleaners.boilerplate import (
    _ODD_SPACE_OTHER,
    BoilerplateCleaner,
    _character_classes,
    _compile,
    _drop_covered,
    _edge_chars,
    _heads,
    _LazyPattern,
    _max_width,
    _needs_normalising,
    _sre_constants,
    _sre_parse,
)
from newsclean.diffing import kept_lines
from newsclean.errors import ConfigError, OptionError
from newsclean.pipeline import Pipeline
from newsclean.plugins import load_registry
from newsclean.rules import MAX_LINE_CHARS, PREFIX_MAX_CHARS, Rule, builtin_rules, rules_from_data
from newsclean.testing import check_cleaner
from newsclean.testing.strategies import clean_prose, dirty_news_text

CASES = Path(__file__).parent / "cases" / "boilerplate"
# corpus.json was written together with the rules; heldout.json and heldout2.json were written
# afterwards and first scored before any rule was changed for them (see the benchmark's notes).
DOCUMENTS = [
    doc for name in ("corpus.json", "heldout.json", "heldout2.json")
    for doc in json.loads((CASES / name).read_text(encoding="utf-8"))["documents"]
]
CLEANER = BoilerplateCleaner()


def document_text(doc: dict) -> str:
    return "\n".join(line["text"] for line in doc["lines"])


def test_kept_lines():
    assert kept_lines(["a", "b", "a", "c"], "a\nc") == [True, False, False, True]
    assert kept_lines(["a", "b"], "") == [False, False]
    with pytest.raises(ValueError, match="output line 2 \\('x'\\)"):
        kept_lines(["a", "b"], "a\nx")
    with pytest.raises(ValueError, match="output line 2 \\('a'\\)"):
        kept_lines(["a", "b"], "b\na")


def corpus_scores(cleaner: BoilerplateCleaner) -> tuple[int, int, int, int, list[str]]:
    kept_article = total_article = dropped_bp = total_bp = 0
    problems = []
    for doc in DOCUMENTS:
        lines = [line["text"] for line in doc["lines"]]
        flags = kept_lines(lines, cleaner.clean(document_text(doc)))
        for line, kept in zip(doc["lines"], flags, strict=True):
            if line["label"] == "article":
                total_article += 1
                kept_article += kept
                if not kept:
                    problems.append(f"{doc['name']}: dropped article line {line['text']!r}")
            elif line["label"] == "boilerplate":
                total_bp += 1
                dropped_bp += not kept
                if kept:
                    problems.append(f"{doc['name']}: kept {line['category']} line {line['text']!r}")
    return kept_article, total_article, dropped_bp, total_bp, problems


# -- the labelled corpus -----------------------------------------------------------------


def test_corpus_is_big_enough_and_well_formed():
    assert len(DOCUMENTS) >= 25
    for doc in DOCUMENTS:
        assert doc["name"] and doc["comment"]
        for line in doc["lines"]:
            assert line["label"] in {"article", "boilerplate", "blank"}
            assert (line["label"] == "blank") == (line["text"].strip() == "")
            assert ("category" in line) == (line["label"] == "boilerplate")
    labels = [line["label"] for doc in DOCUMENTS for line in doc["lines"]]
    assert labels.count("article") >= 100 and labels.count("boilerplate") >= 100


def test_corpus_precision_and_recall_targets():
    kept_article, total_article, dropped_bp, total_bp, problems = corpus_scores(CLEANER)
    assert kept_article / total_article >= 0.99, problems
    assert dropped_bp / total_bp >= 0.90, problems


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d["name"] for d in DOCUMENTS])
def test_corpus_document_idempotent_and_explained(doc):
    text = document_text(doc)
    once = CLEANER.clean(text)
    assert CLEANER.clean(once) == once
    result, changes = CLEANER.explain(text)
    assert result == once
    assert_changes_rebuild(text, result, changes)
    assert "\n\n\n" not in once or "\n\n\n" in text


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d["name"] for d in DOCUMENTS])
def test_corpus_headline_always_kept(doc):
    headline = next(line for line in doc["lines"] if line["label"] == "article")
    assert headline["text"] in CLEANER.clean(document_text(doc)).split("\n")


def assert_changes_rebuild(text: str, result: str, changes: list[Change]) -> None:
    """Applying the reported removals to the input gives exactly the output."""
    rebuilt, pos = [], 0
    for change in sorted(changes, key=lambda c: c.start):
        assert change.start >= pos, "overlapping changes"
        assert text[change.start : change.start + len(change.removed)] == change.removed
        assert change.inserted == ""
        rebuilt.append(text[pos : change.start])
        pos = change.start + len(change.removed)
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == result


# -- exact examples ----------------------------------------------------------------------


def test_docstring_example():
    text = (
        "Home\nWorld\nPolitics\nMayor unveils flood plan\n\nThe plan costs $40 million.\n"
        "Advertisement\nShare\nFacebook\nTwitter\nOfficials said work starts in May."
    )
    assert CLEANER.clean(text) == (
        "Mayor unveils flood plan\n\nThe plan costs $40 million.\nOfficials said work starts in May."
    )


def test_single_lines_dropped_and_paragraphs_rejoined():
    text = "First paragraph ends here.\n\nAdvertisement\n\nSecond paragraph ends here."
    assert CLEANER.clean(text) == "First paragraph ends here.\n\nSecond paragraph ends here."
    text = "First paragraph.\nStory continues below advertisement\nSecond paragraph."
    assert CLEANER.clean(text) == "First paragraph.\nSecond paragraph."


def test_blank_lines_do_not_pile_up():
    text = "Para one.\n\n\nAdvertisement\n\n\n\nPara two.\n\nSign up for our newsletter\n\n"
    # the longest of the merged gaps survives; the document keeps its own trailing blank lines
    assert CLEANER.clean(text) == "Para one.\n\n\n\nPara two.\n\n"
    # leading and trailing junk leaves no new blank lines at the ends
    assert CLEANER.clean("Skip to content\n\nHeadline here\n\nBody text.\n\n© 2026 Ledger") == (
        "Headline here\n\nBody text."
    )


def test_related_block_tight_and_spaced():
    tight = "Body text.\n\nMost read\nA headline here\nAnother headline here\n\nMore body text."
    assert CLEANER.clean(tight) == "Body text.\n\nMore body text."
    spaced = "Body text.\n\nRecommended\n\nThe first linked story\n\nThe second linked story\n\nMore body text."
    assert CLEANER.clean(spaced) == "Body text.\n\nMore body text."


def test_related_block_stops_at_prose_and_subheadings():
    text = "Body.\n\nRelated\n\nA linked story about rates\n\nAftermath\n\nThe council met again on Friday."
    # "Aftermath" is a one-word subheading, not a link title, in a spaced block
    assert CLEANER.clean(text) == "Body.\n\nAftermath\n\nThe council met again on Friday."
    text = "Body.\n\nTrending\nThe council met again on Friday, officials said."
    assert CLEANER.clean(text) == "Body.\n\nThe council met again on Friday, officials said."


def test_wire_credits_and_footers():
    for line in [
        "Reporting by Jane Doe in London; Editing by Sam Lee",
        "(Reporting by Ana Ruiz; Writing by Tom Hale; Editing by Kim Park)",
        "Editing by Mark Olsen",
        "Additional reporting by Keiko Tanabe in Tokyo",
        "The Associated Press contributed to this report.",
        "© 2026 The Daily Ledger. All rights reserved.",
        "Copyright 2026 Brightwater Media Ltd.",
        "The Daily Ledger. All rights reserved.",
    ]:
        assert CLEANER.clean(f"Body text.\n{line}") == "Body text.", line


def test_hard_negatives_stay():
    prose = [
        "The company said its newsletter reached 2 million readers.",
        "Read more about it in our report.",
        "Investigators found that the option to reject cookies was hidden.",
        "Reporting by the Tribune found that the mayor had misled voters.",
        "Research by Oxford scientists, writing in Nature, showed the effect.",
        "Copyright law changed in 2019, the court noted.",
        "Photographs by Smith hang in the gallery.",
        "Not a member of the committee, Smith still voted.",
        "Share prices fell 3% in early trading.",
        "Follow the money on Twitter, critics say.",
        "Open the app, go to Settings, and tap Privacy.",
        "No.",
        '"Yes."',
        "What happened next",
    ]
    for line in prose:
        text = f"Headline of the story\n\n{line}\n\nLast paragraph of the story."
        assert CLEANER.clean(text) == text, line


def test_lone_weak_items_stay_between_prose():
    # "Email" or "World" on its own between paragraphs is not a share bar or a menu
    for word in ["Email", "World", "Accept", "Contact"]:
        text = f"First paragraph of the story.\n\n{word}\n\nSecond paragraph of the story."
        assert CLEANER.clean(text) == text, word


def test_headline_kept_even_when_it_looks_like_a_link_line():
    text = "Watch: Rescue crews pull hiker from ravine\n\nThe hiker was found on Monday."
    assert CLEANER.clean(text) == text
    # ... also after a menu
    text = "Home\nWorld\nWatch: Rescue crews pull hiker from ravine\n\nThe hiker was found on Monday."
    assert CLEANER.clean(text) == "Watch: Rescue crews pull hiker from ravine\n\nThe hiker was found on Monday."


def test_top_menu_keeps_the_headline_after_it():
    text = "Home\nClimate crisis\nPolitics\nStorm hits coast\n\nThe storm hit on Monday."
    assert CLEANER.clean(text) == "Storm hits coast\n\nThe storm hit on Monday."
    # a short unknown entry after the last known one goes too when a headline follows the menu
    text = "Sports\nNFL\nSoccer\nFantasy\nLate goal lifts City past Rovers\n\nCity won 2-1."
    assert CLEANER.clean(text) == "Late goal lifts City past Rovers\n\nCity won 2-1."
    # ... but a short headline followed directly by prose stays
    text = "Home\nWorld\nByline Jones\nStorm hits coast\nThe storm hit on Monday."
    assert CLEANER.clean(text) == "Byline Jones\nStorm hits coast\nThe storm hit on Monday."


def test_explain_reports_categories():
    text = (
        "Skip to content\nHome\nWorld\nHeadline of the day\n\nBody text.\n\nAdvertisement\n\n"
        "Related\nFirst link title here\nSecond link title here\n\nMore body.\n\nSign up for our newsletter"
    )
    result, changes = CLEANER.explain(text)
    assert result == CLEANER.clean(text)
    assert [c.category for c in changes] == ["navigation", "advertisement", "related-block", "newsletter"]
    assert_changes_rebuild(text, result, changes)
    assert CLEANER.explain("Nothing to see here.") == ("Nothing to see here.", [])


def test_pipeline_explain_counts_by_category():
    text = "Headline\n\nBody.\n\nAdvertisement\n\nMore body.\n\nAdvertisement\n\nSign up for our newsletter"
    report = Pipeline([BoilerplateCleaner()]).explain(text).report("boilerplate")
    assert report.categories == {"advertisement": 2, "newsletter": 1}


def test_unchanged_text_is_returned_as_is():
    text = "A headline\n\nSome prose that is not boilerplate at all."
    assert CLEANER.clean(text) is text


# -- options -----------------------------------------------------------------------------


def test_exclude_categories_switches_rules_off():
    text = "Body text.\n\nAdvertisement\n\nSign up for our newsletter"
    cleaner = BoilerplateCleaner(exclude_categories=("advertisement",))
    assert cleaner.clean(text) == "Body text.\n\nAdvertisement"
    only = BoilerplateCleaner(categories=["newsletter"])
    assert only.clean(text) == "Body text.\n\nAdvertisement"
    assert BoilerplateCleaner(exclude_categories="advertisement,newsletter").clean(text) == text


def test_excluding_navigation_disables_the_top_menu():
    text = "Home\nWorld\nPolitics\nHeadline here\n\nBody."
    assert BoilerplateCleaner(exclude_categories=("navigation",)).clean(text) == text


def test_blocks_option():
    text = "Body.\n\nRelated\nA linked headline\nAnother linked headline\n\nShare\nFacebook\nTwitter\n\nEnd."
    assert CLEANER.clean(text) == "Body.\n\nEnd."
    no_blocks = BoilerplateCleaner(blocks=False)
    # headings and strong lines still go, link titles and weak items stay
    assert no_blocks.clean(text) == "Body.\n\nA linked headline\nAnother linked headline\n\nFacebook\nTwitter\n\nEnd."


def test_max_block_lines():
    links = "\n".join(f"Linked headline number {n}" for n in range(5))
    text = f"Body.\n\nRelated\n{links}\n\nEnd."
    cleaner = BoilerplateCleaner(max_block_lines=2)
    assert cleaner.clean(text) == "Body.\n\n" + "\n".join(f"Linked headline number {n}" for n in range(2, 5)) + (
        "\n\nEnd."
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"languages": ()}, "at least one language"),
        ({"languages": ("xx",)}, "no rules for language 'xx'"),
        ({"exclude_categories": ("advertisment",)}, "advertisement"),
        ({"categories": ("nope",)}, "unknown category 'nope'"),
        ({"max_block_lines": 0}, "1 or more"),
        ({"blocks": "maybe"}, "bool"),
        ({"colour": 1}, "unknown option"),
    ],
)
def test_option_validation(options, message):
    with pytest.raises(OptionError, match=message):
        BoilerplateCleaner(**options)


def test_languages_star_and_language_specific_rules():
    rules = [*builtin_rules(), Rule("anzeige", "advertisement", language="de")]
    text = "Text.\n\nAnzeige\n\nAdvertisement"
    assert BoilerplateCleaner(rules=rules).clean(text) == "Text.\n\nAnzeige"
    assert BoilerplateCleaner(rules=rules, languages=("de",)).clean(text) == "Text.\n\nAdvertisement"
    assert BoilerplateCleaner(rules=rules, languages=("en", "de")).clean(text) == "Text."
    assert BoilerplateCleaner(rules=rules, languages=("*",)).clean(text) == "Text."


# -- plugin rules --------------------------------------------------------------------------


def test_plugin_rules_through_build():
    extra = Rule(r"watch the ledger live(?: now)?", category="video", source="test")
    rules = [*builtin_rules(), extra]
    cleaner = BoilerplateCleaner.build({"exclude_categories": ["advertisement"]}, rules)
    text = "Body.\n\nWatch the Ledger live now\n\nAdvertisement"
    assert cleaner.clean(text) == "Body.\n\nAdvertisement"
    assert extra in cleaner.rules
    _, changes = cleaner.explain(text)
    assert [c.category for c in changes] == ["video"]
    # picklable with its plugin rules, and not equal to the built-in-only cleaner
    copy = pickle.loads(pickle.dumps(cleaner))
    assert copy == cleaner and copy.clean(text) == cleaner.clean(text)
    assert BoilerplateCleaner(exclude_categories=["advertisement"]) != cleaner


def test_registry_rules_reach_the_cleaner():
    class Plugin:
        from newsclean.hookspecs import hookimpl

        @hookimpl
        def newsclean_register_rules(register):  # a pluggy hook on a plain class
            register(rules_from_data({"rule": [{"pattern": "listen live", "category": "radio"}]}, "t"))

    registry = load_registry([("radio", Plugin)], entry_points=False)
    cleaner = BoilerplateCleaner.build({}, registry.rules)
    assert cleaner.clean("Body.\n\nListen live") == "Body."
    assert cleaner.clean("Body.\n\nAdvertisement") == "Body."  # built-in rules came through the registry


def test_constructed_directly_uses_builtin_rules():
    assert BoilerplateCleaner().rules == tuple(builtin_rules())
    assert BoilerplateCleaner(rules=[]).clean("Advertisement\nBody.") == "Advertisement\nBody."
    with pytest.raises(OptionError, match="Rule objects"):
        BoilerplateCleaner(rules=["advertisement"])


def test_prefix_and_suffix_rule_kinds():
    rules = [Rule(r"watch ?:", "video", kind="prefix"), Rule(r"\(video\)", "video", kind="suffix")]
    cleaner = BoilerplateCleaner(rules=rules)
    assert cleaner.clean("Headline\nWatch: the mayor speaks\nBody.") == "Headline\nBody."
    assert cleaner.clean("Headline\nThe mayor speaks (video)\nBody.") == "Headline\nBody."
    long_line = "Watch: " + "word " * (PREFIX_MAX_CHARS // 5)
    assert cleaner.clean(f"Headline\n{long_line}") == f"Headline\n{long_line}"


def test_rule_kind_validation():
    assert Rule("x", "c", kind="item").kind == "item"
    assert Rule("x", "c", kind="suffix").kind == "suffix"
    with pytest.raises(ConfigError, match="valid kinds"):
        Rule("x", "c", kind="block")


def test_user_rules_are_compiled_at_load_and_shipped_ones_by_the_tests():
    with pytest.raises(ConfigError, match=r"'\(unclosed' .*not a valid pattern"):
        Rule("(unclosed", "c")
    with pytest.raises(ConfigError, match=r"mine.toml: rule #2: .*not a valid pattern"):
        rules_from_data({"rule": [{"pattern": "ok", "category": "c"}, {"pattern": "[x", "category": "c"}]}, "mine.toml")
    # shipped packs skip the compile at load (start-up time); their fields are still checked,
    # and test_builtin_rule_is_safe compiles every shipped pattern
    shipped = builtin_rules()
    assert all(rule.source.startswith("newsclean/rules/") for rule in shipped)
    assert shipped == [Rule(r.pattern, r.category, r.language, r.kind, r.source) for r in shipped]


# -- properties ----------------------------------------------------------------------------


def test_conformance():
    check_cleaner(CLEANER, max_examples=100)
    check_cleaner(BoilerplateCleaner(blocks=False, exclude_categories=("navigation",)), max_examples=20)


BOILERPLATE_LINES = [
    "Advertisement", "Share", "Facebook", "Twitter", "Email", "Copy link", "Related", "Most read",
    "Sign up for our newsletter", "We use cookies to improve your experience.", "Accept all cookies",
    "Skip to content", "Home", "World", "Politics", "Comments", "Join the conversation",
    "© 2026 The Daily Ledger. All rights reserved.", "Reporting by Jane Doe; Editing by Sam Lee",
    "Read more: Why the river floods", "Photo: Jane Doe/Reuters", "Story continues below advertisement",
    "Trending", "You may also like", "A short linked headline", "Another title here",
]


@settings(max_examples=150, deadline=None)
@given(prose=clean_prose(), junk=st.lists(st.sampled_from(BOILERPLATE_LINES), max_size=12), data=st.data())
def test_prose_never_dropped_with_boilerplate_interleaved(prose, junk, data):
    paragraphs = prose.split("\n\n")
    lines = list(paragraphs)
    for item in junk:
        lines.insert(data.draw(st.integers(0, len(lines))), item)
    sep = data.draw(st.sampled_from(["\n", "\n\n"]))
    text = sep.join(lines)
    result = CLEANER.clean(text)
    out_lines = result.split("\n")
    for paragraph in paragraphs:
        assert paragraph in out_lines
    assert CLEANER.clean(result) == result


@settings(max_examples=150, deadline=None)
@given(text=st.one_of(dirty_news_text(), st.lists(st.sampled_from([*BOILERPLATE_LINES, "", "Body text."])).map(
    "\n".join)))
def test_idempotent_on_boilerplate_mixes(text):
    once = CLEANER.clean(text)
    assert CLEANER.clean(once) == once
    result, changes = CLEANER.explain(text)
    assert result == once
    assert_changes_rebuild(text, result, changes)


def naive_classify(cleaner: BoilerplateCleaner, line: str):
    """The slow reference: every active rule, one by one, no length or first-character dispatch."""
    if not line or len(line) > MAX_LINE_CHARS:
        return None
    matchers = cleaner._rule_matchers()
    for kind in ("heading", "line", "prefix", "suffix", "item"):
        if kind in ("prefix", "suffix") and len(line) > PREFIX_MAX_CHARS:
            continue
        for pattern, category in matchers[kind]:
            if pattern.match(line):
                return kind, category
    return None


LINE_SOURCES = [line["text"] for doc in DOCUMENTS for line in doc["lines"] if line["text"]]


@settings(max_examples=300, deadline=None)
@given(line=st.one_of(st.sampled_from(LINE_SOURCES), st.sampled_from(BOILERPLATE_LINES), dirty_news_text(6),
                      st.text(max_size=40)))
def test_fast_dispatch_matches_slow_reference(line):
    line = " ".join(line.split())
    for text in (line, line.upper(), line.lower(), f"({line})", f"{line}."):
        assert CLEANER._classify(text) == naive_classify(CLEANER, text)


def test_fast_dispatch_matches_slow_reference_on_corpus():
    for text in LINE_SOURCES + BOILERPLATE_LINES:
        assert CLEANER._classify(text) == naive_classify(CLEANER, text), text


# -- rule hygiene and linear time ------------------------------------------------------------


def _nested_unbounded(pattern: str) -> bool:
    """True if a repeated group contains an unbounded repeat, as in (a+)+ or (\\w+ )*."""
    simplified = regex.sub(r"\\[pP]\{[^}]*\}", "x", pattern)
    parsed = _sre_parse.parse(simplified)
    repeats = tuple(getattr(_sre_constants, n) for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                    if hasattr(_sre_constants, n))

    def walk(items, inside_repeat: bool) -> bool:
        for op, arg in items:
            if op in repeats:
                _low, high, body = arg
                unbounded = high == _sre_constants.MAXREPEAT
                if inside_repeat and unbounded:
                    return True
                if walk(body, inside_repeat or high > 1):
                    return True
            elif op is _sre_constants.SUBPATTERN:
                if walk(arg[-1], inside_repeat):
                    return True
            elif op is _sre_constants.BRANCH:
                if any(walk(branch, inside_repeat) for branch in arg[1]):
                    return True
            elif op in (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT):
                if walk(arg[1], inside_repeat):
                    return True
        return False

    return walk(list(parsed), False)


def test_nested_quantifier_check_works():
    assert _nested_unbounded(r"(a+)+")
    assert _nested_unbounded(r"(?:\w+ )*x")
    assert _nested_unbounded(r"(?:x(?:y|z+)){2,5}")
    assert not _nested_unbounded(r"(?:\p{L}{1,30} ){0,4}")
    assert not _nested_unbounded(r"a+b*")


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: f"{r.category}-{r.kind}")
def test_builtin_rule_is_safe(rule):
    regex.compile(rule.pattern, regex.IGNORECASE | regex.VERSION1)
    assert not _nested_unbounded(rule.pattern)
    # every built-in rule is analysable (bounded width), so long lines skip it cheaply
    assert _max_width(rule.pattern) <= MAX_LINE_CHARS
    assert rule.kind in ("line", "prefix", "suffix", "heading", "item")


def test_edge_analysis():
    assert _edge_chars("advertisement|share") == frozenset("as")
    assert _edge_chars(r"(?:the )?story") == frozenset("ts")
    assert _edge_chars(r"\p{L}x") is None
    assert _edge_chars(r"inbox[.!]?", last=True) == frozenset("x.!")
    assert _edge_chars(r"a*") is None  # can match empty


def _timed(text: str) -> float:
    start = time.perf_counter()
    CLEANER.clean(text)
    return time.perf_counter() - start


@pytest.mark.parametrize(
    "unit",
    [
        "Reporting by Jane Doe ",  # credit-like prefix that never completes
        "Home | ",  # menu-like separators
        "a" * 30 + " ",
        "Share ",
        "(Photo: " * 3,
    ],
)
def test_adversarial_long_lines_are_linear(unit):
    # relative comparison only: doubling the input must not much more than double the time
    small = unit * 10_000
    big = unit * 20_000
    best_small = min(_timed(small) for _ in range(3))
    best_big = min(_timed(big) for _ in range(3))
    assert best_big < best_small * 4 + 0.05


def test_many_short_lines_are_linear():
    small = "\n".join(["Home", "Short title here", "Body text goes here."] * 1000)
    big = "\n".join(["Home", "Short title here", "Body text goes here."] * 2000)
    best_small = min(_timed(small) for _ in range(3))
    best_big = min(_timed(big) for _ in range(3))
    assert best_big < best_small * 4 + 0.05


# -- other languages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "de",
            "Startseite\nPolitik\nWirtschaft\nKanzler kündigt Reform an\n\nDie Regierung will das Rentensystem "
            "umbauen.\n\nAnzeige\n\nTeilen\nFacebook\nWhatsApp\n\nMehr zum Thema\nOpposition kritisiert Pläne\n\n"
            "Der Newsletter des Verlags erreicht 50.000 Leser.\n\n© 2026 Beispiel Zeitung. Alle Rechte vorbehalten.",
            "Kanzler kündigt Reform an\n\nDie Regierung will das Rentensystem umbauen.\n\n"
            "Der Newsletter des Verlags erreicht 50.000 Leser.",
        ),
        (
            "fr",
            "Aller au contenu principal\nLe maire annonce un plan contre les inondations\n\nLe plan coûtera 40 "
            "millions d'euros.\n\nPublicité\n\nÀ lire aussi : Les crues de 2024 en chiffres\n\nLe site utilise des "
            "cookies pour suivre les lecteurs, selon la CNIL.\n\nTous droits réservés.",
            "Le maire annonce un plan contre les inondations\n\nLe plan coûtera 40 millions d'euros.\n\n"
            "Le site utilise des cookies pour suivre les lecteurs, selon la CNIL.",
        ),
        (
            "es",
            "Saltar al contenido\nEl alcalde presenta un plan contra inundaciones\n\nEl plan costará 40 millones."
            "\n\nPublicidad\n\nLo más leído\nLa crecida de 2024 en cifras\nQué hacer ante una alerta roja\n\n"
            "Las obras empiezan en mayo.\n\nTodos los derechos reservados.",
            "El alcalde presenta un plan contra inundaciones\n\nEl plan costará 40 millones.\n\n"
            "Las obras empiezan en mayo.",
        ),
    ],
)
def test_other_language_packs(language, text, expected):
    cleaner = BoilerplateCleaner(languages=(language,))
    assert cleaner.clean(text) == expected
    assert cleaner.clean(expected) == expected
    # the default (English) cleaner does not apply them
    assert "Publicidad" in CLEANER.clean(text) or language != "es"


def test_language_packs_are_shipped():
    assert {rule.language for rule in builtin_rules()} >= {"en", "de", "fr", "es"}
    check_cleaner(BoilerplateCleaner(languages=("de", "fr", "es")), max_examples=30)


class _SlowBoilerplate(BoilerplateCleaner):
    """The same cleaner with every shortcut replaced by the naive way: every line normalised,
    no document-level check, every rule tried on every line."""

    def _normalise(self, text, lines):
        return [" ".join(line.split()) if len(line) <= 4 * MAX_LINE_CHARS else line for line in lines]

    def _kinds(self, norm):
        return [naive_classify(self, line) if line else None for line in norm]


SLOW = _SlowBoilerplate()


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(
    dirty_news_text(),
    st.lists(st.sampled_from([*BOILERPLATE_LINES, *LINE_SOURCES[:80], "", "  ", "Body text."]), max_size=25).map(
        "\n".join),
))
def test_fast_path_gives_the_same_output_as_the_slow_path(text):
    fast = CLEANER.clean(text)
    assert fast == SLOW.clean(text)
    if fast == text:
        assert fast is text  # nothing to do: the input object itself comes back


# -- the shortcuts of the scan, each against the way without it ---------------------------------

# characters that case-fold to (or case-insensitively match) ASCII letters, and other odd ones
CONFUSABLE = "\u0130\u0131\u017f\u212a\u00df\u1e9e\ufb01\ufb02\u0149\u01f0\u00e9\u2014\u00b7\u00a9\u2019"
WHITESPACE = [" ", "  ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2009", "\u3000", "\u200b"]


def dispatch_without_heads(cleaner: BoilerplateCleaner, line: str):
    """The dispatch as it was before the literal-head test: length, edge characters, needles."""
    if not line or len(line) > MAX_LINE_CHARS:
        return None
    folded = line.casefold()
    for kind, pattern, category, needles, _ in cleaner._candidates(len(line), line[0], line[-1]):
        if needles is not None:
            if isinstance(needles, str):
                needles = (needles,)
            if not any(needle in folded for needle in needles):
                continue
        if pattern.match(line):
            return kind, category
    return None


@st.composite
def near_miss_lines(draw):
    """Rule-matching lines with a few characters swapped for look-alikes, cut or extended."""
    line = draw(st.sampled_from([*BOILERPLATE_LINES, *LINE_SOURCES]))
    chars = list(line)
    for _ in range(draw(st.integers(0, 3))):
        if chars:
            pos = draw(st.integers(0, len(chars) - 1))
            chars[pos] = draw(st.sampled_from([*CONFUSABLE, chars[pos].upper(), chars[pos].lower(), " "]))
    text = "".join(chars)
    cut = draw(st.integers(0, len(text)))
    text = draw(st.sampled_from([text, text[:cut], text[cut:], text + draw(st.sampled_from([".", ")", " x", ":"]))]))
    return " ".join(text.split())


@settings(max_examples=400, deadline=None)
@given(line=st.one_of(near_miss_lines(), st.text(st.sampled_from([*CONFUSABLE, *"aeiksx /().:|"]), max_size=30)))
def test_head_test_matches_dispatch_without_it(line):
    line = " ".join(line.split())
    for text in (line, line.upper(), f"({line})"):
        assert CLEANER._classify(text) == dispatch_without_heads(CLEANER, text)


def test_head_test_matches_dispatch_without_it_on_corpus():
    for text in LINE_SOURCES + BOILERPLATE_LINES:
        text = " ".join(text.split())
        for variant in (text, text.upper(), text.lower()):
            assert CLEANER._classify(variant) == dispatch_without_heads(CLEANER, variant), variant


@given(st.sets(st.text("abc", max_size=4), max_size=30), st.booleans())
def test_drop_covered_equals_the_pairwise_definition(strings, reverse):
    covered = (lambda h, o: h.endswith(o)) if reverse else (lambda h, o: h.startswith(o))
    expected = tuple(sorted(h for h in strings if not any(o != h and covered(h, o) for o in strings)))
    assert _drop_covered(strings, reverse) == expected


def test_rule_alternatives_are_compiled_only_when_one_must_run():
    lazy = _LazyPattern("line", "advertisement")
    assert lazy.match("Advertisement") and lazy.match("advertisement here") is None
    assert isinstance(lazy.match.__self__, regex.Pattern)  # the second call went straight to it
    _compile.cache_clear()
    cleaner = BoilerplateCleaner()
    text = "Storm closes harbour\n\nThe harbour closed on Monday.\n\nAdvertisement\n\nShips waited offshore."
    assert cleaner.clean(text) == "Storm closes harbour\n\nThe harbour closed on Monday.\n\nShips waited offshore."
    lines = [line for line in text.split("\n") if line]
    candidates = {id(c[1]) for line in lines for c in cleaner._candidates(len(line), line[0], line[-1])}
    assert len(candidates) > 50  # alternatives that fit these lines' lengths and edges ...
    assert 1 <= _compile.cache_info().currsize <= 3  # ... of which only those for "Advertisement" ran


def test_character_classes_match_their_definition():
    """The fast loop in _character_classes against the definition in its docstring, spelled out."""
    import unicodedata

    def forms(char: str) -> str:
        return char.lower() + char.upper() + char.casefold() + char.title()

    chars = [chr(code) for code in range(0x80, 0x3000)]
    targets = {form for char in chars for form in forms(char) if form != char}
    safe = [c for c in chars if unicodedata.category(c) != "Cn" and not any(f.isascii() for f in forms(c))]
    kept = {c for c in safe if forms(c) == c * 4 and c not in targets}
    found_kept, unsafe = _character_classes()
    assert found_kept == kept
    safe_set = set(safe)
    assert all((unsafe.search(c) is None) == (c.isascii() or c in safe_set) for c in map(chr, range(0x3000)))


def test_heads_analysis():
    assert _heads("(?:the )?story") == ("story", "the story")
    assert _heads("(?:the )?story", end=True) == ("story\n", "the story\n")  # \n: the line's end
    photo = tuple(sorted(f"{p}{w}{s}:" for p in ("", "(") for w in ("image", "photo") for s in ("", "s")))
    assert _heads(r"\(?(?:photo|image)s?:") == photo
    assert _heads(r"(?:[0-9]{4} )?reuters") == tuple(sorted([*"0123456789", "reuters"]))
    assert _heads(r"\p{L}+ news") is None
    assert _heads("a|.b") is None
    assert _heads("(?:x )*y") == ("x ", "y")  # optional repeat: its own start or what follows
    assert _heads("\u212a ok") is None  # Kelvin sign: ASCII "k" matches it, so nothing is left
    assert _heads("lo m\u00e1s le\u00eddo") == ("lo m",)  # cut before a cased non-ASCII character
    assert _heads("\u2014 advertisement", end=True) == ("\u2014 advertisem",)  # a dash has no case: kept
    assert _heads("advertisement-and-more-text") == ("advertisemen",)
    assert _heads(r"\ball rights reserved\b[.!]?", reverse=True) == ("hts reserved", "ts reserved!", "ts reserved.")


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.one_of(st.sampled_from(WHITESPACE), st.sampled_from(["\n", "\n\n"]),
                               st.text(alphabet="ab.", min_size=1, max_size=4))).map("".join))
def test_normalising_check_is_exact(text):
    lines = text.split("\n")
    assert _needs_normalising(text) == any(" ".join(line.split()) != line for line in lines)


class _NoGate(BoilerplateCleaner):
    """The same cleaner without the document-level check: every document is scanned line by line."""

    def _quiet(self, text):
        return False


NO_GATE = _NoGate()
PROSE_LINES = [
    "The council voted 7-2 to approve the budget on Tuesday.",
    "Photographers waited outside the court (as they had all week).",
    "Panel backs new rail link",
    "Watchdog delays ruling on water prices",
    "April showers cost the city $2 million / year, officials said.",
    "By Hollis Okafor",
    "\u201cWe are not done,\u201d said Ren\u00e9e \u00d6lund \u2014 the mayor.",
    "\u00c1ngel Ib\u00e1\u00f1ez, who leads the union, declined to comment.",
]


@st.composite
def mixed_documents(draw):
    """Documents of rule-matching lines, near misses and prose, with odd whitespace and look-alikes."""
    parts = draw(st.lists(st.one_of(
        st.sampled_from(BOILERPLATE_LINES), near_miss_lines(), st.sampled_from(PROSE_LINES),
        st.sampled_from(LINE_SOURCES), st.just(""),
    ), max_size=14))
    lines = []
    for part in parts:
        if draw(st.booleans()):
            part = part.replace(" ", draw(st.sampled_from(WHITESPACE)))
        if draw(st.integers(0, 5)) == 0:
            part = draw(st.sampled_from(WHITESPACE)) + part + draw(st.sampled_from(["", *WHITESPACE]))
        if draw(st.integers(0, 5)) == 0:
            part = part.upper() if draw(st.booleans()) else part.lower()
        lines.append(part)
    return "\n".join(lines)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(mixed_documents(), dirty_news_text()))
def test_document_check_never_skips_a_document_the_scan_would_change(text):
    fast, slow = CLEANER.clean(text), NO_GATE.clean(text)
    assert fast == slow
    assert SLOW.clean(text) == slow
    if CLEANER._quiet(text):
        assert slow is text  # quiet: the line-by-line scan finds nothing either
    assert CLEANER.explain(text) == NO_GATE.explain(text)


def test_document_check_on_corpus_documents():
    for doc in DOCUMENTS:
        text = document_text(doc)
        indented = "\n".join(f"  {line}\t" for line in text.split("\n"))
        for variant in (text, text.upper(), text.replace(" ", "\u00a0"), indented):
            assert CLEANER.clean(variant) == NO_GATE.clean(variant) == SLOW.clean(variant)


def test_document_check_lets_real_work_through():
    # each kind of evidence the check looks for: a head, a tail, a needle, an unsafe character
    for text in (
        "Mayor unveils plan\n\nThe plan costs $40 million.\n\n  ADVERTISEMENT \nMore text here.",
        "Mayor unveils plan\nThe plan costs $40 million.\n\u00a9 2026 The Ledger.\tAll rights   reserved.",
        "Mayor unveils plan\nThe plan costs $40 million.\nHome | World | Politics | Business",
        "Mayor unveils plan\nThe plan costs $40 million.\n\u0130MAGE: JANE DOE/REUTERS",
    ):
        assert not CLEANER._quiet(text)
        assert CLEANER.clean(text) == SLOW.clean(text)
    assert CLEANER._quiet("Mayor unveils plan\n\nThe plan costs $40 million.")


_KEPT, _UNSAFE = _character_classes()


def test_whitespace_list_is_complete():
    assert set(_ODD_SPACE_OTHER) == {c for c in map(chr, range(128, 0x110000)) if c.isspace()}


def test_character_classes():
    # characters that case-insensitively match ASCII letters are unsafe; accents and dashes are not
    for char in "\u0130\u0131\u017f\u212a\u00df\u1e9e\ufb01\u0149\U0001d400":
        assert _UNSAFE.search(char), hex(ord(char))
    for char in "\u00e9\u00c9\u2014\u00b7\u00a0\u201c\u0141":
        assert not _UNSAFE.search(char), hex(ord(char))
    assert {"\u2014", "\u00b7", "\u00a9", "\u2022"} <= _KEPT
    assert not _KEPT & {"\u00e9", "\u03c3", "\u03c2", "\u212a"}
    # a kept character is matched by itself only (checked with the real engine on a sample)
    others = [chr(code) for code in range(0x80, 0x3000) if not _UNSAFE.search(chr(code))]
    for char in "\u2014\u00b7\u00a9\u2022\u00bb\u2019":
        assert [o for o in others if regex.match(regex.escape(char), o, regex.IGNORECASE | regex.VERSION1)] == [char]
    for char in "\u00e9\u2014\u0141\u00f8":
        for letter in "abcdefghijklmnopqrstuvwxyz":
            assert not regex.match(letter, char, regex.IGNORECASE | regex.VERSION1)
