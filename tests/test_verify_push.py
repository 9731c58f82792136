"""The guard on the server (spec/offices.md): a bare repository with the real hook `tiandz server install`
writes, pushed to as any account with `git push --receive-pack="env GL_USER=<account> git-receive-pack"`.

Every refusal asserts its Chinese line (the commit, the file, the rule) and that the server's refs did not
move; the allowed pushes assert that they did.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git

CONFIG = """\
机关: 某县人民政府办公室
年度: 2024
承办单位:
  - 名称: 县教育和体育局
    简称: [教体局]
    账号: jiaoti
  - 名称: 县公安局
    简称: [公安局]
    账号: [gongan, gongan2]
  - 名称: 县交通运输局
    简称: [交通局]
    账号: jiaotong
服务器:
  机关账号: [duchashi]
"""

HEAD = """\
类型: 建议
标题: 关于{title}的建议
提出人: 张三
提出日期: 2024-01-20
"""

# 2024-J-015: 会办, 教体局 leads, 公安局 assists, already contacted once. 2024-J-016: 交通局 alone.
# 2024-J-017: not assigned yet. Each ends with an event list, so a unit's new event is appended text.
J015 = "编号: 2024-J-015\n" + HEAD.format(title="校园周边") + """\
交办:
  日期: 2024-03-20
  方式: 会办
  主办: [县教育和体育局]
  协办: [县公安局]
沟通:
  - 日期: 2024-04-02
    方式: 电话
    单位: 县教育和体育局
"""
J016 = "编号: 2024-J-016\n" + HEAD.format(title="公交线路") + """\
交办:
  日期: 2024-03-20
  主办: [县交通运输局]
"""
J017 = "编号: 2024-J-017\n" + HEAD.format(title="路灯")

CONTACT = """\
  - 日期: 2024-04-10
    方式: 走访
    单位: {unit}
"""
JIAOTI, GONGAN, JIAOTONG = "县教育和体育局", "县公安局", "县交通运输局"


def trailers(step: str, items: str, unit: str | None) -> str:
    lines = [f"Tiandz-Step: {step}", f"Tiandz-Item: {items}"] + ([f"Tiandz-Unit: {unit}"] if unit else [])
    return "\n".join(lines)


class Server:
    """The bare repository with the guard installed, and clones of it."""

    def __init__(self, base: Path):
        self.base = base
        office = base / "office"
        office.mkdir()
        (office / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
        (office / "2024").mkdir()
        for item_id, text in (("2024-J-015", J015), ("2024-J-016", J016), ("2024-J-017", J017)):
            (office / "2024" / f"{item_id}.yaml").write_text(text, encoding="utf-8")
        git(office, "init", "-q", "-b", "main")
        self.identity(office)
        git(office, "add", "-A")
        git(office, "commit", "-q", "-m", "台账")
        self.repo = base / "server.git"
        git(base, "clone", "-q", "--bare", str(office), str(self.repo))
        installed = subprocess.run([sys.executable, "-m", "tiandz", "server", "install", str(self.repo)],
                                   capture_output=True, text=True)
        assert installed.returncode == 0, installed.stderr
        self.office = self.clone("office-clone")
        git(self.office, "config", "tiandz.office", "true")  # the office's clone, as `tiandz clone --office` records it

    @staticmethod
    def identity(root: Path) -> None:
        git(root, "config", "user.name", "测试员")
        git(root, "config", "user.email", "clerk@example.org")

    def clone(self, name: str) -> Path:
        root = self.base / name
        git(self.base, "clone", "-q", str(self.repo), str(root))
        self.identity(root)
        return root

    def refs(self) -> str:
        return git(self.repo, "for-each-ref", "--format=%(refname) %(objectname)")

    def main(self) -> str:
        return git(self.repo, "rev-parse", "refs/heads/main").strip()


def push(clone: Path, account: str | None, *arguments: str) -> subprocess.CompletedProcess:
    """`git push` as this account (None: the server sets no identity at all)."""
    receive = f"env GL_USER={account} git-receive-pack" if account else "env -u GL_USER git-receive-pack"
    return subprocess.run(["git", "-C", str(clone), "push", f"--receive-pack={receive}", "origin", *arguments],
                          capture_output=True, text=True)


def commit_text(clone: Path, item_id: str, text: str, message: str, append: bool = True) -> str:
    """A unit's commit made by hand: the item file appended to (or replaced), committed with this message."""
    path = clone / item_id[:4] / f"{item_id}.yaml"
    path.write_text((path.read_text(encoding="utf-8") if append else "") + text, encoding="utf-8")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", message)
    return git(clone, "rev-parse", "--short=7", "HEAD").strip()


