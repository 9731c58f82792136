"""Roles in a clone (spec/offices.md "Who is who", "What each may do").

`tiandz clone URL [DIR] --unit U | --office` makes a clone of the city's ledger and records whose it is in
the clone's git config; `whoami` says and changes it. A unit's clone records its own unit's work only and
refuses the office's steps; a clone whose role was never said refuses every writing step; every refusal
leaves HEAD, `git status` and every file as they were. Commits say who made them in their trailers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clones import J15_PATH, T3_PATH, clone_as, identify, make_server, message, snapshot, trailers
from conftest import git

from tiandz.ledger.commitgraph import covers_head


@pytest.fixture
def server(tmp_path: Path) -> Path:
    return make_server(tmp_path)


# clone and whoami


def test_clone_for_a_unit_records_its_full_name_and_registers_the_merge_driver(cli, server, tmp_path):
    folder = tmp_path / "教体局台账"
    result = cli("clone", server, folder, "--unit", "教体局")
    assert result.code == 0, result.err
    assert (folder / J15_PATH).is_file()
    assert git(folder, "config", "tiandz.unit").strip() == "县教育和体育局"
    assert "tiandz.office" not in git(folder, "config", "--list")
    assert "merge-driver" in git(folder, "config", "merge.tiandz.driver")
    attributes = Path(git(folder, "rev-parse", "--git-path", "info/attributes").strip())
    attributes = attributes if attributes.is_absolute() else folder / attributes
    assert "20*/*.yaml merge=tiandz" in attributes.read_text(encoding="utf-8")
    assert git(folder, "status", "--porcelain") == ""  # nothing committed-looking: the role is not a file
    said = cli("whoami", "--ledger", folder)
    assert said.code == 0 and "县教育和体育局的副本" in said.out
    assert covers_head(folder)  # the commit-graph `log` walks with is there from the start


def test_clone_for_the_office_and_whoami_changes_the_role(cli, server, tmp_path):
    folder = clone_as(cli, server, tmp_path / "督查室", "--office")
    assert git(folder, "config", "tiandz.office").strip() == "true"
    assert "交办机关的副本" in cli("whoami", "--ledger", folder).out
    changed = cli("whoami", "--unit", "公安局", "--ledger", folder)
    assert changed.code == 0, changed.err
    assert "县公安局的副本" in changed.out
    assert git(folder, "config", "tiandz.unit").strip() == "县公安局"
    assert "tiandz.office" not in git(folder, "config", "--list")
    back = cli("whoami", "--office", "--ledger", folder)
    assert back.code == 0 and "交办机关的副本" in back.out
    assert "tiandz.unit" not in git(folder, "config", "--list")


def test_clone_with_an_unknown_unit_says_did_you_mean_and_leaves_nothing(cli, server, tmp_path):
    folder = tmp_path / "新台账"
    result = cli("clone", server, folder, "--unit", "县教育和体育")
    assert result.code == 1
    assert "不是 tiandz.yaml 中的承办单位" in result.err and "县教育和体育局" in result.err
    assert not folder.exists()


def test_clone_into_an_empty_folder_that_fails_leaves_the_folder_empty(cli, server, tmp_path):
    folder = tmp_path / "空文件夹"
    folder.mkdir()
    result = cli("clone", server, folder, "--unit", "不存在的局")
    assert result.code == 1
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_clone_of_an_unreachable_url_is_refused_in_chinese(cli, tmp_path):
    folder = tmp_path / "台账"
    result = cli("clone", tmp_path / "没有这个仓库.git", folder, "--office")
    assert result.code == 1
    assert "无法从" in result.err and "克隆台账" in result.err and "Traceback" not in result.err
    assert not folder.exists()


def test_clone_into_a_folder_that_is_not_empty_is_refused_and_touches_nothing(cli, server, tmp_path):
    folder = tmp_path / "已有"
    folder.mkdir()
    (folder / "笔记.txt").write_text("别动", encoding="utf-8")
    result = cli("clone", server, folder, "--office")
    assert result.code == 1
    assert "不是空文件夹" in result.err
    assert [path.name for path in folder.iterdir()] == ["笔记.txt"]
    assert (folder / "笔记.txt").read_text(encoding="utf-8") == "别动"


def test_clone_needs_exactly_one_role(cli, server, tmp_path):
    folder = tmp_path / "台账"
    neither = cli("clone", server, folder)
    assert neither.code == 1 and "--unit" in neither.err and "--office" in neither.err
    both = cli("clone", server, folder, "--unit", "教体局", "--office")
    assert both.code == 1 and "只能选一个" in both.err
    assert not folder.exists()


def test_clone_of_a_repository_that_is_no_ledger_is_refused_and_removed(cli, tmp_path):
    other = tmp_path / "其他"
    other.mkdir()
    (other / "说明.txt").write_text("不是台账", encoding="utf-8")
    git(other, "init", "-q")
    git(other, "add", "-A")
    git(other, "-c", "user.name=某人", "-c", "user.email=a@example.org", "commit", "-q", "-m", "x")
    folder = tmp_path / "台账"
    result = cli("clone", other, folder, "--office")
    assert result.code == 1 and "不是 tiandz 台账" in result.err
    assert not folder.exists()


# a clone whose role was never said


def test_a_plain_git_clone_refuses_every_writing_step_with_the_whoami_hint(cli, server, tmp_path):
    folder = tmp_path / "裸克隆"
    git(tmp_path, "clone", "-q", str(server), str(folder))
    identify(folder, "某人")
    before = snapshot(folder)
    for arguments in (
        ("contact", "J-15", "--by", "电话", "--date", "2024-04-02"),
        ("assign", "J-15", "--lead", "公安局", "--reason", "改办", "--date", "2024-03-25"),
        ("new", "--type", "建议", "--title", "关于某事的建议", "--proposer", "张三", "--date", "2024-01-20"),
    ):
        result = cli(*arguments, "--ledger", folder)
        assert result.code == 1, arguments
        assert "tiandz whoami --unit" in result.err and "--office" in result.err, arguments
        assert snapshot(folder) == before, arguments
    assert "尚未说明属于谁" in cli("whoami", "--ledger", folder).out
    assert cli("show", "J-15", "--ledger", folder).code == 0  # reading stays allowed
    assert cli("check", "--ledger", folder).code == 0


# what a unit's clone may not do


OFFICE_STEPS = {
    "登记新件": ("new", "--type", "建议", "--title", "关于某事的建议", "--proposer", "张三", "--date", "2024-01-20"),
    "交办、改办": ("assign", "J-15", "--lead", "公安局", "--reason", "职责调整", "--date", "2024-03-25"),
    "重点督办": ("key", "J-15", "--leader", "李副县长"),
    "登记评价": ("feedback", "J-15", "--result", "满意", "--date", "2024-06-20"),
    "类别转化": ("convert", "J-15", "--to", "A", "--note", "已完成"),
    "办结": ("close", "J-15", "--date", "2024-07-01"),
    "撤销": ("undo", "J-15", "--reason", "录错"),
    "手工修改条目": ("edit", "J-15", "--reason", "改正", "--keep"),
    "批量生成答复函": ("letter", "--all"),
}


@pytest.mark.parametrize(("what", "arguments"), OFFICE_STEPS.items(), ids=[arguments[0] for arguments in OFFICE_STEPS.values()])
def test_a_unit_clone_refuses_the_office_steps_and_writes_nothing(cli, server, tmp_path, what, arguments):
    folder = clone_as(cli, server, tmp_path / "教体局", "--unit", "教体局")
    before = snapshot(folder)
    result = cli(*arguments, "--ledger", folder)
    assert result.code == 1, result.out
    assert what in result.err and "由交办机关办理，县教育和体育局的副本不能办理" in result.err
    assert snapshot(folder) == before
    assert not (folder / "out").exists()


def test_a_unit_clone_refuses_an_import(cli, server, tmp_path):
    folder = clone_as(cli, server, tmp_path / "教体局", "--unit", "教体局")
    sheet = tmp_path / "清单.csv"
    sheet.write_text("案号,标题,提出人,提出日期\n20,关于某事的建议,张三,2024-01-20\n", encoding="utf-8")
    before = snapshot(folder)
    result = cli("import", sheet, "--type", "建议", "--ledger", folder)
    assert result.code == 1
    assert "导入（import）由交办机关办理" in result.err
    assert snapshot(folder) == before


# what a unit's clone does: its own unit's work, committed with Tiandz-Unit


def test_a_unit_records_its_own_contact_by_default_and_the_commit_names_the_unit(cli, server, tmp_path):
    folder = clone_as(cli, server, tmp_path / "公安局", "--unit", "公安局")
    result = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-02", "--ledger", folder)
    assert result.code == 0, result.err
    text = (folder / J15_PATH).read_text(encoding="utf-8")
    assert "单位: 县公安局" in text  # the clone's own unit, though J-15's only 主办 is 教体局
    assert trailers(folder) == {"Tiandz-Step": "contact", "Tiandz-Item": "2024-J-015", "Tiandz-Unit": "县公安局"}
    assert git(folder, "status", "--porcelain") == ""


def test_a_unit_may_not_record_another_units_work(cli, server, tmp_path):
    folder = clone_as(cli, server, tmp_path / "公安局", "--unit", "公安局")
    before = snapshot(folder)
    result = cli("contact", "J-15", "--by", "电话", "--unit", "教体局", "--date", "2024-04-02", "--ledger", folder)
    assert result.code == 1
    assert "这是县公安局的副本，不能替县教育和体育局办理" in result.err
    assert snapshot(folder) == before


def test_a_unit_may_not_touch_an_item_it_does_not_handle(cli, server, tmp_path):
    folder = clone_as(cli, server, tmp_path / "公安局", "--unit", "公安局")
    before = snapshot(folder)
    result = cli("contact", "T-3", "--by", "电话", "--date", "2024-04-02", "--ledger", folder)
    assert result.code == 1
    assert "县公安局不是 2024-T-003 的承办单位" in result.err
    assert snapshot(folder) == before
    assert (folder / T3_PATH).read_bytes() == before[2][T3_PATH]


def test_only_the_co_unit_writes_an_opinion_and_only_the_lead_unit_answers(cli, server, tmp_path):
    police = clone_as(cli, server, tmp_path / "公安局", "--unit", "公安局")
    opinion = tmp_path / "意见.txt"
    opinion.write_text("建议增设信号灯。", encoding="utf-8")
    answer = tmp_path / "答复.txt"
    answer.write_text("经研究，答复如下。", encoding="utf-8")
    before = snapshot(police)
    refused = cli("reply", "J-15", "--category", "B", "--text-file", answer, "--date", "2024-04-10", "--ledger", police)
    assert refused.code == 1 and "县公安局是 2024-J-015 的协办单位，主办单位才能登记答复" in refused.err
    assert snapshot(police) == before
    done = cli("opinion", "J-15", "--text-file", opinion, "--date", "2024-04-10", "--ledger", police)
    assert done.code == 0, done.err
    assert trailers(police)["Tiandz-Unit"] == "县公安局"

    education = clone_as(cli, server, tmp_path / "教体局", "--unit", "教体局")
    before = snapshot(education)
    refused = cli("opinion", "J-15", "--text-file", opinion, "--date", "2024-04-10", "--ledger", education)
    assert refused.code == 1 and "县教育和体育局是 2024-J-015 的主办单位，主办单位应答复" in refused.err
    assert snapshot(education) == before
    assert cli("contact", "J-15", "--by", "面商", "--date", "2024-04-02", "--ledger", education).code == 0
    done = cli("reply", "J-15", "--category", "B", "--text-file", answer, "--promise", "改造校门口@2025-12-31",
               "--date", "2024-04-12", "--ledger", education)
    assert done.code == 0, done.err
    assert trailers(education) == {"Tiandz-Step": "reply", "Tiandz-Item": "2024-J-015", "Tiandz-Unit": "县教育和体育局"}
    promised = cli("promise", "J-15", "--done", "1", "--date", "2024-12-01", "--ledger", education)
    assert promised.code == 0, promised.err
    assert "完成: 2024-12-01" in (education / J15_PATH).read_text(encoding="utf-8")
    assert trailers(education)["Tiandz-Step"] == "promise" and trailers(education)["Tiandz-Unit"] == "县教育和体育局"


# the office's clone: everything, and work recorded for a unit says so


def test_the_office_recording_a_units_work_says_on_whose_behalf(cli, server, tmp_path):
    folder = clone_as(cli, server, tmp_path / "督查室", "--office")
    result = cli("contact", "J-15", "--by", "电话", "--unit", "公安局", "--date", "2024-04-02", "--ledger", folder)
    assert result.code == 0, result.err
    assert trailers(folder) == {"Tiandz-Step": "contact", "Tiandz-Item": "2024-J-015", "Tiandz-On-Behalf-Of": "县公安局"}
    assigned = cli("assign", "T-3", "--lead", "教体局", "--reason", "职责调整", "--date", "2024-03-25", "--ledger", folder)
    assert assigned.code == 0, assigned.err
    said = message(folder)
    assert "Tiandz-On-Behalf-Of" not in said and "Tiandz-Unit" not in said


def test_a_ledger_alone_works_as_before_with_no_role(ledger_dir, cli):
    from conftest import ASSIGNED

    ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    assert "独自使用" in cli("whoami", "--ledger", ledger_dir.root).out
    result = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-02", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert "Tiandz-Unit" not in message(ledger_dir.root)


# the role is read from the clone's config file, as git reads it, without a git process


def test_the_role_read_from_the_config_file_agrees_with_git(cli, server, tmp_path):
    from tiandz.ledger.gitconfig import parse_config
    from tiandz.ledger.role import Role, read_role

    folder = clone_as(cli, server, tmp_path / "教体局", "--unit", "教体局")
    assert read_role(folder) == Role("unit", "县教育和体育局")
    git(folder, "config", "tiandz.unit", '带 "引号" 的单位 ; 不是注释')
    assert read_role(folder) == Role("unit", git(folder, "config", "tiandz.unit").strip())
    git(folder, "config", "--unset", "tiandz.unit")
    assert read_role(folder) == Role("unknown")
    git(folder, "config", "tiandz.office", "yes")
    assert read_role(folder) == Role("office")
    # What the reader does not follow is left to git: an include, a continued line, per-worktree config.
    assert parse_config('[include]\n\tpath = other\n') is None
    assert parse_config('[tiandz]\n\tunit = a \\\n b\n') is None
    assert parse_config('[extensions]\n\tworktreeConfig = true\n') is None
    assert parse_config('[Tiandz]\n\tUnit = "县公安局" # 注释\n[remote "origin"]\n\turl = x\n') == {
        "tiandz.unit": "县公安局", "remote.origin.url": "x"}
    included = tmp_path / "more.config"
    included.write_text("[tiandz]\n\tunit = 县公安局\n", encoding="utf-8")
    git(folder, "config", "--unset", "tiandz.office")
    git(folder, "config", "include.path", str(included))
    assert read_role(folder) == Role("unit", "县公安局")  # git itself was asked
