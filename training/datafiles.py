"""Writing the package's generated data files, or checking that they are current (``--check``)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_or_check(outputs: dict[Path, str], check: bool) -> int:
    """Write each file of ``outputs`` (path -> text), or with ``check`` compare each with what is
    shipped; prints one line per file and returns the exit status (1: some file differs)."""
    status = 0
    for path, text in outputs.items():
        name = path.relative_to(ROOT)
        if check:
            same = path.exists() and path.read_text(encoding="utf-8") == text
            print(f"{name}: {'identical' if same else 'DIFFERS'}")
            status |= not same
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {name} ({len(text.encode()) // 1024} KB)")
    return status
