"""The words around the clerk's answer: the opening that names the item, and the 再次答复 after 不满意.

The letter names the item received (“您提出的《…》收悉”) unless the clerk's own first paragraph says 收悉;
a first paragraph that only leads into the answer (“经认真研究，现答复如下：”) follows that reference in
one paragraph. An answer given again after the proposer rated the first 不满意 is titled and opened as a
再次答复 (代表法: 再作研究办理……再次答复代表).
"""

from __future__ import annotations

import pytest
from conftest import ANSWERED

from tiandz.files.resources import template

docx = pytest.importorskip("docx")

LETTER = "out/答复函/2024-J-015.docx"
REFERENCE = "你们提出的《关于加强校园周边环境综合治理的建议》收悉。"  # 联名: several proposers


def letter_lines(ledger_dir, cli, text: str) -> list[str]:
    answer = "    正文: |\n" + "".join(f"      {line}\n" for line in text.splitlines())
    ledger_dir.item(ANSWERED.replace("    正文: 已办。\n", answer))
    ledger_dir.commit_all()
    result = cli("letter", "J-15", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    document = docx.Document(str(ledger_dir.root / LETTER))
    return [paragraph.text for paragraph in document.paragraphs if paragraph.text.strip()]


def after_salutation(lines: list[str]) -> list[str]:
    return lines[lines.index("张三等代表：") + 1:]


def test_an_opening_that_says_shouxi_is_the_only_opening(ledger_dir, cli):
    lines = letter_lines(ledger_dir, cli, "您提出的《关于加强校园周边环境综合治理的建议》收悉，现答复如下：\n我局已开展联合巡查。")
    assert after_salutation(lines)[:2] == ["您提出的《关于加强校园周边环境综合治理的建议》收悉，现答复如下：", "我局已开展联合巡查。"]
    assert sum("收悉" in line for line in lines) == 1


@pytest.mark.parametrize("lead_in", ["经认真研究，现答复如下：", "现将有关情况答复如下："])
def test_a_lead_in_without_shouxi_follows_the_reference_to_the_item(ledger_dir, cli, lead_in):
    lines = letter_lines(ledger_dir, cli, f"{lead_in}\n我局已开展联合巡查。")
    assert after_salutation(lines)[:2] == [REFERENCE + lead_in, "我局已开展联合巡查。"]
    assert sum("答复如下" in line for line in lines) == 1


def test_plain_text_gets_the_whole_opening_of_the_template(ledger_dir, cli):
    lines = letter_lines(ledger_dir, cli, "我局已开展联合巡查。\n下一步将持续推进。")
    assert after_salutation(lines)[:3] == [REFERENCE + "现答复如下：", "我局已开展联合巡查。", "下一步将持续推进。"]


def test_shouxi_later_in_the_first_paragraph_is_an_opening_all_the_same(ledger_dir, cli):
    first = "关于您在县十六届人大三次会议期间提出的校园周边环境治理的建议，我局于3月20日收悉后高度重视，现答复如下："
    lines = letter_lines(ledger_dir, cli, f"{first}\n我局已开展联合巡查。")
    assert after_salutation(lines)[:2] == [first, "我局已开展联合巡查。"]
    assert not any("提出的《" in line for line in lines)


def test_a_template_without_lead_in_words_keeps_its_reference_whole(ledger_dir, cli):
    shipped = template("答复函.j2").read_text(encoding="utf-8")
    start, end = shipped.index("{% block 开头"), shipped.index("{% block 结尾")
    ledger_dir.write("templates/答复函.j2", shipped[:start] + "{% block 开头 %}来信收悉，谢谢。{% endblock %}\n" + shipped[end:])
    lines = letter_lines(ledger_dir, cli, "经认真研究，现答复如下：\n我局已开展联合巡查。")
    assert "来信收悉，谢谢。经认真研究，现答复如下：" in lines


SENT_BACK = ANSWERED.replace("    正文: 已办。\n", "    文号: 教体函〔2024〕15号\n    正文: 已办。\n") + """\
  - 单位: 县教育和体育局
    日期: 2024-07-10
    类别: A
    文号: 教体函〔2024〕30号
    正文: |
{text}
评价:
  - 日期: 2024-06-20
    工作: 满意
    结果: {rating}
"""


def second_letter(ledger_dir, cli, text: str, rating: str = "不满意") -> list[str]:
    ledger_dir.item(SENT_BACK.format(text="".join(f"      {line}\n" for line in text.splitlines()).rstrip("\n"), rating=rating))
    ledger_dir.commit_all()
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    result = cli("letter", "J-15", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    document = docx.Document(str(ledger_dir.root / LETTER))
    return [paragraph.text.replace("\n", "") for paragraph in document.paragraphs if paragraph.text.strip()]


AGAIN = (
    "你们提出的《关于加强校园周边环境综合治理的建议》，我们已于2024年6月1日答复（教体函〔2024〕15号）。"
)


def test_an_answer_after_bumanyi_is_titled_and_opened_as_a_second_answer(ledger_dir, cli):
    lines = second_letter(ledger_dir, cli, "我局再次会同公安部门巡查。")
    assert "关于县十六届人大三次会议第15号建议的再次答复" in lines
    assert after_salutation(lines)[:2] == [AGAIN + "根据你们反馈的意见，我们重新研究办理，现再次答复如下：", "我局再次会同公安部门巡查。"]
    assert not any("收悉" in line for line in lines)


def test_the_clerks_chongxin_dafu_follows_one_opening_only(ledger_dir, cli):
    lead_in = "针对你们提出的意见，我局重新进行了研究，现重新答复如下："
    lines = second_letter(ledger_dir, cli, f"{lead_in}\n我局再次会同公安部门巡查。")
    assert after_salutation(lines)[:2] == [AGAIN + lead_in, "我局再次会同公安部门巡查。"]
    assert sum("答复如下" in line for line in lines) == 1


def test_a_corrected_answer_without_a_rating_that_sent_it_back_is_no_second_answer(ledger_dir, cli):
    lines = second_letter(ledger_dir, cli, "我局已开展联合巡查。", rating="满意")
    assert "关于县十六届人大三次会议第15号建议的答复" in lines
    assert after_salutation(lines)[0] == REFERENCE + "现答复如下："
