"""Reading and writing YAML, the one way the whole program does it.

Two readers, one meaning: bulk commands parse with yaml-rs (a Rust YAML 1.2 parser, about 25 times
faster than ruamel.yaml's safe loader), and edits go through ruamel.yaml round-trip, which keeps comments,
key order and quoting. Both read YAML 1.2 and neither resolves dates: `yes` stays text, `010` is ten, and
`2024-02-30` reaches the model as text, where the date type says what is wrong with it. Any failure to
read becomes a `YamlError` with a line, never a traceback.
"""

from __future__ import annotations

import functools
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from tiandz.files.faithful import Unswappable, protect, restore_lines, unprotect
from tiandz.files.reading import ITEM_LIMIT, read_bytes
from tiandz.files.yamlguard import Refused, refuse_hostile

BOM = "\ufeff"


@dataclass
class YamlError(Exception):
    line: int | None
    message: str
    hint: str | None = None


def read_text(path: Path) -> str:
    """The file's text without its byte-order mark; bad encodings are a YamlError.

    Only a regular file of at most ITEM_LIMIT bytes, not through a symlink (files/reading.py); anything else
    is an OSError whose `strerror` says why in Chinese."""
    return read_raw_text(path).removeprefix(BOM)


def read_raw_text(path: Path) -> str:
    """As read_text, the byte-order mark kept: the text as it is, for an edit that must keep it."""
    data = read_bytes(path, ITEM_LIMIT)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise YamlError(line, "文件不是 UTF-8 编码", "请用 UTF-8 另存（记事本：另存为 → 编码 UTF-8）") from None
    return text


def parse(text: str) -> Any:
    """Parse with the fast reader; on any failure find out where and why.

    A NUL byte is refused first: the fast reader would stop at it and drop the rest of the file unsaid.
    """
    import yaml_rs

    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise YamlError(line, "文件中有 NUL 字符（\\x00），可能已损坏或不是文本文件", "用文本编辑器打开，删去这一行中看不见的字符")
    _refuse_hostile(text)  # yaml-rs copies every alias: a billion laughs would be a billion values
    try:
        return yaml_rs.loads(text, parse_datetime=False)
    except Exception as error:  # yaml-rs names no line for some errors (a duplicate key): ruamel.yaml does
        fast_error = str(error)
    hint = _lone_carriage_return(text)
    try:
        load_roundtrip_text(text)
    except YamlError as error:
        raise YamlError(error.line, error.message, error.hint or hint) from None
    match = re.search(r"line (\d+)", fast_error)
    line = int(match.group(1)) if match else None
    raise YamlError(line, f"YAML 格式错误：{_explain(fast_error.splitlines()[-1])}", hint)


def _refuse_hostile(text: str) -> None:
    try:
        refuse_hostile(text)
    except Refused as refused:
        raise YamlError(refused.line, refused.message, refused.hint) from None


def _lone_carriage_return(text: str) -> str | None:
    """A carriage return pasted into a value breaks the line there, for both readers: say where it is."""
    lone = re.search(r"\r(?!\n)", text)
    if lone is None or "\n" not in text:  # a file with CR line endings only is fine
        return None
    return f"第 {text.count(chr(10), 0, lone.start()) + 1} 行有单独的回车符（CR），多半是粘贴带来的，删去即可"


@functools.cache
def _dateless_resolver() -> type:
    from ruamel.yaml.resolver import VersionedResolver

    class DatelessResolver(VersionedResolver):
        # Dates stay text on both paths, so an impossible date is a field error and not a crash, and a
        # date that was written plain is written back plain.
        def add_version_implicit_resolver(self, version, tag, regexp, first):
            if tag != "tag:yaml.org,2002:timestamp":
                super().add_version_implicit_resolver(version, tag, regexp, first)

    return DatelessResolver


