"""Where the shipped templates and the example ledger are, in a source checkout and in an installed wheel.

They live at the top of the repository (`templates/`, `examples/`); the wheel carries copies inside the
package (see pyproject.toml), so both places are tried.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # tiandz/, two up from tiandz/files/resources.py


def shipped(name: str) -> Path:
    """`templates` or `examples`: the folder that ships with this tiandz."""
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_shipped" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(name)


def example_ledger() -> Path:
    return shipped("examples") / "ledger"


def template(name: str, ledger_root: Path | None = None) -> Path:
    """The office's own copy in the ledger's templates/ wins over the shipped one of the same name."""
    if ledger_root is not None:
        own = ledger_root / "templates" / name
        if own.is_file():
            return own
    return shipped("templates") / name
