"""Tests of the boilerplate cleaner and the built-in rule packs.

The labelled corpus in ``tests/cases/boilerplate/corpus.json`` is our own,
fictional page text (menus, related blocks, share bars, captions, credits,
cookie banners, comment widgets and footers mixed into articles, plus hard
negatives).  Targets from the spec: keep >= 99% of article lines, drop >= 90%
of boilerplate lines.
"""

from __future__ import annotations

import itertools
import json
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.cleaner import Change
from newsclean.cleaners.boilerplate import BoilerplateCleaner
from newsclean.diffing import kept_lines
from newsclean.errors import ConfigError, OptionError
from newsclean.pipeline import Pipeline
from newsclean.plugins import load_registry
from newsclean.rules import PREFIX_MAX_CHARS, Rule, builtin_rules, rules_from_data
from newsclean.testing import check_cleaner
from newsclean.testing.strategies import clean_sentence, dirty_news_text

CASES = Path(__file__).parent / "cases" / "boilerplate"
# corpus.json was written together with the rules; heldout.json and heldout2.json were written
# afterwards and first scored before any rule was changed for them (see the benchmark's notes).
DOCUMENTS = [
    doc for name in ("corpus.json", "heldout.json", "heldout2.json")
    for doc in json.loads((CASES / name).read_text(encoding="utf-8"))["documents"]
]
CLEANER = BoilerplateCleaner()
#: the rules alone (no model): the rule layer's own behaviour, exactly
RULES = BoilerplateCleaner(mode="rules")


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
    # one change per stretch removed for one reason: the rule (pack#number) or the block it went with
    assert [(c.category, c.rule) for c in changes] == [
        ("navigation", "en.toml#6"), ("navigation", "en.toml#9"), ("advertisement", "en.toml#1"),
        ("related-block", "en.toml#25"), ("related-block", "block"), ("newsletter", "en.toml#10"),
    ]
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
    cleaner = BoilerplateCleaner(mode="rules", exclude_categories=("advertisement",))
    assert cleaner.clean(text) == "Body text.\n\nAdvertisement"
    only = BoilerplateCleaner(mode="rules", categories=["newsletter"])
    assert only.clean(text) == "Body text.\n\nAdvertisement"
    assert BoilerplateCleaner(mode="rules", exclude_categories="advertisement,newsletter").clean(text) == text


def test_excluding_navigation_disables_the_top_menu():
    text = "Home\nWorld\nPolitics\nHeadline here\n\nBody."
    assert BoilerplateCleaner(mode="rules", exclude_categories=("navigation",)).clean(text) == text


def test_blocks_option():
    text = "Body.\n\nRelated\nA linked headline\nAnother linked headline\n\nShare\nFacebook\nTwitter\n\nEnd."
    assert RULES.clean(text) == "Body.\n\nEnd."
    no_blocks = BoilerplateCleaner(mode="rules", blocks=False)
    # headings and strong lines still go, link titles and weak items stay
    assert no_blocks.clean(text) == "Body.\n\nA linked headline\nAnother linked headline\n\nFacebook\nTwitter\n\nEnd."


def test_max_block_lines():
    links = "\n".join(f"Linked headline number {n}" for n in range(5))
    text = f"Body.\n\nRelated\n{links}\n\nEnd."
    cleaner = BoilerplateCleaner(mode="rules", max_block_lines=2)
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
    assert BoilerplateCleaner(mode="rules", rules=rules, languages=("en",)).clean(text) == "Text.\n\nAnzeige"
    # 'auto' (the default): English and the pack of the document's language; this text reads as English
    assert BoilerplateCleaner(mode="rules", rules=rules).clean(text) == "Text.\n\nAnzeige"
    german = "Die Stadt teilte mit, dass die Brücke gesperrt wird.\n\nAnzeige\n\nAdvertisement"
    assert BoilerplateCleaner(mode="rules", rules=rules).clean(german) == german.split("\n")[0]
    assert BoilerplateCleaner(mode="rules", rules=rules, languages=("de",)).clean(text) == "Text.\n\nAdvertisement"
    assert BoilerplateCleaner(mode="rules", rules=rules, languages=("en", "de")).clean(text) == "Text."
    assert BoilerplateCleaner(mode="rules", rules=rules, languages=("*",)).clean(text) == "Text."


# -- plugin rules --------------------------------------------------------------------------