def contact(clone: Path, unit: str = JIAOTI, item_id: str = "2024-J-015", step: str = "contact", signer: str | None = None) -> str:
    return commit_text(clone, item_id, CONTACT.format(unit=unit), "走访\n\n" + trailers(step, item_id, signer or unit))


@pytest.fixture
def server(tmp_path: Path) -> Server:
    return Server(tmp_path)


def refused(server: Server, before: str, result: subprocess.CompletedProcess, *lines: str) -> None:
    """The push failed, every expected line was said, and no ref of the server moved."""
    assert result.returncode != 0, result.stderr
    for line in lines:
        assert line in result.stderr, result.stderr
    assert "推送被整个拒绝" in result.stderr
    assert server.refs() == before
    assert git(server.repo, "fsck", "--no-progress") == ""


# --- allowed ---------------------------------------------------------------------------------------------


def test_server_install_writes_an_executable_hook_that_runs_this_python(server):
    hook = server.repo / "hooks" / "pre-receive"
    assert hook.stat().st_mode & 0o111
    assert f"{sys.executable} -m tiandz verify-push" in hook.read_text(encoding="utf-8")


def test_the_server_keeps_each_push_as_the_pack_the_pusher_made(server):
    # Kept loose, a unit's small pushes would make every later fetch find their tree deltas again.
    assert git(server.repo, "config", "receive.unpackLimit").strip() == "1"
    unit = server.clone("jiaoti")
    contact(unit)
    loose = git(server.repo, "count-objects", "-v").splitlines()[0]
    assert push(unit, "jiaoti", "HEAD:main").returncode == 0
    assert git(server.repo, "count-objects", "-v").splitlines()[0] == loose  # no new loose object: a pack


def test_a_unit_records_a_contact_on_an_item_it_leads(server):
    unit = server.clone("jiaoti")
    contact(unit)
    result = push(unit, "jiaoti", "HEAD:main")
    assert result.returncode == 0, result.stderr
    assert server.main() == git(unit, "rev-parse", "HEAD").strip()


def test_the_co_unit_records_a_contact_and_its_opinion(server):
    unit = server.clone("gongan")
    contact(unit, GONGAN)
    commit_text(unit, "2024-J-015", "协办意见:\n  - 单位: 县公安局\n    日期: 2024-04-20\n    内容: 加强巡逻。\n",
                "意见\n\n" + trailers("opinion", "2024-J-015", GONGAN))
    result = push(unit, "gongan2", "HEAD:main")  # the unit's second account
    assert result.returncode == 0, result.stderr
    assert server.main() == git(unit, "rev-parse", "HEAD").strip()


