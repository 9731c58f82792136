"""A city's day on one ledger, end to end, as its people type it (spec/offices.md; README "多人合用一个台账").

The IT person puts the ledger on a server and installs the guard (`tiandz server install`); the office and
the units clone it (`tiandz clone --office` / `--unit`); a unit records its contact and sends it
(`tiandz sync`, pushing as its account); the office takes it, decides a unit's request and sends that.
Every command runs as a separate `python -m tiandz` process, as a clerk runs it; the assertions are on the
server's branch, the files and the commits' trailers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from clones import J15_PATH, make_server, trailers
from conftest import CONFIG, git

ACCOUNTS = CONFIG.replace("    文号: 教体函\n", "    文号: 教体函\n    账号: jiaoti\n", 1).replace(
    "  - 名称: 县公安局\n", "  - 名称: 县公安局\n    账号: gongan\n", 1
) + "服务器:\n  身份变量: GL_USER\n  机关账号: [duchashi]\n"


def tiandz(folder: Path, *arguments: str, account: str | None = None) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in ("TIANDZ_LEDGER", "GL_USER")}
    if account:
        environment["GL_USER"] = account
    return subprocess.run([sys.executable, "-m", "tiandz", *arguments], cwd=folder, capture_output=True, text=True,
                          env=environment)


@pytest.fixture
def city(tmp_path):
    server = make_server(tmp_path)
    source = tmp_path / "源"
    (source / "tiandz.yaml").write_text(ACCOUNTS, encoding="utf-8")
    git(source, "commit", "-qam", "账号")
    git(source, "push", "-q", str(server), "main")
    installed = tiandz(tmp_path, "server", "install", str(server))
    assert installed.returncode == 0, installed.stderr
    clones = {}
    for name, role in (("督查室", ["--office"]), ("教体局", ["--unit", "教体局"]), ("公安局", ["--unit", "公安局"])):
        made = tiandz(tmp_path, "clone", str(server), name, *role)
        assert made.returncode == 0, made.stderr + made.stdout
        clones[name] = tmp_path / name
    return server, clones


def server_main(server: Path) -> str:
    return git(server, "rev-parse", "refs/heads/main").strip()


def test_a_unit_records_a_contact_and_the_office_sees_it_after_sync(city):
    server, clones = city
    unit, office = clones["教体局"], clones["督查室"]
    assert "县教育和体育局" in tiandz(unit, "whoami").stdout
    done = tiandz(unit, "contact", "J-15", "--by", "电话", "--person", "赵六", "--note", "了解建议主旨", "--date", "2024-04-02")
    assert done.returncode == 0, done.stderr + done.stdout
    assert trailers(unit)["Tiandz-Unit"] == "县教育和体育局"

    sent = tiandz(unit, "sync", account="jiaoti")
    assert sent.returncode == 0, sent.stderr + sent.stdout
    assert server_main(server) == git(unit, "rev-parse", "HEAD").strip()

    taken = tiandz(office, "sync", account="duchashi")
    assert taken.returncode == 0, taken.stderr + taken.stdout
    assert "了解建议主旨" in (office / J15_PATH).read_text(encoding="utf-8")
    assert git(office, "status", "--porcelain") == ""
    assert tiandz(office, "check").returncode == 0


def test_contacts_of_two_units_on_one_item_both_reach_everyone(city):
    server, clones = city
    for name, note in (("教体局", "主办走访"), ("公安局", "协办电话联系")):
        done = tiandz(clones[name], "contact", "J-15", "--by", "电话", "--note", note, "--date", "2024-04-03")
        assert done.returncode == 0, done.stderr + done.stdout
    assert tiandz(clones["教体局"], "sync", account="jiaoti").returncode == 0
    second = tiandz(clones["公安局"], "sync", account="gongan")  # its commit now goes on top of 教体局's
    assert second.returncode == 0, second.stderr + second.stdout
    assert tiandz(clones["教体局"], "sync", account="jiaoti").returncode == 0
    on_server = git(server, "show", f"main:{J15_PATH}")
    assert on_server.count("主办走访") == 1 and on_server.count("协办电话联系") == 1
    assert (clones["教体局"] / J15_PATH).read_text(encoding="utf-8") == on_server
    assert git(server, "rev-list", "--merges", "main") == ""


def test_a_unit_pushing_under_another_units_account_is_refused_and_keeps_its_work(city):
    server, clones = city
    unit = clones["教体局"]
    assert tiandz(unit, "contact", "J-15", "--by", "电话", "--note", "沟通", "--date", "2024-04-02").returncode == 0
    before, mine = server_main(server), git(unit, "rev-parse", "HEAD").strip()
    refused = tiandz(unit, "sync", account="gongan")
    assert refused.returncode == 1
    assert "拒绝" in refused.stdout + refused.stderr
    assert server_main(server) == before
    assert git(unit, "rev-parse", "HEAD").strip() == mine  # kept for the next sync
    assert tiandz(unit, "sync", account="jiaoti").returncode == 0
    assert server_main(server) != before


def test_a_units_request_is_decided_by_the_office_and_the_decision_comes_back(city):
    server, clones = city
    unit, office = clones["教体局"], clones["督查室"]
    asked = tiandz(unit, "extend", "J-15", "--to", "2024-07-20", "--reason", "涉及跨部门协调", "--date", "2024-06-01")
    assert asked.returncode == 0, asked.stderr + asked.stdout
    assert trailers(unit)["Tiandz-Step"] == "extend-request"
    assert tiandz(unit, "sync", account="jiaoti").returncode == 0
    assert tiandz(office, "sync", account="duchashi").returncode == 0
    decided = tiandz(office, "extend", "J-15", "--to", "2024-07-20", "--reason", "同意", "--date", "2024-06-03")
    assert decided.returncode == 0, decided.stderr + decided.stdout
    assert tiandz(office, "sync", account="duchashi").returncode == 0
    assert tiandz(unit, "sync", account="jiaoti").returncode == 0
    text = (unit / J15_PATH).read_text(encoding="utf-8")
    assert "处理: 同意" in text and "至: 2024-07-20" in text


def test_the_units_own_clone_refuses_the_offices_steps_before_the_server_has_to(city):
    server, clones = city
    unit = clones["教体局"]
    before = git(unit, "rev-parse", "HEAD").strip()
    refused = tiandz(unit, "close", "J-15")
    assert refused.returncode == 1
    assert "交办机关" in refused.stdout + refused.stderr
    assert git(unit, "rev-parse", "HEAD").strip() == before
    assert git(unit, "status", "--porcelain") == ""