def test_plugin_rules_through_build():
    extra = Rule(r"watch the ledger live(?: now)?", category="video", source="test")
    rules = [*builtin_rules(), extra]
    cleaner = BoilerplateCleaner.build({"mode": "rules", "exclude_categories": ["advertisement"]}, rules)
    text = "Body.\n\nWatch the Ledger live now\n\nAdvertisement"
    assert cleaner.clean(text) == "Body.\n\nAdvertisement"
    assert extra in cleaner.rules
    _, changes = cleaner.explain(text)
    assert [c.category for c in changes] == ["video"]
    # picklable with its plugin rules, and not equal to the built-in-only cleaner
    copy = pickle.loads(pickle.dumps(cleaner))
    assert copy == cleaner and copy.clean(text) == cleaner.clean(text)
    assert BoilerplateCleaner(mode="rules", exclude_categories=["advertisement"]) != cleaner


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
    cleaner = BoilerplateCleaner(mode="rules", rules=rules)
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


@st.composite
def distinct_prose(draw: st.DrawFn) -> str:
    """Paragraphs of clean news sentences, no sentence twice in the document (a paragraph made of
    sentences found elsewhere in the page is what a hidden copy of the article looks like)."""
    sentences = draw(st.lists(clean_sentence(), min_size=1, max_size=14, unique=True))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(sentences) - 1)), max_size=4)))
    edges = [0, *[c for c in cuts if c < len(sentences)], len(sentences)]
    return "\n\n".join(" ".join(sentences[a:b]) for a, b in itertools.pairwise(edges) if b > a)


@settings(max_examples=150, deadline=None)
@given(prose=distinct_prose(), junk=st.lists(st.sampled_from(BOILERPLATE_LINES), max_size=12), data=st.data())
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
    cleaner = BoilerplateCleaner(mode="rules", languages=(language,))
    assert cleaner.clean(text) == expected
    assert cleaner.clean(expected) == expected
    # the default cleaner picks the pack by the document's language
    assert RULES.clean(text) == expected
    # an English-only cleaner does not apply them
    assert BoilerplateCleaner(mode="rules", languages=("en",)).clean(text) != expected


def test_language_packs_are_shipped():
    assert {rule.language for rule in builtin_rules()} >= {"en", "de", "fr", "es"}
    check_cleaner(BoilerplateCleaner(languages=("de", "fr", "es")), max_examples=30)




# -- the model: pages no rule was written for, in several languages and scripts ----------------------

PAGES = json.loads((CASES / "pages.json").read_text(encoding="utf-8"))["pages"]


def page_text(page: dict, indent: bool = False) -> str:
    """The page as one block per line; ``indent``: as a layout-aware converter writes it, with
    menu items as indented bullets and the body indented."""
    if not indent:
        return "\n".join(text for _, text in page["lines"])
    return "\n".join(("    " + text) if label != "furniture" else f"  * {text}" for label, text in page["lines"])


def page_verdicts(cleaner: BoilerplateCleaner, page: dict, indent: bool = False) -> dict[str, list[bool]]:
    text = page_text(page, indent)
    flags = kept_lines(text.split("\n"), cleaner.clean(text))
    verdicts: dict[str, list[bool]] = {"article": [], "headline": [], "furniture": []}
    for (label, _), kept in zip(page["lines"], flags, strict=True):
        verdicts[label].append(kept)
    return verdicts


@pytest.mark.parametrize("mode", ["conservative", "balanced", "aggressive"])
@pytest.mark.parametrize("indent", [False, True], ids=["dump", "indented"])
@pytest.mark.parametrize("page", PAGES, ids=[p["name"] for p in PAGES])
def test_pages_keep_the_article_and_headline(page, indent, mode):
    """On pages of seven languages and three scripts that no rule or training page was written
    for, every operating point keeps every article line and the headline."""
    cleaner = BoilerplateCleaner(mode=mode)
    verdicts = page_verdicts(cleaner, page, indent)
    assert all(verdicts["article"]), "an article line was dropped"
    assert all(verdicts["headline"]), "the headline was dropped"
    text = page_text(page, indent)
    once = cleaner.clean(text)
    assert cleaner.clean(once) == once
    result, changes = cleaner.explain(text)
    assert result == once
    assert_changes_rebuild(text, result, changes)


@pytest.mark.parametrize("indent", [False, True], ids=["dump", "indented"])
@pytest.mark.parametrize("page", PAGES, ids=[p["name"] for p in PAGES])
def test_pages_lose_their_furniture_in_every_language(page, indent):
    """The aggressive operating point drops (nearly) all the furniture of these short pages; the
    conservative default drops less on short pages (it was tuned to keep 99% of article lines on
    long real pages) but at least the English page's menus and footers."""
    dropped = page_verdicts(BoilerplateCleaner(mode="aggressive"), page, indent)["furniture"].count(False)
    assert dropped >= 0.9 * sum(1 for label, _ in page["lines"] if label == "furniture")
    if page["language"] == "en" and not indent:
        verdicts = page_verdicts(CLEANER, page, indent)
        assert verdicts["furniture"].count(False) >= 0.75 * len(verdicts["furniture"])