def test_a_unit_answers_marks_a_promise_done_and_asks_for_more_time(server):
    unit = server.clone("jiaotong")
    reply = "答复:\n  - 单位: 县交通运输局\n    日期: 2024-05-10\n    类别: B\n    正文: 已规划。\n    承诺:\n      - 事项: 新开线路\n        完成: null\n"
    commit_text(unit, "2024-J-016", reply, "答复\n\n" + trailers("reply", "2024-J-016", JIAOTONG))
    path = unit / "2024" / "2024-J-016.yaml"
    commit_text(unit, "2024-J-016", path.read_text(encoding="utf-8").replace("完成: null", "完成: 2024-06-01"),
                "完成\n\n" + trailers("promise", "2024-J-016", JIAOTONG), append=False)
    request = "申请:\n  - 类型: 延期\n    单位: 县交通运输局\n    日期: 2024-06-05\n    理由: 需要协调。\n    至: 2024-08-20\n"
    commit_text(unit, "2024-J-016", request, "延期申请\n\n" + trailers("extend-request", "2024-J-016", JIAOTONG))
    result = push(unit, "jiaotong", "HEAD:main")
    assert result.returncode == 0, result.stderr
    assert server.main() == git(unit, "rev-parse", "HEAD").strip()


def test_the_office_assigns_with_its_own_step_and_pushes(server):
    from tiandz import api
    from tiandz.ledger.folder import Ledger

    api.assign(Ledger(server.office), ["2024-J-017"], leads=["交通局"], date="2024-03-25", today=dt.date(2024, 3, 25))
    result = push(server.office, "duchashi", "HEAD:main")
    assert result.returncode == 0, result.stderr
    assert server.main() == git(server.office, "rev-parse", "HEAD").strip()
    assert "主办: [县交通运输局]" in git(server.repo, "show", "main:2024/2024-J-017.yaml") or \
        "县交通运输局" in git(server.repo, "show", "main:2024/2024-J-017.yaml")


# --- refused: what a unit may not change ------------------------------------------------------------------


def test_a_unit_may_not_touch_another_units_item(server):
    unit, before = server.clone("gongan"), server.refs()
    short = commit_text(unit, "2024-J-016", "沟通:\n" + CONTACT.format(unit=GONGAN),
                        "走访\n\n" + trailers("contact", "2024-J-016", GONGAN))
    refused(server, before, push(unit, "gongan", "HEAD:main"),
            f"拒绝：{short} 2024/2024-J-016.yaml：【非本单位承办】县公安局不是这一件的主办或协办单位")


def test_a_unit_may_not_change_the_offices_fields(server):
    unit, before = server.clone("jiaoti"), server.refs()
    path = unit / "2024" / "2024-J-015.yaml"
    text = path.read_text(encoding="utf-8").replace("关于校园周边的建议", "关于别的事的建议")
    short = commit_text(unit, "2024-J-015", text, "改\n\n" + trailers("contact", "2024-J-015", JIAOTI), append=False)
    refused(server, before, push(unit, "jiaoti", "HEAD:main"), f"拒绝：{short} 2024/2024-J-015.yaml：【机关字段】“标题”由交办机关填写")


def test_a_unit_may_not_decide_its_own_request(server):
    unit, before = server.clone("jiaoti"), server.refs()
    request = "申请:\n  - 类型: 延期\n    单位: 县教育和体育局\n    日期: 2024-06-05\n    理由: 忙。\n    至: 2024-08-20\n    处理: 同意\n"
    short = commit_text(unit, "2024-J-015", request, "延期\n\n" + trailers("extend-request", "2024-J-015", JIAOTI))
    refused(server, before, push(unit, "jiaoti", "HEAD:main"), f"拒绝：{short} 2024/2024-J-015.yaml：【机关字段】申请的处理")


def test_a_unit_may_not_edit_an_old_event(server):
    unit, before = server.clone("jiaoti"), server.refs()
    path = unit / "2024" / "2024-J-015.yaml"
    text = path.read_text(encoding="utf-8").replace("方式: 电话", "方式: 走访")
    short = commit_text(unit, "2024-J-015", text, "改\n\n" + trailers("contact", "2024-J-015", JIAOTI), append=False)
    refused(server, before, push(unit, "jiaoti", "HEAD:main"),
            f"拒绝：{short} 2024/2024-J-015.yaml：【改动旧记录】“沟通”第 1 条已有的记录被改动或删除")


