"""What a unit may change in an item (core/ownership.py), as data: the rule the server's guard applies."""

from __future__ import annotations

import copy

import pytest

from tiandz.core.config import Config
from tiandz.core.ownership import judge_unit_change

CONFIG = Config.model_validate({
    "机关": "某县人民政府办公室", "年度": 2024,
    "承办单位": [{"名称": "县教育和体育局", "简称": ["教体局"]}, {"名称": "县公安局"}, {"名称": "县交通运输局"}],
})
JIAOTI, GONGAN, JIAOTONG = "县教育和体育局", "县公安局", "县交通运输局"
ITEM = {
    "编号": "2024-J-015", "类型": "建议", "标题": "关于校园周边的建议", "提出人": "张三", "提出日期": "2024-01-20",
    "交办": {"日期": "2024-03-20", "方式": "会办", "主办": ["教体局"], "协办": [GONGAN]},
    "沟通": [{"日期": "2024-04-02", "方式": "电话", "单位": JIAOTI}],
    "答复": [{"单位": JIAOTI, "日期": "2024-05-01", "类别": "B", "承诺": [{"事项": "改造", "完成": None}]}],
}


def changed(**edits) -> dict:
    after = copy.deepcopy(ITEM)
    after.update(edits)
    return after


def rules(unit: str, after: dict | None, before: dict | None = ITEM) -> list[str]:
    return [breach.rule for breach in judge_unit_change(before, after, unit, CONFIG).breaches]


def test_appending_its_own_contact_is_a_contact_step_and_allowed():
    after = changed(沟通=[*ITEM["沟通"], {"日期": "2024-04-10", "方式": "走访", "单位": "教体局"}])  # 简称 counts as the unit
    judged = judge_unit_change(ITEM, after, JIAOTI, CONFIG)
    assert judged.breaches == [] and judged.steps == {"contact"}


def test_the_co_unit_gives_an_opinion_and_may_ask_to_give_the_item_back():
    request = {"类型": "退回", "单位": GONGAN, "日期": "2024-04-05", "理由": "不属本单位", "建议单位": [JIAOTONG]}
    after = changed(协办意见=[{"单位": GONGAN, "日期": "2024-04-20", "内容": "巡逻"}], 申请=[request])
    judged = judge_unit_change(ITEM, after, GONGAN, CONFIG)
    assert judged.breaches == [] and judged.steps == {"opinion", "return-request"}


def test_an_event_inserted_before_the_old_ones_keeps_them_all_and_is_allowed():
    after = changed(沟通=[{"日期": "2024-03-30", "方式": "走访", "单位": JIAOTI}, *ITEM["沟通"]])
    assert rules(JIAOTI, after) == []


def test_marking_a_promise_of_its_own_latest_reply_done():
    after = copy.deepcopy(ITEM)
    after["答复"][0]["承诺"][0]["完成"] = "2024-06-01"
    judged = judge_unit_change(ITEM, after, JIAOTI, CONFIG)
    assert judged.breaches == [] and judged.steps == {"promise"}


def test_a_promise_of_an_earlier_reply_or_changed_otherwise_is_an_old_event_edited():
    before = copy.deepcopy(ITEM)
    before["答复"].append({"单位": JIAOTI, "日期": "2024-07-01", "类别": "A"})
    after = copy.deepcopy(before)
    after["答复"][0]["承诺"][0]["完成"] = "2024-06-01"
    assert rules(JIAOTI, after, before) == ["改动旧记录"]
    after = copy.deepcopy(ITEM)
    after["答复"][0]["承诺"][0]["事项"] = "别的"
    assert "改动旧记录" in rules(JIAOTI, after)


@pytest.mark.parametrize(("unit", "after", "rule"), [
    (JIAOTONG, changed(沟通=[*ITEM["沟通"], {"日期": "2024-04-10", "方式": "走访", "单位": JIAOTONG}]), "非本单位承办"),
    (JIAOTI, changed(标题="别的"), "机关字段"),
    (JIAOTI, changed(办结="2024-07-01"), "机关字段"),
    (JIAOTI, changed(交办={**ITEM["交办"], "时限": "2024-12-31"}), "机关字段"),
    (JIAOTI, changed(评价=[{"日期": "2024-06-20", "结果": "满意"}]), "机关字段"),
    (JIAOTI, changed(沟通=[]), "改动旧记录"),
    (JIAOTI, changed(沟通=[{**ITEM["沟通"][0], "方式": "走访"}]), "改动旧记录"),
    (JIAOTI, changed(沟通=[*ITEM["沟通"], {"日期": "2024-04-10", "方式": "走访", "单位": GONGAN}]), "冒名"),
    (JIAOTI, changed(沟通=[*ITEM["沟通"], {"日期": "2024-04-10", "方式": "走访"}]), "冒名"),
    (GONGAN, changed(答复=[*ITEM["答复"], {"单位": GONGAN, "日期": "2024-05-02", "类别": "A"}]), "角色不符"),
    (JIAOTI, changed(协办意见=[{"单位": JIAOTI, "日期": "2024-04-20", "内容": "x"}]), "角色不符"),
    (JIAOTI, changed(申请=[{"类型": "延期", "单位": JIAOTI, "日期": "2024-06-01", "理由": "x", "处理": "同意"}]), "机关字段"),
    (JIAOTI, None, "删除件"),
])
def test_what_a_unit_may_not_do(unit, after, rule):
    assert rule in rules(unit, after)


def test_a_unit_may_not_register_an_item():
    assert rules(JIAOTI, ITEM, before=None) == ["新建件"]


def test_an_item_not_yet_assigned_is_nobodys():
    before = {key: value for key, value in ITEM.items() if key not in ("交办", "沟通", "答复")}
    assert rules(JIAOTI, {**before, "沟通": [{"日期": "2024-04-10", "方式": "走访", "单位": JIAOTI}]}, before) == ["非本单位承办"]
