"""The ``datelines`` cleaner."""

from __future__ import annotations

import regex

from newsclean import Cleaner, Option

__all__ = ["DatelineCleaner"]

_AGENCIES = r"AP|Reuters|AFP|UPI|Bloomberg|CNN|dpa|DPA|Xinhua|ANSA|EFE|Kyodo|PA|CP|TASS|Yonhap|NYT|WWD|Sputnik"
# A place written in capitals: up to four words of capital letters, dots,
# apostrophes and hyphens ("WASHINGTON", "NEW YORK", "ST. LOUIS", "PORT-AU-PRINCE").
_PLACE = r"\p{Lu}[\p{Lu}.'’\-]+(?: \p{Lu}[\p{Lu}.'’\-]+){0,3}"
# Optional region after a comma ("Mich.", "Ukraine", "Calif."), and optional date ("Nov. 3").
_REGION = r"(?:, \p{Lu}[\p{Ll}\p{Lu}.]{1,15}(?: \p{Lu}[\p{Ll}.]{1,15})?)?"
_DATE = r"(?:,? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2})?"
_DASH = r"(?:—|–|--|-)"


class DatelineCleaner(Cleaner):
    """Remove wire-service datelines at the start of a story.

    Changes: a dateline at the start of one of the first ``max_paragraphs``
    paragraphs — a place in capitals, optionally a region and a date, an
    agency in parentheses, then a dash — is removed, e.g.
    ``"WASHINGTON (AP) — The Senate voted..."`` → ``"The Senate voted..."``,
    ``"NEW YORK, Nov. 3 (Reuters) - Stocks rose"`` → ``"Stocks rose"``.
    Without an agency (``"KYIV, Ukraine — Russian forces..."``) the dateline
    is removed only when ``require_agency`` is false and the dash is an em or
    en dash, which is how newspapers set datelines.  A dateline repeated by a
    scraper (``"WASHINGTON (AP) — WASHINGTON (AP) — The Senate..."``) goes in
    one pass, so cleaning twice changes nothing more.

    Never touches: capitalised words later in a paragraph, paragraphs after
    the first few, acronyms followed by a hyphen inside a sentence
    (``"NATO-led forces"``), or a place that is not followed by a dash.
    """

    name = "datelines"
    description = "Remove wire-service datelines such as 'WASHINGTON (AP) — ' at the start of a story."
    default_enabled = False
    order = 750
    options = {
        "require_agency": Option(False, "only remove datelines that name a wire agency in parentheses"),
        "max_paragraphs": Option(3, "how many leading paragraphs may start with a dateline",
                                 check=lambda n: "must be at least 1" if n < 1 else None),
    }
    examples = (
        ("WASHINGTON (AP) — The Senate voted 52-48 on Tuesday.", "The Senate voted 52-48 on Tuesday."),
        ("NEW YORK, Nov. 3 (Reuters) - Stocks rose on Friday.", "Stocks rose on Friday."),
        ("KYIV, Ukraine — Air raid sirens sounded overnight.", "Air raid sirens sounded overnight."),
        ("The NATO summit — the first in two years — opened.", "The NATO summit — the first in two years — opened."),
    )
    require_agency: bool
    max_paragraphs: int

    def setup(self) -> None:
        with_agency = rf"{_PLACE}{_REGION}{_DATE} \((?:{_AGENCIES})\) {_DASH} "
        without_agency = rf"{_PLACE}{_REGION}{_DATE} [—–] "
        pattern = with_agency if self.require_agency else rf"(?:{with_agency}|{without_agency})"
        # Anchored at a paragraph start; a run of repeated datelines goes in one match (so a second
        # pass finds nothing); the atomic group keeps it linear.
        self.set_derived(
            "_dateline", regex.compile(rf"(?:\A|(?<=\n\n))(?>(?:{pattern})+)(?=\p{{Lu}}|\p{{N}}|[\"“‘'])")
        )

    def clean(self, text: str) -> str:
        if " — " not in text and " – " not in text and " - " not in text and " -- " not in text:
            return text
        limit = _paragraph_limit(text, self.max_paragraphs)
        head, tail = text[:limit], text[limit:]
        cleaned = self._dateline.sub("", head)  # type: ignore[attr-defined]
        return text if cleaned == head else cleaned + tail


def _paragraph_limit(text: str, paragraphs: int) -> int:
    """Offset of the end of the first line of paragraph number ``paragraphs`` (1-based)."""
    start = 0
    for _ in range(paragraphs - 1):
        found = text.find("\n\n", start)
        if found < 0:
            return len(text)
        start = found + 2
    end = text.find("\n", start)
    return len(text) if end < 0 else end