def test_a_unit_may_not_record_in_another_units_name(server):
    unit, before = server.clone("jiaoti"), server.refs()
    short = contact(unit, unit=GONGAN, signer=JIAOTI)
    refused(server, before, push(unit, "jiaoti", "HEAD:main"),
            f"拒绝：{short} 2024/2024-J-015.yaml：【冒名】“沟通”新增记录的单位是“县公安局”，推送者是县教育和体育局")


def test_a_co_unit_may_not_answer(server):
    unit, before = server.clone("gongan"), server.refs()
    reply = "答复:\n  - 单位: 县公安局\n    日期: 2024-05-10\n    类别: A\n    正文: 已办。\n"
    short = commit_text(unit, "2024-J-015", reply, "答复\n\n" + trailers("reply", "2024-J-015", GONGAN))
    refused(server, before, push(unit, "gongan", "HEAD:main"), f"拒绝：{short} 2024/2024-J-015.yaml：【角色不符】")


@pytest.mark.parametrize(("step", "items", "signer", "said"), [
    ("reply", "2024-J-015", JIAOTI, "Tiandz-Step 是“reply”，改动却是 contact"),
    ("contact", "2024-J-016", JIAOTI, "Tiandz-Item 是“2024-J-016”，改动的件是 2024-J-015"),
    ("contact", "2024-J-015", GONGAN, "Tiandz-Unit 是“县公安局”，推送者是县教育和体育局"),
])
def test_a_commit_whose_trailers_lie_is_refused(server, step, items, signer, said):
    unit, before = server.clone("jiaoti"), server.refs()
    short = commit_text(unit, "2024-J-015", CONTACT.format(unit=JIAOTI), "走访\n\n" + trailers(step, items, signer))
    refused(server, before, push(unit, "jiaoti", "HEAD:main"), f"拒绝：{short}：【说明不符】{said}")


def test_a_unit_granting_itself_rights_in_tiandz_yaml_is_judged_by_the_old_rules(server):
    unit, before = server.clone("jiaoti"), server.refs()
    config = unit / "tiandz.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("机关账号: [duchashi]", "机关账号: [duchashi, jiaoti]"),
                      encoding="utf-8")
    path = unit / "2024" / "2024-J-016.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("县交通运输局", "县教育和体育局"), encoding="utf-8")
    git(unit, "add", "-A")
    git(unit, "commit", "-q", "-m", "我是机关\n\n" + trailers("assign", "2024-J-016", JIAOTI))
    short = git(unit, "rev-parse", "--short=7", "HEAD").strip()
    refused(server, before, push(unit, "jiaoti", "HEAD:main"),
            f"拒绝：{short} tiandz.yaml：【非件文件】单位只能改动件的文件",
            f"拒绝：{short} 2024/2024-J-016.yaml：【非本单位承办】")


def test_a_units_item_must_pass_check(server):
    unit, before = server.clone("jiaoti"), server.refs()
    short = commit_text(unit, "2024-J-015", "  - 日期: 2024-04-10\n    方式: 飞鸽传书\n    单位: 县教育和体育局\n",
                        "走访\n\n" + trailers("contact", "2024-J-015", JIAOTI))
    refused(server, before, push(unit, "jiaoti", "HEAD:main"), f"拒绝：{short} 2024/2024-J-015.yaml：【通不过检查】")


def test_a_unit_may_not_register_or_delete_an_item(server):
    unit, before = server.clone("jiaoti"), server.refs()
    (unit / "2024" / "2024-J-018.yaml").write_text("编号: 2024-J-018\n" + HEAD.format(title="新"), encoding="utf-8")
    (unit / "2024" / "2024-J-017.yaml").unlink()
    git(unit, "add", "-A")
    git(unit, "commit", "-q", "-m", "x\n\n" + trailers("new", "2024-J-017, 2024-J-018", JIAOTI))
    short = git(unit, "rev-parse", "--short=7", "HEAD").strip()
    refused(server, before, push(unit, "jiaoti", "HEAD:main"),
            f"拒绝：{short} 2024/2024-J-018.yaml：【新建件】", f"拒绝：{short} 2024/2024-J-017.yaml：【删除件】")


