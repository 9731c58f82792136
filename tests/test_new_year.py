"""A new year: `tiandz init 台账2026 --from 台账2025` keeps the office's units, signers, phones, 领域, 分类, 时限,
规则, templates and notes, leaves the items behind, moves 年度 on and commits."""

from __future__ import annotations

import yaml_rs
from conftest import ANSWERED, CONFIG, git

OLD_CONFIG = "# 本县的台账配置\n" + CONFIG + """\
领域: [教育, 交通, 其他]
分类:
  甲: 已解决
  乙: 正在解决
  丙: 留作参考
已解决类别: [甲]
时限:
  答复: 2个月
规则:
  答复前须沟通: false
"""


def test_a_new_year_carries_the_offices_settings_templates_and_notes_but_not_the_items(ledger_dir, tmp_path, cli):
    ledger_dir.write("tiandz.yaml", OLD_CONFIG)
    ledger_dir.item(ANSWERED.replace("类别: B", "类别: 乙"))
    ledger_dir.write("templates/答复函.j2", "{% block 结尾 %}特此答复。{% endblock %}\n")
    ledger_dir.write("notes/主要做法.md", "一是健全制度。\n")
    ledger_dir.commit_all()
    new = tmp_path / "台账2025"
    result = cli("init", new, "--from", ledger_dir.root)
    assert result.code == 0, result.err
    config = yaml_rs.loads((new / "tiandz.yaml").read_text(encoding="utf-8"), parse_datetime=False)
    old = yaml_rs.loads(OLD_CONFIG, parse_datetime=False)
    assert config["年度"] == 2025
    for key in ("机关", "承办单位", "领域", "分类", "已解决类别", "时限", "规则"):
        assert config[key] == old[key], key
    assert config["承办单位"][0]["签发人"] == "王五" and config["承办单位"][0]["电话"] == "0937-1234567"
    assert config["届次"] == {"建议": "", "提案": ""} and "届次" in result.out
    assert (new / "tiandz.yaml").read_text(encoding="utf-8").startswith("# 本县的台账配置\n")
    assert (new / "templates/答复函.j2").read_bytes() == (ledger_dir.root / "templates/答复函.j2").read_bytes()
    assert (new / "notes/主要做法.md").read_bytes() == (ledger_dir.root / "notes/主要做法.md").read_bytes()
    assert (new / "2025").is_dir() and not (new / "2024").exists()
    subjects = git(new, "log", "--format=%s").splitlines()
    assert len(subjects) == 1 and subjects[0].startswith("新建台账") and "2025" in subjects[0]
    assert git(new, "status", "--porcelain") == ""
    tracked = set(git(new, "-c", "core.quotePath=false", "ls-files").splitlines())
    assert {"tiandz.yaml", ".gitignore", "templates/答复函.j2", "notes/主要做法.md"} <= tracked
    assert cli("check", "--ledger", new).code == 0
    # the old ledger is untouched
    assert (ledger_dir.root / "tiandz.yaml").read_text(encoding="utf-8") == OLD_CONFIG
    assert git(ledger_dir.root, "status", "--porcelain") == ""


def test_a_folder_that_is_no_ledger_is_refused_and_nothing_is_made(tmp_path, cli):
    (tmp_path / "旧").mkdir()
    result = cli("init", tmp_path / "新", "--from", tmp_path / "旧")
    assert result.code == 1 and "不是台账" in result.err
    assert not (tmp_path / "新").exists()
