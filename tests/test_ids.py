"""IDs go into paths: a typed ID is parsed strictly before any path is built (spec/ledger.md, spec/cli.md).

An 编号 is `YYYY-[JT]-NNN` or `YYYY-[JT]-NNNN`, in ASCII; the current year's items may be named by a short
form (`J-15`, `j15`, `2024-J-15`) when that stands for exactly one existing file. Anything else is refused
with a Chinese message, by the core (`Ledger.resolve_id` raises TiandzError) and by the CLI (exit 1, no
traceback).
"""

from __future__ import annotations

import pytest
from conftest import ITEM

from tiandz.core.ids import ItemId
from tiandz.core.problems import Problem, TiandzError
from tiandz.ledger.folder import Ledger

NOT_IDS = [
    "../../x",
    "2024-J-001;rm",
    "/etc/passwd",
    "2024-X-001",
    "J-0",
    "2024/2024-J-015.yaml",
    "2024-J-015.yaml",
    "2024-J-015/../../../x",
    "2024-J-00015",
    "24-J-015",
    "J-",
    "",
    "２０２４-J-０１５",  # full-width digits: an 编号 is ASCII, it goes into paths and shell commands
    "2024-J-٠١٥",  # Arabic-Indic digits
]


@pytest.fixture
def path_spy(monkeypatch) -> list:
    """Records every path Ledger builds from an ID, so a test can say none was built."""
    built: list = []
    original = Ledger.item_path

    def item_path(self, item_id):
        built.append(str(item_id))
        return original(self, item_id)

    monkeypatch.setattr(Ledger, "item_path", item_path)
    return built


# --- refused before any path is built ---------------------------------------------------------------------


@pytest.mark.parametrize("typed", NOT_IDS)
def test_anything_that_is_not_an_id_is_refused_before_any_path_is_built(ledger_dir, path_spy, typed):
    ledger_dir.item(ITEM)
    with pytest.raises(TiandzError) as refused:
        ledger_dir.ledger().resolve_id(typed)
    assert refused.value.problems == [
        Problem("", None, "", f"“{typed}”不是编号", "编号形如 2024-J-015，本年度可简写为 J-15"),
    ]
    assert path_spy == []


def test_the_refusal_reads_as_one_chinese_line(ledger_dir):
    with pytest.raises(TiandzError) as refused:
        ledger_dir.ledger().resolve_id("../../x")
    assert str(refused.value) == "“../../x”不是编号（编号形如 2024-J-015，本年度可简写为 J-15）"


@pytest.mark.parametrize("typed", ["../../x", "2024-J-001;rm", "/etc/passwd", "2024-X-001", "J-0"])
def test_show_refuses_what_is_not_an_id_with_exit_1_and_no_traceback(ledger_dir, cli, typed):
    ledger_dir.item(ITEM)
    result = cli("show", typed, "--ledger", ledger_dir.root)
    assert result.code == 1
    assert result.err.splitlines() == [f"“{typed}”不是编号（编号形如 2024-J-015，本年度可简写为 J-15）"]
    assert result.out == ""
    assert "Traceback" not in result.err
    assert "内部错误" not in result.err


# --- short forms ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["2024-J-015", "J-15", "j15", "J15", "j-15", "2024-J-15", "J-015", " J-15 "])
def test_short_forms_resolve_to_the_existing_item(ledger_dir, typed):
    ledger_dir.item(ITEM)
    assert ledger_dir.ledger().resolve_id(typed) == ItemId(2024, "J", "015")
    assert str(ledger_dir.ledger().resolve_id(typed)) == "2024-J-015"


def test_a_short_form_takes_the_year_of_the_ledger(ledger_dir):
    ledger_dir.item(ITEM)
    ledger_dir.item(ITEM.replace("2024-J-015", "2023-J-015"))
    assert str(ledger_dir.ledger().resolve_id("J-15")) == "2024-J-015"
    assert str(ledger_dir.ledger().resolve_id("2023-J-15")) == "2023-J-015"


def test_a_short_form_finds_a_four_digit_item(ledger_dir):
    ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-1015"))
    assert str(ledger_dir.ledger().resolve_id("J-1015")) == "2024-J-1015"


def test_a_short_form_is_ambiguous_when_both_widths_exist(ledger_dir):
    ledger_dir.item(ITEM)
    ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-0015"))
    with pytest.raises(TiandzError) as refused:
        ledger_dir.ledger().resolve_id("J-15")
    assert refused.value.problems == [
        Problem("", None, "", "“J-15”有歧义：2024-J-0015、2024-J-015", "请写完整编号"),
    ]


def test_the_full_id_is_never_ambiguous(ledger_dir):
    ledger_dir.item(ITEM)
    ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-0015"))
    assert str(ledger_dir.ledger().resolve_id("2024-J-015")) == "2024-J-015"
    assert str(ledger_dir.ledger().resolve_id("2024-J-0015")) == "2024-J-0015"


def test_show_names_both_candidates_when_ambiguous(ledger_dir, cli):
    ledger_dir.item(ITEM)
    ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-0015"))
    result = cli("show", "J-15", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert result.err.splitlines() == ["“J-15”有歧义：2024-J-0015、2024-J-015（请写完整编号）"]


def test_a_missing_item_names_the_usual_three_digit_id(ledger_dir):
    with pytest.raises(TiandzError) as refused:
        ledger_dir.ledger().resolve_id("J-16")
    assert refused.value.problems == [
        Problem("2024/2024-J-016.yaml", None, "", "找不到 2024-J-016", "tiandz list 可列出全部编号"),
    ]


def test_a_missing_full_id_is_not_found(ledger_dir):
    with pytest.raises(TiandzError) as refused:
        ledger_dir.ledger().resolve_id("2024-T-003")
    assert refused.value.problems == [
        Problem("2024/2024-T-003.yaml", None, "", "找不到 2024-T-003", "tiandz list 可列出全部编号"),
    ]


def test_show_finds_an_item_by_its_short_form(ledger_dir, cli):
    ledger_dir.item(ITEM)
    result = cli("show", "j15", "--ledger", ledger_dir.root)
    assert result.code == 0
    assert "2024-J-015" in result.out
    assert "关于加强校园周边环境综合治理的建议" in result.out


def test_show_of_a_missing_item_exits_1(ledger_dir, cli):
    result = cli("show", "2024-J-016", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert result.err.splitlines() == ["2024/2024-J-016.yaml: 找不到 2024-J-016（tiandz list 可列出全部编号）"]
