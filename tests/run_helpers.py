"""Cleaners for the executor tests, in a module of their own so that worker processes of a
Dask or Ray cluster can import them (they unpickle the pipeline by reference)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from newsclean import Cleaner, Option, Pipeline


class BoomCleaner(Cleaner):
    """Test cleaner: raises on any text containing BOOM."""

    name = "boom"
    description = "Raise on BOOM (tests only)."
    order = 850

    def clean(self, text: str) -> str:
        if "BOOM" in text:
            raise RuntimeError("kaboom")
        return text


class KillOnceCleaner(Cleaner):
    """Test cleaner: the first time any process sees KILL, it kills that process (SIGKILL), mid-task.

    ``marker`` is a file created just before the kill, so the task's retry goes through."""

    name = "kill_once"
    description = "Kill the worker process once (tests only)."
    order = 860
    options = {"marker": Option("", "file that records the kill")}

    def clean(self, text: str) -> str:
        if "KILL" in text:
            marker = Path(self.marker)  # type: ignore[attr-defined]
            try:
                fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return text
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            os.kill(os.getpid(), signal.SIGKILL)
        return text


class CountingCleaner(Cleaner):
    """Test cleaner: counts, per process, how often it was unpickled and how many texts it saw."""

    name = "counting"
    description = "Count unpickles and calls (tests only)."
    order = 870

    def clean(self, text: str) -> str:
        COUNTS["calls"] += 1
        return text

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        COUNTS["unpickled"] += 1


COUNTS = {"calls": 0, "unpickled": 0}


def counts() -> dict[str, int]:
    """This process's counts (run on every Dask worker with ``client.run``)."""
    return dict(COUNTS)


WS = Pipeline(["whitespace"])
BOOM = Pipeline([BoomCleaner(), *WS.cleaners])
