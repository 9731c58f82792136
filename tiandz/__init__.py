"""tiandz: 人大代表建议、政协委员提案办理台账.

The package is layered, each folder importing only those below it (README.md in each says what lives
there): `cli` → `api` → `ops` | `steps` | `report` | `letter` → `officialdoc` → `ledger` → `files` → `core`.
Scripts use `tiandz.api`; the command line is a thin layer over the same functions.
"""

__version__ = "0.1.0"
