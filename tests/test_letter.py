"""`tiandz letter` and `reply --letter`: which letters are written, where, and what they say.

Layout (GB/T 9704) is asserted in test_letter_layout.py; the rendered page in test_letter_render.py.
"""

from __future__ import annotations

import pytest
from conftest import ANSWERED, CONFIG, ITEM, git

docx = pytest.importorskip("docx")

LETTERS = "out/答复函"

FULL_ANSWER = ANSWERED.replace(
    "    正文: 已办。\n",
    """\
    文号: 教体函〔2024〕15号
    联系人: 赵六
    电话: 0937-1234567
    正文: |
      一、基本情况
      （一）加强巡查。我局会同公安部门开展校园周边联合巡查。
      1. 设置警示标志。
      下一步将持续推进。
""",
).replace("内容: |", "联系方式: \"13900000000\"\n内容: |")

SPLIT_ITEM = ITEM.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16") + """\
交办:
  日期: 2024-03-20
  方式: 分办
  主办: [县教育和体育局, 县交通运输局]
沟通:
  - 日期: 2024-04-02
    方式: 面商
答复:
  - 单位: 县教育和体育局
    日期: 2024-06-01
    类别: A
    文号: 教体函〔2024〕16号
    正文: 教体局的答复。
  - 单位: 县交通运输局
    日期: 2024-06-03
    类别: B
    文号: 交函〔2024〕3号
    正文: 交通局的答复。
