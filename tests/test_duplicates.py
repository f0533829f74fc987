"""The duplicates cleaner: exact repeats of long lines and paragraphs within one document."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsclean import OptionError, Pipeline
from newsclean.cleaners.duplicates import DuplicatesCleaner
from newsclean.cleaners.whitespace import WhitespaceCleaner
from newsclean.testing import check_cleaner
from newsclean.testing.strategies import any_text, clean_sentence, dirty_news_text

d = DuplicatesCleaner()

PULL_QUOTE = "\u201cWe are not going to let this neighbourhood disappear,\u201d said Marta Ilic, who runs the bakery."
PARA_1 = "The city council voted 7-2 on Tuesday to rezone the riverside district for mixed housing."
PARA_2 = "Opponents say the plan will push rents higher for the families who have lived there for decades."
PARA_3 = PULL_QUOTE
PARA_4 = "A final vote on the budget for the project is expected in March, officials said."

_LONG = [PARA_1, PARA_2, PARA_3, PARA_4, "Photo: Daniel Okafor for the Riverside Courier newspaper"]
_SHORT = ["Photo", "Advertisement", "\u2014", "Getty Images", "What happens next?", "By Jane Roe", "", " "]
# Lines from a small pool (so repeats are frequent), with whitespace variants.
_line = st.one_of(
    st.sampled_from(_LONG + _SHORT),
    st.builds(lambda s, pre, post: pre + s + post, st.sampled_from(_LONG + _SHORT),
              st.sampled_from(["", " ", "\t", "  "]), st.sampled_from(["", " ", "\t", "\r", "  "])),
    st.sampled_from(_LONG).map(lambda s: s.replace(" ", "  ", 1)),
    st.text(max_size=6),
)
repetitive_doc = st.lists(_line, max_size=25).map("\n".join)


def _key(line: str) -> str:
    return re.sub(r"[ \t\f\v]{2,}|[\t\f\v]", " ", line).strip(" \t\r\f\v")


def _first_occurrences(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for line in text.split("\n"):
        if _key(line):
            seen.setdefault(_key(line), None)
    return list(seen)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # A pull quote repeated in the body (the scraper captured the pull-quote box as its own paragraph).
        (f"{PARA_1}\n\n{PULL_QUOTE}\n\n{PARA_2}\n\n{PULL_QUOTE}\n\n{PARA_4}",
         f"{PARA_1}\n\n{PULL_QUOTE}\n\n{PARA_2}\n\n{PARA_4}"),
        # A paragraph duplicated by a template, single line breaks between paragraphs.
        (f"{PARA_1}\n{PARA_2}\n{PARA_2}\n{PARA_4}", f"{PARA_1}\n{PARA_2}\n{PARA_4}"),
        # The whole body appended twice.
        (f"{PARA_1}\n\n{PARA_2}\n\n{PARA_1}\n\n{PARA_2}\n", f"{PARA_1}\n\n{PARA_2}\n"),
        # Surrounding whitespace and runs of spaces do not hide a repeat (the whitespace cleaner would remove them).
        (f"{PARA_1}\n\n  {PARA_1.replace(' ', '  ', 3)}\t\n\n{PARA_4}", f"{PARA_1}\n\n{PARA_4}"),
        # Repeated short lines stay; the repeated paragraph goes with the blank line before it.
        (f"Photo\n\n{PARA_1}\n\nAdvertisement\n\n{PARA_1}\n\nAdvertisement\n\nPhoto",
         f"Photo\n\n{PARA_1}\n\nAdvertisement\n\nAdvertisement\n\nPhoto"),
        # A hard-wrapped paragraph repeated: the short last line goes too.
        ("The council voted 7-2 on Tuesday to rezone\nthe riverside district for mixed housing\nin 2027.\n\n"
         "Opponents objected.\n\n"
         "The council voted 7-2 on Tuesday to rezone\nthe riverside district for mixed housing\nin 2027.",
         "The council voted 7-2 on Tuesday to rezone\nthe riverside district for mixed housing\nin 2027.\n\n"
         "Opponents objected."),
        # A caption repeated inside a paragraph of several lines.
        (f"{PARA_1}\nPhoto: Daniel Okafor for the Riverside Courier newspaper\n{PARA_2}\n"
         "Photo: Daniel Okafor for the Riverside Courier newspaper\nGetty Images",
         f"{PARA_1}\nPhoto: Daniel Okafor for the Riverside Courier newspaper\n{PARA_2}\nGetty Images"),
    ],
)
def test_examples(raw: str, expected: str) -> None:
    assert d.clean(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        f"{PARA_1}\n\nAdvertisement\n\n{PARA_2}\n\nAdvertisement\n\n{PARA_4}",
        "\u2014\n\u2014\nPhoto\nPhoto\nGetty Images\nGetty Images",
        "What happens next?\n\nThe council meets again in May.\n\nWhat happens next?\n\nNobody knows.",
        # Near repeats are not repeats: the quote is repeated with different attribution.
        f"{PULL_QUOTE}\n\n{PULL_QUOTE[:-1]}, according to the Courier.",
        # Case and non-ASCII spaces count.
        f"{PARA_1}\n\n{PARA_1.upper()}\n\n{PARA_1.replace(' ', chr(0xa0), 1)}",
        # The same short lines in two different paragraphs (a short-line block under min_length).
        "Q: Why?\nA: Costs.\n\nQ: Why?\nA: Costs.",
        # One line, and a single repeated word.
        PARA_1,
        "",
        "Yes.\nYes.\nYes.",
    ],
)
def test_hard_negatives_are_untouched(text: str) -> None:
    assert d.clean(text) is text


def test_paragraph_left_after_removing_a_repeated_line_is_checked_again() -> None:
    # The second paragraph loses its repeated first line; what is left repeats the first paragraph's short lines,
    # so it goes as well (otherwise a second run would remove it and the cleaner would not be idempotent).
    c = DuplicatesCleaner(min_length=7)
    text = f"{PARA_1}\n\nPhoto\n\u2014\n\n{PARA_1}\nPhoto\n\u2014"
    assert c.clean(text) == f"{PARA_1}\n\nPhoto\n\u2014"


def test_min_length_option() -> None:
    text = "Markets closed lower on Friday.\n\nMarkets closed lower on Friday."
    assert d.clean(text) == text  # 31 characters: under the default
    assert DuplicatesCleaner(min_length=20).clean(text) == "Markets closed lower on Friday."
    assert DuplicatesCleaner(min_length=1).clean("Photo\nPhoto\n\u2014\n\u2014") == "Photo\n\u2014"
    assert DuplicatesCleaner(min_length=200).clean(f"{PARA_1}\n{PARA_1}") == f"{PARA_1}\n{PARA_1}"


def test_option_validation() -> None:
    with pytest.raises(OptionError, match="must be 1 or more"):
        DuplicatesCleaner(min_length=0)
    with pytest.raises(OptionError, match="expects int"):
        DuplicatesCleaner(min_length="long")
    with pytest.raises(OptionError, match="expects int"):
        DuplicatesCleaner(min_length=True)
    with pytest.raises(OptionError, match="unknown option 'min_len'"):
        DuplicatesCleaner(min_len=10)
    assert DuplicatesCleaner(min_length="25").min_length == 25


def test_runs_in_a_pipeline() -> None:
    assert Pipeline([DuplicatesCleaner()]).clean(f"{PARA_1}\n\n{PARA_1}") == PARA_1


OPTION_SETS = [{}, {"min_length": 1}, {"min_length": 10}, {"min_length": 500}]


@pytest.mark.parametrize("options", OPTION_SETS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
def test_conformance(options: dict[str, int]) -> None:
    check_cleaner(DuplicatesCleaner(**options), max_examples=150)


small = DuplicatesCleaner(min_length=5)
cleaners = st.sampled_from([d, small, DuplicatesCleaner(min_length=1)])


@settings(max_examples=300)
@given(text=repetitive_doc | dirty_news_text() | any_text(), c=cleaners)
@example(text=f"{PARA_1}\n\nPhoto\n\u2014\n\n{PARA_1}\nPhoto\n\u2014", c=DuplicatesCleaner(min_length=7))
def test_idempotent_on_repetitive_docs(text: str, c: DuplicatesCleaner) -> None:
    once = c.clean(text)
    assert c.clean(once) == once


@settings(max_examples=300)
@given(text=repetitive_doc | dirty_news_text() | any_text(), c=cleaners)
@example(text=f"{PARA_1}\n\n  {PARA_1}", c=d)
@example(text=f"{PARA_1}\n{PARA_1.replace(' ', chr(9), 1)}", c=d)
def test_fast_path_equals_slow_path(text: str, c: DuplicatesCleaner) -> None:
    lines = text.split("\n")
    keys = [_key(line) for line in lines]
    assert c.clean(text) == c._dedupe(text, lines, keys)


@settings(max_examples=300)
@given(text=repetitive_doc | dirty_news_text(), c=cleaners)
def test_keeps_one_copy_of_everything_and_every_single_line(text: str, c: DuplicatesCleaner) -> None:
    result = c.clean(text)
    # Every distinct line survives (so nothing that occurs once is lost); the copy kept is the one in the
    # article's main run, so the order of first occurrences may change.
    assert set(_first_occurrences(result)) == set(_first_occurrences(text))
    # Lines are only removed, never changed or reordered: the output lines are a subsequence of the input lines.
    remaining = iter(text.split("\n"))
    assert all(any(line == old for old in remaining) for line in result.split("\n"))


@settings(max_examples=300)
@given(text=repetitive_doc, c=cleaners)
def test_no_long_repeat_and_no_new_blank_lines(text: str, c: DuplicatesCleaner) -> None:
    result = c.clean(text)
    keys = [_key(line) for line in result.split("\n")]
    long_keys = [k for k in keys if len(k) >= c.min_length]
    assert len(long_keys) == len(set(long_keys))

    def longest_blank_run(s: str) -> int:
        runs = re.findall(r"(?:^[ \t\r\f\v]*(?:\n|$))+", s, re.M)
        return max((r.count("\n") for r in runs), default=0)

    assert longest_blank_run(result) <= longest_blank_run(text)


@settings(max_examples=200)
@given(sentences=st.lists(clean_sentence(), min_size=1, max_size=6, unique=True), sep=st.sampled_from(["\n", "\n\n"]))
def test_article_printed_twice_is_printed_once(sentences: list[str], sep: str) -> None:
    long = [s for s in sentences if len(s) >= 40]
    article = sep.join(long)
    if long:
        assert d.clean(article + sep + article) == article


@settings(max_examples=200)
@given(text=repetitive_doc)
def test_idempotent_together_with_the_whitespace_cleaner(text: str) -> None:
    pipeline = Pipeline([DuplicatesCleaner(), WhitespaceCleaner()])
    once = pipeline.clean(text)
    assert pipeline.clean(once) == once


def test_unchanged_text_is_returned_as_is() -> None:
    text = f"{PARA_1}\n\n{PARA_2}\n\nPhoto\n\nPhoto"
    assert d.clean(text) is text
    assert d._dedupe(text, text.split("\n"), [_key(x) for x in text.split("\n")]) is text


def test_linear_on_many_lines() -> None:
    lines = [f"Paragraph number {i} of a very long scraped page, repeated twice." for i in range(20_000)]
    text = "\n".join(lines + lines)
    assert d.clean(text) == "\n".join(lines)


# -- which copy is kept: the one in the article's main run -----------------------------------------

ARTICLE = [
    "Harbour officials closed the northern quay on Monday after inspectors found cracks in the sea wall.",
    "Repairs are expected to take six weeks and will cost the port authority about four million pounds.",
    "Fishing crews that use the quay will be moved to the southern basin until the work is finished.",
    "The authority said it had brought forward a survey of the older walls along the estuary as well.",
]


def test_teaser_above_the_article_loses_its_copy_and_the_article_keeps_its_own():
    teaser = ARTICLE[1]
    text = "\n\n".join(["Highlights", teaser, "Sea wall cracks close quay", *ARTICLE])
    out = d.clean(text)
    assert out == "\n\n".join(["Highlights", "Sea wall cracks close quay", *ARTICLE])
    assert d.clean(out) == out


def test_interview_question_asked_of_each_person_stays():
    question = "What first drew you to working on the water here?"
    answers = [
        "I grew up two streets from the harbour and my father worked the boats for thirty years.",
        "Honestly it was the pay at first, but after a winter on the trawlers I could not leave.",
        "My aunt ran the chandlery, so I spent every summer holiday sorting rope and tackle.",
    ]
    text = "\n\n".join([ARTICLE[0], question, answers[0], question, answers[1], question, answers[2]])
    assert d.clean(text) == text


def test_repeated_question_outside_the_article_still_goes():
    question = "What first drew you to working on the water here?"
    text = "\n\n".join([*ARTICLE, "Comments", question, "Reply", question])
    assert d.clean(text) == "\n\n".join([*ARTICLE, "Comments", question, "Reply"])


def test_article_printed_twice_keeps_its_first_printing_in_order():
    article = "\n".join(ARTICLE)
    assert d.clean(article + "\n" + article) == article
    assert d.clean(article + "\n\n" + article) == article


def _apply(text: str, changes: list) -> str:
    out, pos = [], 0
    for change in changes:
        assert change.start >= pos and text[change.start : change.start + len(change.removed)] == change.removed
        out.append(text[pos : change.start] + change.inserted)
        pos = change.start + len(change.removed)
    return "".join(out) + text[pos:]


@settings(max_examples=300)
@given(text=repetitive_doc | dirty_news_text(), c=cleaners)
def test_explain_reports_exact_removals(text: str, c: DuplicatesCleaner) -> None:
    result, changes = c.explain(text)
    assert result == c.clean(text)
    assert _apply(text, changes) == result
    assert all(change.removed and change.category == "duplicate" for change in changes)


def test_explain_names_the_copy_it_removed():
    teaser = ARTICLE[1]
    text = "\n\n".join(["Highlights", teaser, "Sea wall cracks close quay", *ARTICLE])
    _, changes = d.explain(text)
    assert len(changes) == 1
    assert changes[0].start == text.index(teaser) - 2  # the teaser with the blank line before it
    assert changes[0].removed == "\n\n" + teaser
