"""Title line breaking (GB/T 9704 7.3.1): at most 20 characters a line, broken between words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tiandz.officialdoc.titles import break_title


def test_a_title_that_fits_stays_on_one_line():
    assert break_title("关于县十七届人大五次会议第2号建议的答复") == ["关于县十七届人大五次会议第2号建议的答复"]


def test_a_reply_title_breaks_after_the_session_and_keeps_the_number_whole():
    assert break_title("关于县十六届人大三次会议第15号建议的答复") == ["关于县十六届人大三次会议", "第15号建议的答复"]
    assert break_title("关于市十六届人大三次会议第B(2020)79号建议的答复") == ["关于市十六届人大三次会议", "第B(2020)79号建议的答复"]


def test_a_long_name_in_book_title_marks_may_break_but_not_before_punctuation():
    lines = break_title("对《关于加强校园周边环境综合治理和交通安全管理工作的建议》的答复")
    assert all(len(line) <= 20 for line in lines)
    assert not any(line[0] in "》，。的" for line in lines[1:])
    assert lines[-1].endswith("的答复") and len(lines[-1]) > 3  # 的答复 is never a line on its own


def test_guan_yu_stays_with_what_follows():
    for line in break_title("关于进一步加强和改进新时代农村留守儿童和困境儿童关爱服务体系建设的建议的答复")[:-1]:
        assert not line.endswith("关于")


chinese = st.text(alphabet="关于县市人大政协会议第号建议提案的答复加强农村道路学校医疗养老服务体系建设、《》0123456789", min_size=1, max_size=70)


@given(chinese)
def test_breaking_never_loses_or_adds_a_character(title):
    lines = break_title(title)
    assert "".join(lines) == title.strip()
    assert all(lines)


@given(st.text(alphabet="关于县市人大政协会议建议提案的答复加强农村道路学校医疗养老服务体系建设", min_size=21, max_size=60))
def test_lines_of_plain_chinese_never_exceed_20_characters(title):
    lines = break_title(title)
    assert all(len(line) <= 20 for line in lines)
    assert max(len(line) for line in lines) - min(len(line) for line in lines) <= 10  # about equal
