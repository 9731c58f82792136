"""A repository's own git config file, read without running git (the clone's role is asked by every step).

A step already runs about eight git processes (README, 速度); asking `git config` for the clone's role
(ledger/role.py) would add two. The repository's `config` file is plain text in the git directory, as the
markers ledger/repository.py reads are; what this reader does not follow (an `[include]`, per-worktree
config, a line it cannot read) makes it answer None, and the caller asks git itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from tiandz.ledger.place import common_git_directory, git_directory

_SECTION = re.compile(r'^\[\s*([A-Za-z0-9.-]+)\s*(?:"((?:[^"\\]|\\.)*)")?\s*\]\s*(?:[#;].*)?$')
_ENTRY = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$")


def local_config(root: Path) -> dict[str, str] | None:
    """The repository's own config (`.git/config`) as {"section.subsection.key": last value}, section and key
    in lower case; {} outside git; None when only git can read it faithfully."""
    found = git_directory(root)
    if found is None:
        return {}
    path = common_git_directory(found[0]) / "config"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError):
        return None
    return parse_config(text)


def parse_config(text: str) -> dict[str, str] | None:
    values: dict[str, str] = {}
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            match = _SECTION.match(line)
            if match is None:
                return None
            name, sub = match.group(1).lower(), match.group(2)
            section = name if sub is None else f"{name}.{_unescape(sub)}"
            if name in ("include", "includeif"):
                return None  # another file's settings: git follows it, this reader does not
            continue
        match = _ENTRY.match(line)
        if match is None or section is None or line.endswith("\\"):
            return None  # a continued line or anything unusual: git knows best
        value = _value(match.group(2)) if match.group(2) is not None else "true"
        if value is None:
            return None
        values[f"{section}.{match.group(1).lower()}"] = value
    if values.get("extensions.worktreeconfig", "").lower() in ("true", "yes", "on", "1"):
        return None  # per-worktree settings in config.worktree
    return values


def _value(text: str) -> str | None:
    """A value as git reads it: quotes joined, escapes undone, a comment after it dropped, outer spaces trimmed."""
    out, quoted, index = [], False, 0
    while index < len(text):
        character = text[index]
        if character == '"':
            quoted = not quoted
        elif character == "\\":
            index += 1
            if index == len(text):
                return None
            escaped = text[index]
            if escaped not in 'ntb"\\':
                return None
            out.append({"n": "\n", "t": "\t", "b": "\b"}.get(escaped, escaped))
        elif character in "#;" and not quoted:
            break
        else:
            out.append(character)
        index += 1
    if quoted:
        return None
    return "".join(out).strip()


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)
