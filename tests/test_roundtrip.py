"""Editing keeps what the clerk wrote: loading and saving an untouched file changes no byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiandz.files.itemfile import render_item
from tiandz.files.yamlio import load_for_edit, save_edited

HAND_WRITTEN = """\
# 张三代表的建议，经办人：小李
编号: 2024-J-015
类型: 建议
届次: 县十六届人大三次会议
案号: 15                    # 大会印发的号
标题: "关于加强校园周边环境综合治理的建议"
提出人: 张三
联名: [李四, 王五]
提出方式: 大会期间
提出日期: 2024-01-20
领域: 教育
重点督办: yes                # YAML 1.2：这是文字，不是 true
联系方式: '09371234567'
内容: |
  校园周边交通秩序混乱，这是一段很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长的中文，不应被折行。

  第二段。
交办:
  日期: 2024-03-20
  方式: 会办
  主办: [县教育和体育局]
  协办: [县公安局]
  时限: 2024-06-20
沟通:
  - 日期: 2024-04-02
    方式: 电话
    单位: 县教育和体育局   # 第一次联系
    人员: 赵六
    内容: 了解建议主旨
"""

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples" / "ledger").glob("*/*.yaml"))


def test_untouched_hand_written_file_is_saved_byte_for_byte(tmp_path):
    path = tmp_path / "2024-J-015.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    data, bom = load_for_edit(path)
    save_edited(path, data, bom)
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN


def test_a_byte_order_mark_is_kept(tmp_path):
    path = tmp_path / "2024-J-015.yaml"
    path.write_bytes(("\ufeff" + HAND_WRITTEN).encode("utf-8"))
    data, bom = load_for_edit(path)
    save_edited(path, data, bom)
    assert path.read_bytes() == ("\ufeff" + HAND_WRITTEN).encode("utf-8")


def test_an_edit_changes_only_its_own_lines(tmp_path):
    path = tmp_path / "2024-J-015.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    data, bom = load_for_edit(path)
    data["交办"]["时限"] = "2024-07-20"
    save_edited(path, data, bom)
    before, after = HAND_WRITTEN.splitlines(), path.read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert changed == [("  时限: 2024-06-20", "  时限: 2024-07-20")]
    assert len(before) == len(after)


def test_an_impossible_date_survives_an_edit_as_written(tmp_path):
    path = tmp_path / "2024-J-015.yaml"
    path.write_text(HAND_WRITTEN.replace("2024-01-20", "2024-02-30"), encoding="utf-8")
    data, bom = load_for_edit(path)
    save_edited(path, data, bom)
    assert "提出日期: 2024-02-30\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_every_example_file_round_trips(path, tmp_path):
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    data, bom = load_for_edit(copy)
    save_edited(copy, data, bom)
    assert copy.read_bytes() == path.read_bytes()


def test_new_files_are_written_as_a_clerk_would_write_them():
    text = render_item(
        {
            "编号": "2024-J-001", "类型": "建议", "案号": "15", "标题": "关于 A&B: <重点> 的建议", "提出人": "张三",
            "联名": ["李四", "王五"], "提出日期": "2024-01-20", "联系方式": "09371234567", "内容": "第一段\n第二段",
        }
    )
    assert text == (
        "编号: 2024-J-001\n类型: 建议\n案号: 15\n标题: '关于 A&B: <重点> 的建议'\n提出人: 张三\n联名: [李四, 王五]\n"
        '提出日期: 2024-01-20\n联系方式: "09371234567"\n内容: |\n  第一段\n  第二段\n'
    )
