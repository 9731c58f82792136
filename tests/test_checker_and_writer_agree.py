"""A file `check` passes is a file every step can edit, and the step changes no byte it was not asked to.

Clerks paste from Word and Excel: a tab inside a line, a bell, Word's soft break (\\x0b), the separators
U+2028/U+2029 and NEL, a stray byte-order mark, the noncharacter U+FFFE. Each is accepted by `check` and then
by a step, and the step leaves it exactly where it was; the file's line endings (CR LF, CR, or a mix) stay
each line's own. A NUL byte, which would make the fast reader drop the rest of the file unsaid, is refused by
both with its line. A carriage return pasted into a value is named in the hint.
"""

from __future__ import annotations

import pytest
from conftest import ASSIGNED, git

PATH = "2024/2024-J-015.yaml"
CONTACT = ("contact", "J-15", "--by", "电话", "--date", "2024-04-01")
PASTED = {
    "制表符": "\t", "响铃": "\x07", "软回车": "\x0b", "行分隔符": "\u2028", "段分隔符": "\u2029", "NEL": "\x85",
    "字节序标记": "\ufeff", "非字符": "\ufffe",
}


def committed(ledger_dir, text: str | bytes):
    path = ledger_dir.root / PATH
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    ledger_dir.commit_all("手工录入")
    return path


def added_only(before: bytes, after: bytes) -> bytes:
    """What `after` adds to `before`, asserting that every byte of `before` is still there, in order."""
    position, added = 0, bytearray()
    for byte in after:
        if position < len(before) and byte == before[position]:
            position += 1
        else:
            added.append(byte)
    assert position == len(before), "the step changed or dropped bytes it did not touch"
    return bytes(added)


@pytest.mark.parametrize("name", PASTED)
def test_what_check_accepts_a_step_edits_and_keeps_byte_for_byte(ledger_dir, cli, name):
    character = PASTED[name]
    path = committed(ledger_dir, ASSIGNED.replace("标题: 关于加强校园", f"标题: 关于{character}加强校园")
                     .replace("  校园周边交通秩序混乱。", f"  校园周边{character}交通秩序混乱。"))
    before = path.read_bytes()
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    result = cli(*CONTACT, "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    added = added_only(before, path.read_bytes())
    assert added.decode("utf-8").strip().startswith("沟通:")
    assert git(ledger_dir.root, "status", "--porcelain") == ""
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    assert cli("export", "--ledger", ledger_dir.root).code == 0  # U+FFFE cannot go into an xlsx: it is dropped there


@pytest.mark.parametrize("endings", [["\r\n"], ["\r"], ["\r\n", "\n"], ["\n", "\r"]], ids=["CRLF", "CR", "混合CRLF", "混合CR"])
def test_a_step_keeps_each_line_its_own_line_ending(ledger_dir, cli, endings):
    lines = ASSIGNED.splitlines()
    text = "".join(line + endings[number % len(endings)] for number, line in enumerate(lines))
    path = committed(ledger_dir, text)
    before = path.read_bytes()
    result = cli(*CONTACT, "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    after = path.read_bytes()
    added = added_only(before, after).decode("utf-8")
    assert added.count("沟通:") == 1
    usual = max(set(endings), key=lambda ending: sum(1 for number in range(len(lines)) if endings[number % len(endings)] == ending))
    new_lines = [line for line in added.split(usual) if line]
    assert all("\r" not in line and "\n" not in line for line in new_lines), "new lines take the file's usual ending"


@pytest.mark.parametrize("where", ["开头", "末尾"])
def test_a_nul_byte_is_refused_by_check_and_by_a_step_with_its_line(ledger_dir, cli, where):
    text = ASSIGNED.replace("案号: 15", "案号: 1\x005") if where == "开头" else ASSIGNED.replace("主办: [县教育和体育局]", "主办: [县教育和体育局]\x00")
    path = committed(ledger_dir, text)
    before, head = path.read_bytes(), git(ledger_dir.root, "rev-parse", "HEAD")
    line = text[: text.index("\x00")].count("\n") + 1
    checked = cli("check", "--ledger", ledger_dir.root)
    assert checked.code == 1
    assert f"{PATH}:{line}: 文件中有 NUL 字符" in checked.out
    stepped = cli(*CONTACT, "--ledger", ledger_dir.root)
    assert stepped.code == 1 and "NUL" in stepped.err
    assert (path.read_bytes(), git(ledger_dir.root, "rev-parse", "HEAD")) == (before, head)


def test_a_carriage_return_pasted_into_a_value_is_named_in_the_hint(ledger_dir, cli):
    committed(ledger_dir, ASSIGNED.replace("标题: 关于加强校园", "标题: 关于\r加强校园"))
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "第 5 行有单独的回车符（CR），多半是粘贴带来的，删去即可" in result.out


def test_a_tab_that_separates_a_key_from_its_value_is_accepted_and_kept(ledger_dir, cli):
    # YAML lets a tab separate `标题:` from the title, or list items; ruamel.yaml reads it as a space.
    path = committed(ledger_dir, ASSIGNED.replace("标题: 关于", "标题:\t关于").replace("联名: [李四, 王五]", "联名: [李四,\t王五]"))
    before = path.read_bytes()
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    result = cli(*CONTACT, "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert added_only(before, path.read_bytes()).decode("utf-8").strip().startswith("沟通:")