# --- refused: the push itself -----------------------------------------------------------------------------


def test_a_force_push_is_refused(server):
    unit, before = server.clone("jiaoti"), server.refs()
    git(unit, "commit", "-q", "--amend", "-m", "改写历史")
    refused(server, before, push(unit, "jiaoti", "--force", "HEAD:main"), "拒绝：main：【不是快进】")


def test_the_office_may_not_force_push_either(server):
    before = server.refs()
    git(server.office, "commit", "-q", "--amend", "-m", "改写历史")
    refused(server, before, push(server.office, "duchashi", "--force", "HEAD:main"), "拒绝：main：【不是快进】")


def test_a_units_merge_commit_is_refused(server):
    unit, before = server.clone("jiaoti"), server.refs()
    git(unit, "checkout", "-q", "-b", "side")
    contact(unit, item_id="2024-J-015")
    git(unit, "checkout", "-q", "main")
    git(unit, "merge", "-q", "--no-ff", "--no-edit", "side")
    short = git(unit, "rev-parse", "--short=7", "HEAD").strip()
    refused(server, before, push(unit, "jiaoti", "HEAD:main"), f"拒绝：{short}：【合并提交】")


@pytest.mark.parametrize(("account", "said"), [
    (None, "拒绝：GL_USER：【推送者不明】环境变量 GL_USER 没有设置"),
    ("stranger", "拒绝：stranger：【未知账号】账号“stranger”不在 tiandz.yaml"),
])
def test_a_push_by_nobody_known_is_refused(server, account, said):
    unit, before = server.clone("jiaoti"), server.refs()
    contact(unit)
    refused(server, before, push(unit, account, "HEAD:main"), said)


def test_a_unit_may_push_no_other_branch_or_tag(server):
    unit, before = server.clone("jiaoti"), server.refs()
    contact(unit)
    git(unit, "tag", "mine")
    refused(server, before, push(unit, "jiaoti", "HEAD:refs/heads/mine"), "拒绝：mine：【只能推主分支】")
    refused(server, before, push(unit, "jiaoti", "refs/tags/mine"), "【只能推主分支】单位只能推送主分支 main，不得推送 refs/tags/mine")


def test_deleting_the_main_branch_is_refused(server):
    unit, before = server.clone("jiaoti"), server.refs()
    refused(server, before, push(unit, "jiaoti", ":main"), "拒绝：main：【删除主分支】")


# --- two units at the same second ---------------------------------------------------------------------------