"""


def text_of(path) -> str:
    """Everything a reader sees: headers, body paragraphs and table cells, in order."""
    document = docx.Document(str(path))
    parts = []
    for section in document.sections:
        for header in (section.first_page_header, section.header):
            parts += [paragraph.text for paragraph in header.paragraphs]
    body = document.element.body
    for element in body.iter():
        if element.tag.endswith("}p") and element.getparent().tag.endswith(("}body", "}tc")):
            parts.append("".join(node.text or "" for node in element.iter() if node.tag.endswith("}t")))
    return "\n".join(part for part in parts if part)


def body_lines(path) -> list[str]:
    document = docx.Document(str(path))
    return [paragraph.text for paragraph in document.paragraphs if paragraph.text.strip()]


@pytest.fixture
def answered(ledger_dir):
    ledger_dir.item(FULL_ANSWER)
    ledger_dir.commit_all()
    return ledger_dir


def test_letter_says_what_the_answer_says_in_the_order_of_a_reply_letter(answered, cli):
    result = cli("letter", "J-15", "--ledger", answered.root)
    assert result.code == 0, result.err
    path = answered.root / LETTERS / "2024-J-015.docx"
    assert f"{LETTERS}/2024-J-015.docx" in result.out
    lines = body_lines(path)
    expected = [
        "关于县十六届人大三次会议第15号建议的答复",
        "张三等代表：",
        "你们提出的《关于加强校园周边环境综合治理的建议》收悉。现答复如下：",  # 联名: several proposers
        "一、基本情况",
        "（一）加强巡查。我局会同公安部门开展校园周边联合巡查。",
        "1. 设置警示标志。",
        "下一步将持续推进。",
        "感谢你们对我们工作的关心和支持，欢迎继续提出宝贵意见和建议。",
        "某县教育和体育局",  # 机关 names the place: the letter carries it
        "2024年6月1日",
        "（此件主动公开）",
        "（联系人：赵六，电话：0937-1234567）",
    ]
    positions = [next(index for index, line in enumerate(lines) if line.replace("\n", "") == wanted) for wanted in expected]
    assert positions == sorted(positions)
    text = text_of(path)
    assert "抄送" not in text  # CONFIG has no 抄送
    header = docx.Document(str(path)).sections[0].first_page_header
    assert [paragraph.text for paragraph in header.paragraphs if paragraph.text] == ["B", "某县教育和体育局", "教体函〔2024〕15号"]


def test_the_letter_is_not_part_of_the_ledger_history(answered, cli):
    head = git(answered.root, "rev-parse", "HEAD")
    assert cli("letter", "J-15", "--ledger", answered.root).code == 0
    assert git(answered.root, "rev-parse", "HEAD") == head
    assert git(answered.root, "status", "--porcelain") == ""


def test_carbon_copy_comes_from_the_configuration_for_the_item_type(ledger_dir, cli):
    ledger_dir.write("tiandz.yaml", CONFIG + "抄送:\n  建议: [县人大常委会代表工作委员会, 县人民政府督查室]\n  提案: [县政协提案委员会]\n")
    ledger_dir.item(FULL_ANSWER)
    ledger_dir.commit_all()
    assert cli("letter", "J-15", "--ledger", ledger_dir.root).code == 0
    assert "抄送：县人大常委会代表工作委员会，县人民政府督查室。" in text_of(ledger_dir.root / LETTERS / "2024-J-015.docx")


def test_cosigners_are_all_named_when_the_ledger_says_so(ledger_dir, cli):
    ledger_dir.write("tiandz.yaml", CONFIG + "答复函:\n  联名称呼: 全部\n")
    ledger_dir.item(FULL_ANSWER)
    ledger_dir.commit_all()
    assert cli("letter", "J-15", "--ledger", ledger_dir.root).code == 0
    lines = body_lines(ledger_dir.root / LETTERS / "2024-J-015.docx")
    assert "张三、李四、王五代表：" in lines
    assert any(line.startswith("你们提出的《") for line in lines)


def test_a_misspelt_salutation_setting_is_refused_with_the_choices(ledger_dir, cli):
    ledger_dir.write("tiandz.yaml", CONFIG + "答复函:\n  联名称呼: 全体\n")
    ledger_dir.item(FULL_ANSWER)
    ledger_dir.commit_all()
    result = cli("letter", "J-15", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "联名称呼" in result.err and "全部" in result.err
    assert not (ledger_dir.root / "out").exists()


@pytest.mark.parametrize(
    ("proposer", "salutation"),
    [("李明", "李明委员："), ("民进县委会", "民进县委会：")],
)
def test_a_proposal_is_answered_to_a_member_or_to_the_body_that_made_it(ledger_dir, cli, proposer, salutation):
    proposal = (
        FULL_ANSWER.replace("2024-J-015", "2024-T-003").replace("类型: 建议", "类型: 提案")
        .replace("县十六届人大三次会议", "县十三届政协三次会议").replace("提出人: 张三", f"提出人: {proposer}")
        .replace("联名: [李四, 王五]\n", "").replace("的建议", "的提案")
    )
    ledger_dir.item(proposal)
    ledger_dir.commit_all()
    assert cli("letter", "T-3", "--ledger", ledger_dir.root).code == 0
    lines = body_lines(ledger_dir.root / LETTERS / "2024-T-003.docx")
    assert "关于县十三届政协三次会议第15号提案的答复" in [line.replace("\n", "") for line in lines]
    assert salutation in lines


def test_a_split_item_gets_one_letter_per_lead_unit(ledger_dir, cli):
    ledger_dir.item(SPLIT_ITEM)
    ledger_dir.commit_all()
    result = cli("letter", "J-16", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    first = ledger_dir.root / LETTERS / "2024-J-016-县教育和体育局.docx"
    second = ledger_dir.root / LETTERS / "2024-J-016-县交通运输局.docx"
    assert "教体局的答复。" in text_of(first) and "交通局的答复。" not in text_of(first)
    assert "交函〔2024〕3号" in text_of(second) and "2024年6月3日" in text_of(second)
    only = cli("letter", "J-16", "--unit", "交通局", "-o", ledger_dir.root / "交通.docx", "--ledger", ledger_dir.root)
    assert only.code == 0, only.err
    assert "交通局的答复。" in text_of(ledger_dir.root / "交通.docx")


def test_several_letters_need_a_folder_not_a_file(ledger_dir, cli):
    ledger_dir.item(SPLIT_ITEM)
    ledger_dir.commit_all()
    result = cli("letter", "J-16", "-o", ledger_dir.root / "一封.docx", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "文件夹" in result.err
    assert not (ledger_dir.root / "一封.docx").exists()


def test_an_item_without_an_answer_has_no_letter(ledger_dir, cli):
    ledger_dir.item(ITEM)
    ledger_dir.commit_all()
    result = cli("letter", "J-15", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "尚未答复" in result.err and "tiandz reply" in result.err
    assert not (ledger_dir.root / "out").exists()


def test_a_unit_that_does_not_lead_the_item_is_refused(answered, cli):
    result = cli("letter", "J-15", "--unit", "公安局", "--ledger", answered.root)
    assert result.code == 1
    assert "不是 2024-J-015 的主办单位" in result.err


def test_letter_needs_an_item_or_all(answered, cli):
    result = cli("letter", "--ledger", answered.root)
    assert result.code == 2
    assert "--all" in result.err


def test_the_form_lists_the_contacts_and_the_proposers_phone(answered, cli):
    assert cli("letter", "J-15", "--ledger", answered.root).code == 0
    text = text_of(answered.root / LETTERS / "2024-J-015.docx")
    assert "县十六届人大三次会议代表建议办理情况征询意见表" in text.replace("\n", "")
    assert "2024年4月2日 电话（县教育和体育局）" in text
    assert "13900000000" in text
    assert text.count("□满意") == 2  # 办理工作 and 办理结果
    assert "代表签名" in text


def test_no_form_leaves_out_the_form_only(answered, cli):
    assert cli("letter", "J-15", "--no-form", "--ledger", answered.root).code == 0
    text = text_of(answered.root / LETTERS / "2024-J-015.docx")
    assert "征询意见表" not in text and "□满意" not in text
    assert "县教育和体育局" in text
    assert len(docx.Document(str(answered.root / LETTERS / "2024-J-015.docx")).sections) == 1


def test_public_copy_has_neither_the_proposers_contact_nor_the_form(answered, cli):
    result = cli("letter", "J-15", "--public", "--ledger", answered.root)
    assert result.code == 0, result.err
    path = answered.root / LETTERS / "2024-J-015-公开.docx"
    text = text_of(path)
    assert "13900000000" not in text
    assert "征询意见表" not in text
    assert "（此件主动公开）" in text


def test_an_answer_not_to_be_published_has_no_public_copy(ledger_dir, cli):
    ledger_dir.item(FULL_ANSWER.replace("    正文: |", "    公开: 不予公开\n    公开说明: 涉及个人隐私\n    正文: |"))
    ledger_dir.commit_all()
    result = cli("letter", "J-15", "--public", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "不予公开" in result.err and "涉及个人隐私" in result.err
    assert not (ledger_dir.root / "out").exists()
    every = cli("letter", "--all", "--public", "--ledger", ledger_dir.root)
    assert every.code == 1  # nothing else to publish
    assert "没有可写的答复函" in every.err


def test_text_comes_out_as_written_whatever_its_characters(ledger_dir, cli):
    item = ANSWERED.replace(
        "标题: 关于加强校园周边环境综合治理的建议", '标题: "关于A&B<重点>路段\\"综合\\"治理的建议"'
    ).replace("    正文: 已办。\n", '    正文: "第一段\\v第二段\\a"\n')
    ledger_dir.item(item)
    ledger_dir.commit_all()
    result = cli("letter", "J-15", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    lines = body_lines(ledger_dir.root / LETTERS / "2024-J-015.docx")
    assert '你们提出的《关于A&B<重点>路段"综合"治理的建议》收悉。现答复如下：' in lines
    assert "第一段" in lines and "第二段" in lines  # the vertical tab became a line break, the bell vanished


def test_an_opening_and_thanks_typed_into_the_answer_are_not_said_twice(ledger_dir, cli):
    pasted = ANSWERED.replace(
        "    正文: 已办。\n",
        """\
    正文: |
      张三代表：
      　　您提出的《关于加强校园周边环境综合治理的建议》收悉，现答复如下：
      　　我局已开展联合巡查。
      　　感谢您对教育工作的关心和支持！
      县教育和体育局
      2024年6月1日
