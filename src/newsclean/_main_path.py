"""Keep ``python -m newsclean`` from importing modules out of the current folder.

``python -m`` puts the current folder first on ``sys.path``, where a file such as ``regex.py``
would shadow a dependency of newsclean.  While Python locates the module to run (``sys.argv[0]``
is then ``"-m"``), this takes that entry out, so the command runs like the installed
``newsclean`` script.  (``python -P`` / ``PYTHONSAFEPATH=1`` do the same for any module.)
Imported first by the package; it does nothing when the package is imported otherwise.
"""

from __future__ import annotations

import itertools
import os
import sys


def _leave_the_current_folder_out() -> None:
    argv = getattr(sys, "orig_argv", [])
    if sys.argv[:1] != ["-m"] or getattr(sys.flags, "safe_path", False) or not sys.path:
        return
    for flag, module in itertools.pairwise(argv):
        if flag.startswith("-") and not flag.startswith("--") and flag.endswith("m"):
            if module.split(".")[0] == "newsclean" and os.path.realpath(sys.path[0] or ".") == os.getcwd():
                del sys.path[0]
            return


_leave_the_current_folder_out()