def test_two_units_pushing_at_once_one_wins_the_other_syncs_and_nothing_is_lost(server):
    first, second = server.clone("jiaoti"), server.clone("jiaotong")
    contact(first)
    commit_text(second, "2024-J-016", "沟通:\n" + CONTACT.format(unit=JIAOTONG),
                "走访\n\n" + trailers("contact", "2024-J-016", JIAOTONG))
    ours = {clone: git(clone, "rev-parse", "HEAD").strip() for clone in (first, second)}
    environment = {"jiaoti": first, "jiaotong": second}
    racing = {
        account: subprocess.Popen(
            ["git", "-C", str(clone), "push", f"--receive-pack=env GL_USER={account} git-receive-pack", "origin", "HEAD:main"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for account, clone in environment.items()
    }
    codes = {account: process.wait() for account, process in racing.items()}
    assert sorted(codes.values())[0] == 0 and sorted(codes.values())[1] != 0, codes
    winner = next(account for account, code in codes.items() if code == 0)
    loser = environment[next(account for account, code in codes.items() if code != 0)]
    assert server.main() == ours[environment[winner]]
    assert git(loser, "rev-parse", "HEAD").strip() == ours[loser]  # the loser's work is still in its clone
    git(loser, "pull", "-q", "--rebase", "origin", "main")
    loser_account = next(account for account, clone in environment.items() if clone == loser)
    again = push(loser, loser_account, "HEAD:main")
    assert again.returncode == 0, again.stderr
    assert "县教育和体育局" in git(server.repo, "show", "main:2024/2024-J-015.yaml").split("沟通:")[1].split("- 日期: 2024-04-10")[1]
    assert "走访" in git(server.repo, "show", "main:2024/2024-J-016.yaml")
    # The loser's objects may stay behind, unreferenced (git keeps what passed the hook before its ref failed).
    assert git(server.repo, "fsck", "--no-progress", "--no-dangling") == ""


# --- the office ---------------------------------------------------------------------------------------------


def test_the_office_may_change_tiandz_yaml_and_use_the_new_rules_in_the_same_push(server):
    config = server.office / "tiandz.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("服务器:", "  - 名称: 县水务局\n    账号: shuiwu\n服务器:"),
                      encoding="utf-8")
    git(server.office, "commit", "-q", "-am", "新单位")
    path = server.office / "2024" / "2024-J-017.yaml"
    path.write_text(J017 + "交办:\n  日期: 2024-03-20\n  主办: [县水务局]\n", encoding="utf-8")
    git(server.office, "commit", "-q", "-am", "交办")
    result = push(server.office, "duchashi", "HEAD:main")
    assert result.returncode == 0, result.stderr
    assert server.main() == git(server.office, "rev-parse", "HEAD").strip()


def test_the_offices_items_must_pass_check(server):
    before = server.refs()
    path = server.office / "2024" / "2024-J-017.yaml"
    path.write_text(J017 + "交办:\n  日期: 2024-03-20\n  主办: [县无此局]\n", encoding="utf-8")
    git(server.office, "commit", "-q", "-am", "交办")
    short = git(server.office, "rev-parse", "--short=7", "HEAD").strip()
    refused(server, before, push(server.office, "duchashi", "HEAD:main"), f"拒绝：{short} 2024/2024-J-017.yaml：【通不过检查】")


def test_the_offices_broken_tiandz_yaml_is_refused_with_its_line(server):
    before = server.refs()
    config = server.office / "tiandz.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("年度: 2024", "年度: 二〇二四"), encoding="utf-8")
    git(server.office, "commit", "-q", "-am", "年度")
    short = git(server.office, "rev-parse", "--short=7", "HEAD").strip()
    result = push(server.office, "duchashi", "HEAD:main")
    refused(server, before, result, f"拒绝：{short} tiandz.yaml：【规则有误】第 2 行")
    assert "Traceback" not in result.stderr


def test_a_unit_may_not_put_a_submodule_where_an_item_is(server):
    unit, before = server.clone("jiaoti"), server.refs()
    path = "2024/2024-J-015.yaml"
    git(unit, "rm", "-q", "--cached", path)
    git(unit, "update-index", "--add", "--cacheinfo", f"160000,{git(unit, 'rev-parse', 'HEAD').strip()},{path}")
    git(unit, "commit", "-q", "-m", "x\n\n" + trailers("contact", "2024-J-015", JIAOTI))
    short = git(unit, "rev-parse", "--short=7", "HEAD").strip()
    result = push(unit, "jiaoti", "HEAD:main")
    refused(server, before, result, f"拒绝：{short} 2024/2024-J-015.yaml：【通不过检查】不是普通文件")
    assert "Traceback" not in result.stderr


def test_server_install_does_not_overwrite_a_foreign_hook(tmp_path):
    repo = tmp_path / "other.git"
    git(tmp_path, "init", "-q", "--bare", str(repo))
    hook = repo / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho mine\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tiandz", "server", "install", str(repo)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "已有别的 pre-receive 钩子，没有覆盖它" in result.stderr
    assert "Traceback" not in result.stderr
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho mine\n"


def test_server_install_with_identity_env_reads_the_account_from_that_variable(server):
    installed = subprocess.run([sys.executable, "-m", "tiandz", "server", "install", str(server.repo), "--identity-env", "TIANDZ_USER"],
                               capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    unit, before = server.clone("jiaoti"), server.refs()
    contact(unit)
    refused(server, before, push(unit, "jiaoti", "HEAD:main"), "拒绝：TIANDZ_USER：【推送者不明】环境变量 TIANDZ_USER 没有设置")
    result = subprocess.run(["git", "-C", str(unit), "push", "--receive-pack=env TIANDZ_USER=jiaoti git-receive-pack", "origin", "HEAD:main"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert server.main() == git(unit, "rev-parse", "HEAD").strip()


def test_the_hook_runs_without_typer_or_rich_and_says_its_refusal(server):
    # Every push on the server runs it: the command line's first stop (cli/quick.py) runs it without loading
    # Typer and rich, and refuses, in Chinese with exit 1, as the full command would: here a push with no account.
    main = server.main()
    probe = ("import json, sys\nsys.argv = ['tiandz', 'verify-push']\nfrom tiandz.cli.quick import run\n"
             "code = 0\ntry:\n    run()\nexcept SystemExit as exit:\n    code = exit.code\n"
             "sys.stderr.write('\\nPROBE ' + json.dumps({'code': code, 'modules': sorted(sys.modules)}))")
    environment = {key: value for key, value in os.environ.items() if key != "GL_USER"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=server.repo, input=f"{main} {main} refs/heads/main\n",
                            capture_output=True, text=True, env=environment)
    said, _, found = result.stderr.rpartition("PROBE ")
    found = json.loads(found)
    assert not {"typer", "rich", "importlib.metadata"} & set(found["modules"])
    assert found["code"] == 1 and "推送被整个拒绝" in said and "GL_USER" in said


def test_an_item_file_larger_than_any_item_is_refused_unread(server):
    # A unit cannot make the server read gigabytes into memory: a blob over the item limit is not read at all.
    unit, before = server.clone("jiaoti"), server.refs()
    commit_text(unit, "2024-J-015", CONTACT.format(unit=JIAOTI) + "# " + "长" * (2 * 1024 * 1024) + "\n",
                "走访\n\n" + trailers("contact", "2024-J-015", JIAOTI))
    result = push(unit, "jiaoti", "HEAD:main")
    assert result.returncode != 0
    assert "大于 4 MB" in result.stderr
    assert server.refs() == before


# --- what no clone may check out, and what the server will not read -------------------------------------------


def git_input(root: Path, text: str, *arguments: str) -> str:
    return subprocess.run(["git", "-C", str(root), *arguments], input=text, check=True, capture_output=True,
                          text=True).stdout.strip()


def tree_with(clone: Path, tree: str | None, parts: list[str], leaf: str) -> str:
    """`tree` (None: an empty one) with the entry `leaf` ("mode type id") put at the path `parts`, made by
    `git mktree`, which, unlike `git add`, takes any name (`.git`, `..`)."""
    entries = git(clone, "ls-tree", tree).splitlines() if tree else []
    below = next((line.split()[2] for line in entries if line.split("\t", 1)[1] == parts[0] and " tree " in line), None)
    entries = [line for line in entries if line.split("\t", 1)[1] != parts[0]]
    entry = leaf if len(parts) == 1 else "040000 tree " + tree_with(clone, below, parts[1:], leaf)
    return git_input(clone, "\n".join([*entries, f"{entry}\t{parts[0]}"]) + "\n", "mktree")


def commit_entry(clone: Path, path: str, content: str, mode: str, message: str) -> str:
    """A commit on HEAD putting this content at any path with any mode, HEAD moved to it; its short id."""
    blob = git_input(clone, content, "hash-object", "-w", "--stdin")
    tree = tree_with(clone, git(clone, "rev-parse", "HEAD^{tree}").strip(), path.split("/"), f"{mode} blob {blob}")
    commit = git_input(clone, message, "commit-tree", tree, "-p", "HEAD")
    git(clone, "update-ref", "HEAD", commit)
    return commit[:7]


def test_a_unit_may_not_push_an_item_as_a_symlink(server):
    # The link's target is the item's text with a new contact: read as a file it passes every rule, but a clone
    # would check out a symlink (a file elsewhere, or nothing) where the item is.
    unit, before = server.clone("jiaoti"), server.refs()
    text = J015 + CONTACT.format(unit=JIAOTI)
    short = commit_entry(unit, "2024/2024-J-015.yaml", text, "120000", "走访\n\n" + trailers("contact", "2024-J-015", JIAOTI))
    refused(server, before, push(unit, "jiaoti", "HEAD:main"),
            f"拒绝：{short} 2024/2024-J-015.yaml：【通不过检查】不是普通文件（文件模式 120000")
    assert git(server.repo, "show", "main:2024/2024-J-015.yaml") == J015


def test_the_office_may_push_an_item_as_an_executable_file(server):
    # A step's journal accepts 100755 as a plain file; so does the guard.
    text = J017 + "交办:\n  日期: 2024-03-20\n  主办: [县交通运输局]\n"
    commit_entry(server.office, "2024/2024-J-017.yaml", text, "100755", "交办")
    result = push(server.office, "duchashi", "HEAD:main")
    assert result.returncode == 0, result.stderr
    assert server.main() == git(server.office, "rev-parse", "HEAD").strip()


@pytest.mark.parametrize("path", [".git/hooks/post-checkout", ".Git. /config", "../outside.yaml", "2024/./2024-J-018.yaml"])
def test_nobody_may_push_a_path_into_git_or_out_of_the_ledger(server, path):
    before = server.refs()
    short = commit_entry(server.office, path, "#!/bin/sh\n", "100755", "钩子")
    refused(server, before, push(server.office, "duchashi", "HEAD:main"), f"拒绝：{short} {path}：【路径不安全】")


def guard_in_process(server: Server, clone: Path, account: str, monkeypatch) -> list[str]:
    """The guard run here, as the hook runs it, on the clone's HEAD as the new main: the pushed objects in an
    alternate object directory, as git's quarantine gives them to the hook (so a module constant can be set)."""
    from tiandz.ops.verifypush import Update, verify_push

    monkeypatch.setenv("GIT_ALTERNATE_OBJECT_DIRECTORIES", str(clone / ".git" / "objects"))
    update = Update(server.main(), git(clone, "rev-parse", "HEAD").strip(), "refs/heads/main")
    return verify_push(server.repo, [update], {"GL_USER": account})


def test_the_blobs_of_a_push_are_read_only_within_a_budget(server, monkeypatch):
    # Many files each under the item limit could still fill the server's memory: past the budget none is read.
    from tiandz.ledger import pushed

    unit, before = server.clone("jiaoti"), server.refs()
    short = commit_text(unit, "2024-J-015", CONTACT.format(unit=JIAOTI) + "# " + "长" * 4000 + "\n",
                        "走访\n\n" + trailers("contact", "2024-J-015", JIAOTI))
    assert guard_in_process(server, unit, "jiaoti", monkeypatch) == []
    monkeypatch.setattr(pushed, "BUDGET", 4096)  # the commit and the item as it was fit; the new 12 KB does not
    lines = guard_in_process(server, unit, "jiaoti", monkeypatch)
    assert f"拒绝：{short} 2024/2024-J-015.yaml：【通不过检查】不是普通文件（子模块等），或大于 4 MB" in lines
    assert server.refs() == before


def test_a_commit_object_over_the_limit_is_refused_unread(server, monkeypatch):
    from tiandz.ledger import pushed

    unit, before = server.clone("jiaoti"), server.refs()
    short = contact(unit)
    monkeypatch.setattr(pushed, "COMMIT_LIMIT", 64)
    lines = guard_in_process(server, unit, "jiaoti", monkeypatch)
    assert [line for line in lines if line.startswith(f"拒绝：{short}：【提交过大】提交对象大于")] == lines != []
    assert server.refs() == before