""",
    )
    ledger_dir.item(pasted)
    ledger_dir.commit_all()
    assert cli("letter", "J-15", "--ledger", ledger_dir.root).code == 0
    lines = body_lines(ledger_dir.root / LETTERS / "2024-J-015.docx")
    assert sum("收悉" in line for line in lines) == 1
    assert sum("感谢" in line for line in lines) == 1
    assert lines.count("张三代表：") == 1 and "张三等代表：" not in lines
    assert lines.count("某县教育和体育局") == 1 and lines.count("2024年6月1日") == 1


def test_an_office_template_in_the_ledger_changes_the_wording(answered, cli):
    from tiandz.files.resources import template

    shipped = template("答复函.j2").read_text(encoding="utf-8")
    answered.write("templates/答复函.j2", shipped.replace("感谢{{", "衷心感谢{{"))
    assert cli("letter", "J-15", "--ledger", answered.root).code == 0
    assert any(line.startswith("衷心感谢你们对") for line in body_lines(answered.root / LETTERS / "2024-J-015.docx"))


def test_a_template_naming_a_value_that_does_not_exist_is_refused_with_a_guess(answered, cli):
    from tiandz.files.resources import template

    shipped = template("答复函.j2").read_text(encoding="utf-8")
    answered.write("templates/答复函.j2", shipped.replace("{{ 称呼 }}", "{{ 称乎 }}"))
    result = cli("letter", "J-15", "--ledger", answered.root)
    assert result.code == 1
    assert "templates/答复函.j2" in result.err and "称乎" in result.err and "称呼" in result.err
    assert not (answered.root / "out").exists()


def test_a_broken_template_is_refused_with_its_line(answered, cli):
    answered.write("templates/答复函.j2", "{% block 标题 %}\n关于{{ 标题 \n{% endblock %}\n")
    result = cli("letter", "J-15", "--ledger", answered.root)
    assert result.code == 1
    assert "templates/答复函.j2:" in result.err and "模板语法错误" in result.err


def test_all_writes_every_answered_item_and_unit_narrows_it(ledger_dir, cli):
    ledger_dir.item(FULL_ANSWER)
    ledger_dir.item(SPLIT_ITEM)
    ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-017"))
    ledger_dir.commit_all()
    result = cli("letter", "--all", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    written = sorted(path.name for path in (ledger_dir.root / LETTERS).iterdir())
    assert written == ["2024-J-015.docx", "2024-J-016-县交通运输局.docx", "2024-J-016-县教育和体育局.docx"]
    folder = ledger_dir.root / "交通局汇编"
    narrowed = cli("letter", "--all", "--unit", "交通局", "-o", folder, "--ledger", ledger_dir.root)
    assert narrowed.code == 0, narrowed.err
    assert [path.name for path in folder.iterdir()] == ["2024-J-016.docx"]


def test_all_refuses_a_ledger_with_broken_files_and_writes_nothing(ledger_dir, cli):
    ledger_dir.item(FULL_ANSWER)
    ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-017").replace("领域: 教育", "领域: 教肓"))
    ledger_dir.commit_all()
    result = cli("letter", "--all", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "2024/2024-J-017.yaml" in result.err and "领域" in result.err
    assert not (ledger_dir.root / "out").exists()


def test_reply_with_letter_writes_the_letter_of_the_answer_just_given(ledger_dir, cli, tmp_path):
    from conftest import CONTACTED

    ledger_dir.item(CONTACTED)
    ledger_dir.commit_all()
    text = tmp_path / "答复.txt"
    text.write_text("我局已会同公安部门开展联合巡查。\x0b下一步持续推进。\r\n", encoding="utf-8")
    result = cli("reply", "J-15", "--category", "A", "--text-file", text, "--date", "2024-06-01", "--letter", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert f"{LETTERS}/2024-J-015.docx" in result.out
    letter = ledger_dir.root / LETTERS / "2024-J-015.docx"
    lines = body_lines(letter)
    assert "我局已会同公安部门开展联合巡查。" in lines and "下一步持续推进。" in lines
    assert "教体函〔2024〕1号" in text_of(letter)
    # The step still commits the one item file, and the file holds no control character.
    changed = git(ledger_dir.root, "-c", "core.quotePath=false", "show", "--name-only", "--format=", "HEAD").split()
    assert changed == ["2024/2024-J-015.yaml"]
    assert "\x0b" not in (ledger_dir.root / "2024/2024-J-015.yaml").read_text(encoding="utf-8")


def test_a_big_compilation_is_written_by_several_processes_with_the_same_result(ledger_dir, cli, monkeypatch):
    import tiandz.letter.write

    for number in range(15, 21):
        ledger_dir.item(FULL_ANSWER.replace("2024-J-015", f"2024-J-0{number}").replace("案号: 15", f"案号: {number}"))
    ledger_dir.commit_all()
    monkeypatch.setattr(tiandz.letter.write, "PARALLEL_FROM", 2)
    monkeypatch.setattr(tiandz.letter.write, "CHUNK", 2)
    result = cli("letter", "--all", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert result.out.count("已写答复函") == 6
    for number in range(15, 21):
        lines = body_lines(ledger_dir.root / LETTERS / f"2024-J-0{number}.docx")
        assert f"关于县十六届人大三次会议第{number}号建议的答复" in [line.replace("\n", "") for line in lines]


def test_after_an_unsatisfied_rating_the_letter_is_of_the_new_answer(ledger_dir, cli):
    ledger_dir.item(FULL_ANSWER + """\
  - 单位: 县教育和体育局
    日期: 2024-07-10
    类别: A
    文号: 教体函〔2024〕30号
    正文: 重新办理后的答复。
