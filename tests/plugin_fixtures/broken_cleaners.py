"""Deliberately broken cleaners: the conformance kit (newsclean.testing) must reject each one.

Each class breaks exactly one promise a cleaner makes; ``BROKEN`` maps it to
the property name the kit's message must carry.
"""

from __future__ import annotations

import threading

import regex

from newsclean import Cleaner


class Shrinks(Cleaner):
    """Not idempotent: ``"aa"`` → ``"a"``, so ``"aaaa"`` → ``"aa"`` → ``"a"`` (no examples to help the kit)."""

    name = "shrinks"
    description = "Halve runs of 'a'."

    def clean(self, text: str) -> str:
        return text.replace("aa", "a")


class OneDatelinePerPass(Cleaner):
    """Not idempotent the way the datelines plugin was: one of two repeated datelines goes per pass."""

    name = "onedateline"
    description = "Remove one leading dateline."
    examples = (("WASHINGTON (AP) — The Senate voted.", "The Senate voted."),)

    def setup(self) -> None:
        self.set_derived("_dateline", regex.compile(r"\A[A-Z]{3,20} \((?:AP|Reuters)\) [—-] (?=[A-Z])"))

    def clean(self, text: str) -> str:
        return self._dateline.sub("", text, count=1)  # type: ignore[attr-defined]


class RaisesOnBlankRuns(Cleaner):
    """Raises on some input: three newlines in a row."""

    name = "raises"
    description = "Fail on blank runs."

    def clean(self, text: str) -> str:
        if "\n\n\n" in text:
            raise ValueError("unexpected blank run")
        return text


class ReturnsBytes(Cleaner):
    """Returns a non-str: bytes when the text has an ampersand."""

    name = "bytes"
    description = "Return bytes sometimes."

    def clean(self, text: str) -> str:
        return text.encode("utf-8", "surrogatepass") if "&" in text else text  # type: ignore[return-value]


class RewordsProse(Cleaner):
    """Changes clean prose: replaces 'said' with 'stated' (idempotent, never raises)."""

    name = "rewords"
    description = "Reword reporting verbs."

    def clean(self, text: str) -> str:
        return text.replace(" said", " stated")


class HoldsALock(Cleaner):
    """Not picklable: keeps a lock (pipelines are sent to worker processes)."""

    name = "lock"
    description = "Hold a lock."

    def setup(self) -> None:
        self.set_derived("_lock", threading.Lock())

    def clean(self, text: str) -> str:
        with self._lock:  # type: ignore[attr-defined]
            return text.strip()


class RemembersFirstDocument(Cleaner):
    """Mutates shared state: the first document it sees decides, for every later one, whether
    trailing spaces are stripped from lines.  Idempotent, never raises, keeps prose."""

    name = "remembers"
    description = "Decide once, from the first document."

    def setup(self) -> None:
        self.set_derived("_mode", {})

    def clean(self, text: str) -> str:
        strip = self._mode.setdefault("strip", " \n" in text)  # type: ignore[attr-defined]
        return "\n".join(line.rstrip(" ") for line in text.split("\n")) if strip else text


#: each broken cleaner and the property the kit must say it fails
BROKEN = {
    Shrinks: "idempotent",
    OneDatelinePerPass: "idempotent",
    RaisesOnBlankRuns: "never raises, returns str",
    ReturnsBytes: "never raises, returns str",
    RewordsProse: "keeps clean prose",
    HoldsALock: "picklable",
    RemembersFirstDocument: "keeps no state between documents",
}
