"""tiandz as a library: README's example runs as written, and the API does what the command line does.

A script gets the same refusals (TiandzError with problems), the same commits and the same figures as a
clerk at the terminal, because the command line is a thin layer over these very functions.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tiandz import api

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ledger"


@pytest.fixture
def example(tmp_path):
    """A copy of the example ledger in a git repository of its own."""
    root = tmp_path / "台账"
    shutil.copytree(EXAMPLE, root)
    for arguments in (["init", "-q"], ["add", "."], ["-c", "user.name=测试员", "-c", "user.email=t@example.org", "commit", "-qm", "示例"]):
        subprocess.run(["git", "-C", str(root), *arguments], check=True, capture_output=True)
    subprocess.run(["git", "-C", str(root), "config", "user.name", "测试员"], check=True)
    subprocess.run(["git", "-C", str(root), "config", "user.email", "t@example.org"], check=True)
    return root


def readme_python() -> str:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    assert blocks, "README has no Python example"
    return "\n".join(line[2:] if line.startswith("  ") else line for line in blocks[0].splitlines())


def test_the_readme_example_runs_as_written_and_makes_one_commit(example, monkeypatch):
    monkeypatch.chdir(example.parent)
    code = readme_python().replace('"J-15"', '"J-7"').replace('date="2024-04-02"', 'date="2026-05-20"')
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # our own README, as a reader would paste it
    assert [row.id for row in namespace["late"]] == [row.id for row in api.list_items(api.open_ledger(example), api.Filter(overdue=True)).rows]
    assert namespace["late"], "the example ledger has overdue items"
    subjects = subprocess.run(["git", "-C", str(example), "log", "--format=%s"], capture_output=True, text=True).stdout.splitlines()
    assert subjects[0].startswith("沟通 2026-J-007") and len(subjects) == 2
    assert namespace["report"].to_json()["rates"] == api.build_report(api.open_ledger(example)).to_json()["rates"]


def test_a_refusal_reaches_a_script_as_problems_and_changes_nothing(example):
    ledger = api.open_ledger(example)
    before = (example / "2026" / "2026-J-007.yaml").read_bytes()
    with pytest.raises(api.TiandzError) as refused:
        api.contact(ledger, "J-7", method="飞鸽传书", date="2026-05-20")
    assert refused.value.problems[0].field == "--by" and "飞鸽传书" in refused.value.problems[0].message
    assert (example / "2026" / "2026-J-007.yaml").read_bytes() == before


def test_every_name_of_the_api_has_a_docstring_or_is_a_type():
    undocumented = [name for name in api.__all__ if not (getattr(api, name).__doc__ or "").strip()]
    assert undocumented == []