评价:
  - 日期: 2024-06-20
    结果: 不满意
""")
    ledger_dir.commit_all()
    assert cli("check", "--ledger", ledger_dir.root).code == 0
    assert cli("letter", "J-15", "--ledger", ledger_dir.root).code == 0
    text = text_of(ledger_dir.root / LETTERS / "2024-J-015.docx")
    assert "教体函〔2024〕30号" in text and "重新办理后的答复。" in text
    assert "设置警示标志" not in text
    # The answer sent back is named once, in the 再次答复's opening, never as this letter's 文号.
    assert [line for line in text.splitlines() if "教体函〔2024〕15号" in line] == [
        "你们提出的《关于加强校园周边环境综合治理的建议》，我们已于2024年6月1日答复（教体函〔2024〕15号）。"
        "根据你们反馈的意见，我们重新研究办理，现再次答复如下："
    ]


def test_a_letter_that_cannot_be_written_is_named_and_the_others_are_written(ledger_dir, cli):
    ledger_dir.item(SPLIT_ITEM)
    ledger_dir.commit_all()
    blocked = ledger_dir.root / LETTERS / "2024-J-016-县交通运输局.docx"
    blocked.mkdir(parents=True)  # a folder where the file should go: as unwritable as a file open in Word
    result = cli("letter", "J-16", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "2024-J-016-县交通运输局.docx" in result.err and "无法写入" in result.err and "其余 1 封已写好" in result.err
    assert (ledger_dir.root / LETTERS / "2024-J-016-县教育和体育局.docx").is_file()


def test_a_whole_published_letter_pasted_into_the_answer_is_not_said_twice(ledger_dir, cli):
    pasted = ANSWERED.replace(
        "    正文: 已办。\n",
        """\
    正文: |
      尊敬的张三代表：
          您提出的关于加强校园周边环境综合治理的建议收悉，现答复如下：
          一、开展联合巡查
          我局会同公安部门每周巡查两次。
          再次感谢您对我局工作的关心和支持！
                                        宁和县教育和体育局
                                        2024年6月1日
          （联系人：赵六，联系电话：0937-1234567）