def _roundtrip_yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Resolver = _dateless_resolver()
    yaml.version = None
    yaml.preserve_quotes = True
    yaml.width = 4096  # long Chinese lines are never wrapped
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    # The spec writes an empty value as `null` (完成: null); ruamel.yaml would write nothing after the colon.
    yaml.representer.add_representer(type(None), lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def load_roundtrip_text(text: str) -> Any:
    """Parse for editing (comments and order kept); errors carry their line."""
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError

    _refuse_hostile(text)  # ruamel.yaml recurses once per level of nesting
    try:
        return _roundtrip_yaml().load(protect(text))
    except Unswappable as error:
        raise YamlError(None, str(error)) from None
    except DuplicateKeyError as error:
        key = _duplicate_key(error)
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise YamlError(line, f"重复的键“{key}”", "同一层级每个键只能出现一次") from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise YamlError(line, f"YAML 格式错误：{_explain(error.problem or error.context or '')}") from None
    except Exception as error:  # ruamel.yaml raises plain errors for a few malformed inputs
        raise YamlError(None, f"YAML 格式错误：{error}") from None


def _duplicate_key(error) -> str:
    match = re.search(r'duplicate key "([^"]*)"', str(error.problem))
    return match.group(1) if match else "?"


_EXPLANATIONS = {
    "found character '\\t' that cannot start any token": "缩进中有制表符（Tab），YAML 只能用空格缩进",
    "tabs disallowed": "缩进中有制表符（Tab），YAML 只能用空格缩进",
    "mapping values are not allowed here": "此处不能出现“键: 值”，多半是缩进不对或值中有未加引号的冒号",
    "could not find expected ':'": "缺少冒号“:”",
    "expected <block end>, but found": "缩进不一致",
    "found undefined alias": "用了未定义的别名（*）",
    "found unexpected end of stream": "文件意外结束，可能缺少引号或括号",
    "expected ',' or ']'": "方括号列表未闭合或缺少逗号",
    "expected ',' or '}'": "花括号未闭合或缺少逗号",
    "while scanning a quoted scalar": "引号未闭合",
}


def _explain(problem: str) -> str:
    for english, chinese in _EXPLANATIONS.items():
        if problem.startswith(english):
            return chinese
    return problem


def dump_roundtrip(data: Any) -> str:
    stream = io.StringIO()
    _roundtrip_yaml().dump(data, stream)
    return unprotect(stream.getvalue())


def dump_edited(data: Any, original: str) -> str:
    """The edited data as the file's new text: what the edit did not touch keeps its characters, its line
    endings and the byte-order mark (files/faithful.py)."""
    text = restore_lines(original.removeprefix(BOM), dump_roundtrip(data))
    return (BOM if original.startswith(BOM) else "") + text


def load_for_edit(path: Path) -> tuple[Any, str]:
    """Load a file for a round-trip edit: (data, the file's text as it is, for `dump_edited`)."""
    raw = read_for_edit(path)
    return load_roundtrip_text(raw.removeprefix(BOM)), raw


def read_for_edit(path: Path) -> str:
    """The file's text as it is (its byte-order mark kept), for `load_roundtrip_text` when it is needed."""
    return read_bytes(path, ITEM_LIMIT).decode("utf-8")


def save_edited(path: Path, data: Any, original: str) -> None:
    write_atomic(path, dump_edited(data, original))


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write through a temporary file in the same folder and rename: a file is whole or untouched.

    Text is written as UTF-8 with the newlines it has; bytes (a .docx) as they are.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if isinstance(text, str):
            stream = os.fdopen(handle, "w", encoding="utf-8", newline="\n")
        else:
            stream = os.fdopen(handle, "wb")
        with stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def line_finder(text: str) -> Callable[[tuple], int | None]:
    """A function giving the line (1-based) of a key or list item inside this document, for messages.

    Only made for files with problems, so it may afford one ruamel.yaml parse with positions. The nearest
    enclosing node that exists is used when the exact one does not (a missing key).
    """
    try:
        root = load_roundtrip_text(text)
    except YamlError:
        return lambda location: None
    return lambda location: _line_in(root, location)


def _line_in(node: Any, location: tuple) -> int:
    line = 1
    for step in location:
        position = _position(node, step)
        if position is None:
            break
        line = position + 1
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return line


def _position(node: Any, step: Any) -> int | None:
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if isinstance(step, int) and isinstance(node, list):
            return lc.item(step)[0]
        if isinstance(node, dict) and step in node:
            return lc.key(step)[0]
    except (KeyError, IndexError, TypeError):
        return None
    return None