@pytest.mark.parametrize("page", PAGES, ids=[p["name"] for p in PAGES])
def test_operating_points_are_ordered(page):
    """aggressive drops at least what balanced drops, which drops at least what conservative drops;
    the rules alone drop least (they name only what rules know)."""
    dropped = {}
    for mode in ("rules", "conservative", "balanced", "aggressive"):
        verdicts = page_verdicts(BoilerplateCleaner(mode=mode), page)
        dropped[mode] = verdicts["furniture"].count(False)
        assert all(verdicts["headline"]), mode
    assert dropped["rules"] <= dropped["conservative"] <= dropped["balanced"] <= dropped["aggressive"]


def test_explain_gives_the_model_its_score_and_features():
    page = PAGES[0]
    text = page_text(page)
    _, changes = BoilerplateCleaner(mode="aggressive").explain(text)
    by_model = [c for c in changes if c.rule == "model"]
    assert by_model, "the model removed nothing on its own"
    for change in by_model:
        assert change.category == "model"
        assert change.score is not None and 0.5 <= change.score <= 1.0
        assert change.detail and "=" in change.detail
    by_rule = [c for c in changes if c.rule != "model"]
    assert all(c.score is None and c.category != "model" for c in by_rule)
    assert any(c.rule.startswith("en.toml#") for c in by_rule)


def test_headline_and_byline_options():
    page = PAGES[0]
    text = page_text(page)
    lines = text.split("\n")
    headline = next(t for label, t in page["lines"] if label == "headline")
    byline, dateline = "By Imogen Tull", "14 March 2025, 08:12 GMT"
    aggressive = BoilerplateCleaner(mode="aggressive")
    out = aggressive.clean(text).split("\n")
    assert headline in out and byline not in out and dateline not in out
    with_byline = BoilerplateCleaner(mode="aggressive", keep_byline=True).clean(text).split("\n")
    assert headline in with_byline and byline in with_byline and dateline in with_byline
    without = BoilerplateCleaner(mode="aggressive", keep_headline=False).clean(text).split("\n")
    assert headline not in without
    assert set(without) <= set(lines)


@pytest.mark.parametrize(
    "text",
    [
        "The council voted on Tuesday to close the northern quay for six weeks of repairs.",
        "Harbour wall cracks force closure\n\nThe council voted on Tuesday to close the northern quay for repairs.",
        # extractor output: headline, sub-heading, paragraphs
        "Quay closed for repairs\n\nThe council voted on Tuesday to close the northern quay for six weeks.\n\n"
        "What happens next\n\nFishing crews will move to the southern basin until the work is done, officials said.",
    ],
)
def test_short_and_clean_texts_come_through_untouched(text):
    assert CLEANER.clean(text) is text


@st.composite
def all_prose(draw: st.DrawFn) -> str:
    """A document every non-blank line of which is a sentence of eight words or more."""
    sentences = draw(st.lists(clean_sentence(), min_size=1, max_size=12, unique=True))
    lines = [s for s in sentences if len(s.split()) >= 8]
    seps = draw(st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n"]), min_size=len(lines), max_size=len(lines)))
    return "".join(line + sep for line, sep in zip(lines, seps, strict=True)).strip("\n")


@settings(max_examples=200, deadline=None)
@given(text=all_prose(), mode=st.sampled_from(("conservative", "balanced", "aggressive")))
def test_never_drops_a_line_of_a_document_that_is_all_prose(text, mode):
    assert BoilerplateCleaner(mode=mode).clean(text) == text


def test_modes_and_bias_are_validated():
    with pytest.raises(OptionError, match="must be one of"):
        BoilerplateCleaner(mode="reckless")
    with pytest.raises(OptionError, match="float"):
        BoilerplateCleaner(bias="lots")
    with pytest.raises(OptionError, match="'auto' cannot be combined"):
        BoilerplateCleaner(languages=("auto", "en"))
    assert BoilerplateCleaner(bias="1.5").bias == 1.5


def test_bias_shifts_the_operating_point():
    text = page_text(PAGES[0])
    kept = [len(BoilerplateCleaner(bias=b).clean(text).split("\n")) for b in (-4.0, 0.0, 4.0)]
    assert kept[0] <= kept[1] <= kept[2]


def test_a_pickled_cleaner_cleans_the_same():
    text = page_text(PAGES[1])
    copy = pickle.loads(pickle.dumps(CLEANER))
    assert copy.clean(text) == CLEANER.clean(text)
