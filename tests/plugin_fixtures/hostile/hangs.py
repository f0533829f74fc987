"""Hostile plugin: cleaners that never finish, or take the process down, on documents holding a marker.

All are off by default (``--only`` or ``--enable`` them); every other document passes unchanged.

- ``spin``: an endless Python loop on ``SPIN``;
- ``backtrack``: a catastrophic regular expression (``(a|a)+(?:b|!!)``, exponential) on ``BACKTRACK``;
- ``deaf``: blocks the signals a time limit could use, then loops, on ``DEAF`` (like C code that never
  checks for signals: only stopping the process ends it);
- ``swallow``: loops and swallows every ``Exception`` it gets, on ``SWALLOW``;
- ``crash``: a segmentation fault on ``CRASH`` (a C extension that crashes);
- ``slow``: sleeps two seconds on ``SLOW`` (slow, not hung).
"""

from __future__ import annotations

import ctypes
import signal
import time

import regex

from newsclean import Cleaner, hookimpl

NEWSCLEAN_API_VERSION = 1

_CATASTROPHIC = regex.compile(r"(a|a)+(?:b|!!)")


class Spin(Cleaner):
    name = "spin"
    description = "Loop forever on SPIN (hostile test plugin)."
    default_enabled = False
    order = 520

    def clean(self, text: str) -> str:
        while "SPIN" in text:
            text = text + ""
        return text


class Backtrack(Cleaner):
    name = "backtrack"
    description = "Backtrack catastrophically on BACKTRACK (hostile test plugin)."
    default_enabled = False
    order = 530

    def clean(self, text: str) -> str:
        if "BACKTRACK" in text:
            _CATASTROPHIC.search("a" * 60)
        return text


class Deaf(Cleaner):
    name = "deaf"
    description = "Block signals and loop forever on DEAF (hostile test plugin)."
    default_enabled = False
    order = 540

    def clean(self, text: str) -> str:
        if "DEAF" in text:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGINT, signal.SIGTERM})
            while True:
                pass
        return text


class Swallow(Cleaner):
    name = "swallow"
    description = "Loop forever on SWALLOW, swallowing every Exception (hostile test plugin)."
    default_enabled = False
    order = 545

    def clean(self, text: str) -> str:
        while "SWALLOW" in text:
            try:
                sum(range(1000))
            except Exception:  # (the point of this fixture)
                continue
        return text


class Crash(Cleaner):
    name = "crash"
    description = "Segfault on CRASH (hostile test plugin)."
    default_enabled = False
    order = 550

    def clean(self, text: str) -> str:
        if "CRASH" in text:
            ctypes.string_at(0)
        return text


class Slow(Cleaner):
    name = "slow"
    description = "Sleep two seconds on SLOW (hostile test plugin)."
    default_enabled = False
    order = 560

    def clean(self, text: str) -> str:
        if "SLOW" in text:
            time.sleep(2)
        return text


@hookimpl
def newsclean_register_cleaners(register):
    for cleaner in (Spin, Backtrack, Deaf, Swallow, Crash, Slow):
        register(cleaner)
