"""The truncation cleaner: API character-count markers, bracketed ellipses and trailing "Read more" stubs."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsclean import OptionError, Pipeline
from newsclean.cleaners.truncation import TruncationCleaner
from newsclean.testing import check_cleaner
from newsclean.testing.strategies import any_text, clean_prose, clean_sentence, dirty_news_text

t = TruncationCleaner()

# Realistic pieces around the things this cleaner removes, to reach its branches quickly.
_PIECES = [
    "The council approved the plan.", "the senator said", "\u2026", "...", " ", "  ", "\t", "\n", "\n\n", "\r\n",
    " [+2001 chars]", "[+15 chars]", "[1 char]", "[\u2026]", "[...]", "Read more", "read more", "Continue reading",
    "Keep reading", "Read the full story", "(", ")", "[", "]", "\u00bb", "\u2192", ">>", ".", "!", "\u201d", "'",
    "Click here to read more", "Lire la suite", "about the plan", "x", "\u00a0", "\u2028",
]
truncated_news = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # NewsAPI and GNews content fields.
        ("Lawmakers in Salem passed the budget late on Friday, the senator said\u2026 [+2001 chars]",
         "Lawmakers in Salem passed the budget late on Friday, the senator said\u2026"),
        ("The storm knocked out power to 40,000 homes across the county... [1873 chars]",
         "The storm knocked out power to 40,000 homes across the county..."),
        ("Rep. Ann Lee\u2026 [+1873 chars]", "Rep. Ann Lee\u2026"),
        ("Title of the story\nThe mayor said the road would reopen\u2026 [+311 chars]\n",
         "Title of the story\nThe mayor said the road would reopen\u2026\n"),
        ("First record ends here\u2026 [+120 chars]\nSecond record ends here\u2026 [+98 chars]",
         "First record ends here\u2026\nSecond record ends here\u2026"),
        ("Singular marker\u2026 [+1 char]", "Singular marker\u2026"),
        # WordPress / RSS excerpts.
        ("The city will open three new cooling centres this week [&hellip;]".replace("&hellip;", "\u2026"),
         "The city will open three new cooling centres this week"),
        ("The city will open three new cooling centres this week [...]",
         "The city will open three new cooling centres this week"),
        ("Officials expect the bridge to reopen in May.\n\n[\u2026]", "Officials expect the bridge to reopen in May."),
        # Stubs at the very end.
        ("Talks will resume on Monday.\n\nContinue reading\u2026", "Talks will resume on Monday."),
        ("Talks will resume on Monday. Continue reading...", "Talks will resume on Monday."),
        ("Talks will resume on Monday.\nREAD MORE \u00bb", "Talks will resume on Monday."),
        ("Talks will resume on Monday. Read More \u2192", "Talks will resume on Monday."),
        ("Talks will resume on Monday. Read more >>", "Talks will resume on Monday."),
        ("Talks will resume on Monday.\nRead the full story.\n", "Talks will resume on Monday.\n"),
        ("\u201cWe are ready,\u201d she said. (Continue reading)", "\u201cWe are ready,\u201d she said."),
        ("The vote was 52-48! [Read more]", "The vote was 52-48!"),
        ("Is the deal dead? Keep reading", "Is the deal dead?"),
        ("The vote is on Friday\u2026 Read more", "The vote is on Friday\u2026"),
        ("The vote is on Friday\u2026Read more", "The vote is on Friday\u2026"),
        ("The vote is on Friday...Read the rest of this story", "The vote is on Friday..."),
        ("The vote is on Friday.\nClick here to read more\n\n", "The vote is on Friday.\n\n"),
        # Several at the end, in any order.
        ("The vote is on Friday. Read more\u2026 [+120 chars]", "The vote is on Friday."),
        ("The vote is on Friday.\nRead more\n[\u2026]", "The vote is on Friday."),
        ("The vote is on Friday. Read more. Read more.", "The vote is on Friday. Read more. Read more."),
        ("The vote is on Friday.\nRead more.\nRead more.", "The vote is on Friday."),
        # Only a stub: nothing is left.
        ("Read more", ""),
    ],
)
def test_examples(raw: str, expected: str) -> None:
    assert t.clean(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Read more about the plan in our report.",
        "The senator urged voters to read more about the measure.",
        "She urged voters to keep reading.",
        "The councillor said he would keep reading",
        "He paused. Keep reading.",  # an imperative sentence with a full stop after a sentence stays
        "Residents should read more",
        "The word spread more quickly than expected. Continue reading the report, she urged.",
        "Continue reading\n\nThe mayor said the vote would go ahead on Friday.",
        "Read more:\nThe mayor said the vote would go ahead on Friday.",
        "\u201cWe will [\u2026] fight for every job,\u201d the minister said.",
        "\u201cWe will [...] fight for every job.\u201d",
        "First excerpt of the interview.\n\n[\u2026]\n\nSecond excerpt of the interview.",
        "He described the [\u2026] as unhelpful.",
        "The filing was 2,400 words [+15 chars] long.",
        "The tweet said [+15 chars] and nothing else.",
        "A bracket [at the end]",
        "The page said [more chars]",
        "Read more.\nThe mayor said the vote would go ahead.",
        "He wrote: Read more",
        "What is more, readers were told to read more.",
        # Glued to a full stop without a space: could be a file name or web address such as notes.Read more.
        "The minutes were saved as council.Read more",
    ],
)
def test_hard_negatives_are_untouched(text: str) -> None:
    assert t.clean(text) is text


def test_document_trailing_whitespace_is_kept() -> None:
    assert t.clean("The vote is on Friday.\u2026 [+9 chars]  \n") == "The vote is on Friday.\u2026  \n"
    assert t.clean("The vote is on Friday.\n\nRead more\n\n") == "The vote is on Friday.\n\n"


def test_bracketed_ellipsis_option() -> None:
    off = TruncationCleaner(bracketed_ellipsis=False)
    text = "The city will open three new cooling centres this week [\u2026]"
    assert off.clean(text) == text
    assert off.clean("Centres open this week\u2026 [+40 chars]") == "Centres open this week\u2026"


def test_stubs_option() -> None:
    off = TruncationCleaner(stubs=False)
    text = "Talks will resume on Monday.\n\nContinue reading\u2026"
    assert off.clean(text) == text
    assert off.clean("Talks resume\u2026 [+40 chars]") == "Talks resume\u2026"


def test_extra_stubs_option() -> None:
    fr = TruncationCleaner(extra_stubs=("Lire la suite", "Weiterlesen"))
    assert fr.clean("Le conseil a vot\u00e9 le budget.\nLire  la suite \u00bb") == "Le conseil a vot\u00e9 le budget."
    assert fr.clean("Der Rat hat abgestimmt. WEITERLESEN") == "Der Rat hat abgestimmt."
    assert fr.clean("Il faut lire la suite du rapport.") == "Il faut lire la suite du rapport."
    french = "Le conseil a vot\u00e9 le budget.\nLire la suite"
    assert t.clean(french) == french
    assert TruncationCleaner(extra_stubs="Lire la suite, Weiterlesen").extra_stubs == ("Lire la suite", "Weiterlesen")


def test_option_validation() -> None:
    with pytest.raises(OptionError, match="expects bool"):
        TruncationCleaner(stubs="sometimes")
    with pytest.raises(OptionError, match="non-empty"):
        TruncationCleaner(extra_stubs=["Read on", "  "])
    with pytest.raises(OptionError, match="one line"):
        TruncationCleaner(extra_stubs=["Read\non"])
    with pytest.raises(OptionError, match="one line"):
        TruncationCleaner(extra_stubs=["x" * 81])
    with pytest.raises(OptionError, match="must contain a letter"):
        TruncationCleaner(extra_stubs=[">>>"])
    with pytest.raises(OptionError, match="non-empty strings"):
        TruncationCleaner(extra_stubs=[1])
    with pytest.raises(OptionError, match="expects tuple"):
        TruncationCleaner(extra_stubs=5)
    with pytest.raises(OptionError, match="unknown option 'stub'"):
        TruncationCleaner(stub=False)


def test_runs_in_a_pipeline() -> None:
    assert Pipeline([TruncationCleaner()]).clean("Talks resume\u2026 [+40 chars]") == "Talks resume\u2026"


OPTION_SETS = [
    {},
    {"bracketed_ellipsis": False},
    {"stubs": False},
    {"extra_stubs": ("Lire la suite", "Read on")},
    {"stubs": False, "bracketed_ellipsis": False},
]


@pytest.mark.parametrize("options", OPTION_SETS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
def test_conformance(options: dict[str, object]) -> None:
    check_cleaner(TruncationCleaner(**options), max_examples=150)


@settings(max_examples=300)
@given(text=any_text() | dirty_news_text() | truncated_news)
def test_idempotent_on_truncated_news(text: str) -> None:
    for c in (t, TruncationCleaner(extra_stubs=("Lire la suite",))):
        once = c.clean(text)
        assert c.clean(once) == once


@settings(max_examples=300)
@given(text=any_text() | dirty_news_text() | truncated_news)
@example(text="First record\u2026 [+1 char]\nSecond record")
@example(text="First record\u2026 [12 chars]\t\r\nSecond record")
@example(text="Talks resume. Continue readıng")  # dotless i matches "i" under IGNORECASE but does not case-fold to it
@example(text="Talks resume. KEEP READİNG")
@example(text="Talks resume. Read more    \u00bb.")
@example(text="Talks resume. Read more     \u00bb")
@example(text="Talks resume.\nLire la suite\u2026")
@example(text="Talks resume.\nWeiterleſen")
@example(text="Talks resume.\nWeiterlesen")
@example(text="Talks resume.\n(Read the full article)    ....")
def test_fast_path_equals_slow_path(text: str) -> None:
    for c in (t, TruncationCleaner(bracketed_ellipsis=False), TruncationCleaner(stubs=False),
              TruncationCleaner(extra_stubs=("Lire la suite",)),
              TruncationCleaner(extra_stubs=("Weiterlesen", "Seguir leyendo")),
              TruncationCleaner(extra_stubs=("Weiterle\u017fen",))):  # non-ASCII stub: no pre-check
        assert c.clean(text) == c._clean(text, fast=False)


@settings(max_examples=200)
@given(text=truncated_news | dirty_news_text())
def test_only_cuts_line_ends(text: str) -> None:
    """Each kept line, up to its trailing whitespace, is a prefix of its input line: nothing is inserted or
    reordered, and only the ends of lines and whole lines at the end of the text go."""
    result = t.clean(text)
    assert len(result) <= len(text)
    kept = result.split("\n")
    original = text.split("\n")
    assert len(kept) <= len(original)
    for new, old in zip(kept, original, strict=False):
        assert old.startswith(new.rstrip())


@settings(max_examples=100)
@given(prose=clean_prose(), stub=st.sampled_from(["Read more", "Continue reading\u2026", "Keep reading \u00bb"]),
       sep=st.sampled_from(["\n", "\n\n", " "]))
def test_stub_after_clean_prose_is_removed_and_prose_kept(prose: str, stub: str, sep: str) -> None:
    assert t.clean(prose + sep + stub) == prose


@settings(max_examples=100)
@given(sentence=clean_sentence(), chars=st.integers(1, 99999))
def test_newsapi_marker_after_any_sentence(sentence: str, chars: int) -> None:
    assert t.clean(f"{sentence[:-1]}\u2026 [+{chars} chars]") == f"{sentence[:-1]}\u2026"


def test_linear_on_adversarial_input() -> None:
    # Long runs of what the patterns look for, without a match; must finish quickly (no backtracking blow-up).
    for text in ["[+1 chars]" + " " * 200_000 + "x", "[+" * 100_000, "Read more " * 50_000 + "x",
                 "[+1 chars]\t" * 50_000 + "x", "." + " " * 200_000 + "Read more"]:
        assert isinstance(t.clean(text), str)
