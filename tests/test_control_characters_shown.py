"""What a ledger or its git history says is printed with control characters shown, never obeyed.

A title, a unit name, a commit subject or an author may come from another office. An escape sequence could
clear the screen or recolour a line, a carriage return or a line break could forge a line of `tiandz log` or
hide a problem from `check`, a right-to-left mark could reverse what follows. Each is printed as a visible
stand-in (␛, ␍, ␊, <U+202E>); the files themselves are not changed.
"""

from __future__ import annotations

import subprocess

from conftest import ASSIGNED, git

from tiandz.core.display import visible

ESCAPE = "\x1b[2J\x1b[31m"
FORGED = "\r2024-J-999 关于伪造的建议"
# What survives validation (which drops C0 controls like ESC from every field): a carriage return, a C1
# control-sequence introducer, a right-to-left override. Written as YAML escapes, as a crafted file would.
IN_YAML = "\\x9b2J\\r2024-J-999 关于伪造的建议\\u202e"


def test_visible_shows_every_control_and_invisible_mark_and_keeps_the_rest():
    assert visible("关于\x1b[2J的建议\r\n\u202e反向\x9b\x00\x7f") == "关于␛[2J的建议␍␊<U+202E>反向<U+009B>␀␡"
    assert visible("第一行\n第二行\t制表", lines=True) == "第一行\n第二行\t制表"
    assert visible("普通文字 A-1（2024）") == "普通文字 A-1（2024）"


def test_list_and_show_print_a_title_with_escape_sequences_as_visible_text(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED.replace("标题: 关于加强校园周边环境综合治理的建议", f'标题: "关于加强{IN_YAML}"'))
    before = path.read_bytes()
    listed = cli("list", "--ledger", ledger_dir.root)
    shown = cli("show", "J-15", "--ledger", ledger_dir.root)
    for result in (listed, shown):
        assert result.code == 0, result.err
        assert not {"\x9b", "\r", "\u202e"} & set(result.out)
    assert "关于加强<U+009B>2J␍2024-J-999 关于伪造的建议<U+202E>" in shown.out
    assert "关于加强<U+009B>2J␍2024-J-9" in listed.out  # list shortens titles
    assert path.read_bytes() == before


def test_check_names_a_unit_with_escape_sequences_without_obeying_them(ledger_dir, cli):
    ledger_dir.item(ASSIGNED.replace("主办: [县教育和体育局]", f'主办: ["县教体{IN_YAML}局"]'))
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert not {"\x9b", "\r", "\u202e"} & set(result.out + result.err)
    assert "“县教体<U+009B>2J␍2024-J-999 关于伪造的建议<U+202E>局”不是 tiandz.yaml 中的承办单位" in result.out


def test_log_shows_a_hand_commit_whose_subject_and_author_carry_escape_sequences(ledger_dir, cli):
    path = ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all("登记")
    path.write_text(path.read_text(encoding="utf-8").replace("重点督办: false", "重点督办: true"), encoding="utf-8")
    git(ledger_dir.root, "add", "-A")
    subprocess.run(
        ["git", "-C", str(ledger_dir.root), "-c", f"user.name=张三{ESCAPE}", "commit", "-q", "-m", f"改为重点{ESCAPE}\u202e"],
        check=True,
    )
    result = cli("log", "J-15", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\u202e" not in result.out
    assert "改为重点␛[2J␛[31m<U+202E>" in result.out and "张三␛[2J␛[31m" in result.out