""",
    )
    ledger_dir.item(pasted)
    ledger_dir.commit_all()
    assert cli("letter", "J-15", "--ledger", ledger_dir.root).code == 0
    lines = body_lines(ledger_dir.root / LETTERS / "2024-J-015.docx")
    assert "尊敬的张三代表：" in lines and "张三等代表：" not in lines
    assert sum("收悉" in line for line in lines) == 1 and sum("感谢" in line for line in lines) == 1
    assert "宁和县教育和体育局" not in lines and lines.count("2024年6月1日") == 1
    assert not any("联系电话" in line for line in lines)
    assert lines[lines.index("2024年6月1日") - 1] == "某县教育和体育局"


def test_a_file_with_errors_gets_no_letter(ledger_dir, cli):
    ledger_dir.item(FULL_ANSWER.replace("    类别: B\n", "    类别: Z\n"))
    ledger_dir.commit_all()
    result = cli("letter", "J-15", "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "2024/2024-J-015.yaml:" in result.err and "类别" in result.err and "改正后再生成答复函" in result.err
    assert not (ledger_dir.root / "out").exists()


def test_a_title_quoting_a_law_nests_its_book_title_marks(ledger_dir, cli):
    ledger_dir.item(FULL_ANSWER.replace("标题: 关于加强校园周边环境综合治理的建议", "标题: 关于贯彻《未成年人保护法》加强校园周边治理的建议"))
    ledger_dir.commit_all()
    assert cli("letter", "J-15", "--ledger", ledger_dir.root).code == 0
    lines = body_lines(ledger_dir.root / LETTERS / "2024-J-015.docx")
    assert "你们提出的《关于贯彻〈未成年人保护法〉加强校园周边治理的建议》收悉。现答复如下：" in lines
