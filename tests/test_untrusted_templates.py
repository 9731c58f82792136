"""A ledger's own templates may come from someone else's machine: they word documents and run no code.

Each test puts an attack into the office's copy of a template (templates/答复函.j2, templates/进展报告.j2) and
asserts that the command refuses with the file and the line, that the attack's marker file does not exist,
and that no document was written.
"""

from __future__ import annotations

import pytest
from conftest import ANSWERED

from tiandz.files.resources import template

pytest.importorskip("docx")


def attack(marker) -> str:
    """The classic escape from an unsandboxed Jinja2 template: a global's function, its module globals, os."""
    return "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}"


def with_line_before(name: str, anchor: str, inserted: str) -> tuple[str, int]:
    """The shipped template with `inserted` on a line of its own before the line holding `anchor`; that line's number."""
    lines = template(name).read_text(encoding="utf-8").splitlines()
    at = next(index for index, line in enumerate(lines) if anchor in line)
    lines.insert(at, inserted)
    return "\n".join(lines) + "\n", at + 1


@pytest.fixture
def answered(ledger_dir):
    ledger_dir.item(ANSWERED)
    ledger_dir.commit_all()
    return ledger_dir


def test_a_letter_template_reaching_for_os_runs_nothing_and_writes_nothing(answered, cli, tmp_path):
    marker = tmp_path / "pwned"
    text, line = with_line_before("答复函.j2", "感谢{{", attack(marker))
    answered.write("templates/答复函.j2", text)
    result = cli("letter", "J-x".replace("x", "15"), "--ledger", answered.root)
    assert result.code == 1
    assert f"templates/答复函.j2:{line}" in result.err
    assert "Python 内部" in result.err and "__init__" in result.err and "已拒绝" in result.err
    assert "Traceback" not in result.err
    assert not marker.exists()
    assert not (answered.root / "out").exists()


def test_a_report_template_reaching_for_os_runs_nothing_and_writes_nothing(answered, cli, tmp_path):
    marker = tmp_path / "pwned"
    text, line = with_line_before("进展报告.j2", "截至{{ 截至 }}", attack(marker))
    answered.write("templates/进展报告.j2", text)
    chosen = tmp_path / "进展.docx"
    result = cli("report", "--format", "docx", "--ledger", answered.root)
    again = cli("report", "--format", "docx", "-o", chosen, "--ledger", answered.root)
    for refused in (result, again):
        assert refused.code == 1
        assert f"templates/进展报告.j2:{line}" in refused.err and "Python 内部" in refused.err
    assert not marker.exists()
    assert not (answered.root / "out").exists() and not chosen.exists()


@pytest.mark.parametrize(
    "expression, named",
    [
        ("{{ 标题.__class__.__mro__ }}", "__class__"),  # a value's class, and from it every class
        ("{{ 称呼.format.__globals__ }}", "__globals__"),
        ("{{ lipsum.__globals__['os'] }}", "__globals__"),
        ("{{ (namespace()).__init__ }}", "__init__"),
    ],
)
def test_every_way_into_python_internals_is_refused_with_its_line(answered, cli, expression, named):
    text, line = with_line_before("答复函.j2", "感谢{{", expression)
    answered.write("templates/答复函.j2", text)
    result = cli("letter", "J-15", "--ledger", answered.root)
    assert result.code == 1, result.out
    assert f"templates/答复函.j2:{line}" in result.err and named in result.err
    assert not (answered.root / "out").exists()


def test_a_template_cannot_change_the_values_it_is_given(answered, cli):
    """The immutable sandbox: a list or dict method that changes it is unsafe, like an attribute with `_`."""
    text, line = with_line_before("进展报告.j2", "截至{{ 截至 }}", "{{ 来源.append('伪造的来源') }}")
    answered.write("templates/进展报告.j2", text)
    result = cli("report", "--format", "docx", "--ledger", answered.root)
    assert result.code == 1
    assert f"templates/进展报告.j2:{line}" in result.err and "append" in result.err
    assert not (answered.root / "out").exists()


def test_a_misspelt_value_is_refused_with_its_line_and_a_guess(answered, cli):
    text, line = with_line_before("答复函.j2", "感谢{{", "{{ 称乎 }}")
    answered.write("templates/答复函.j2", text)
    result = cli("letter", "J-15", "--ledger", answered.root)
    assert result.code == 1
    assert f"templates/答复函.j2:{line}" in result.err and "是否为“称呼”" in result.err


def test_an_ordinary_office_template_still_words_the_documents(answered, cli):
    """The sandbox keeps what templates are for: values, dict keys as attributes, filters, join, conditions."""
    shipped = template("答复函.j2").read_text(encoding="utf-8")
    answered.write("templates/答复函.j2", shipped.replace("感谢{{", "{{ 标题 | 书名号 | length }}字，感谢{{"))
    assert cli("letter", "J-15", "--ledger", answered.root).code == 0
    assert (answered.root / "out" / "答复函" / "2024-J-015.docx").is_file()
    report = cli("report", "--format", "docx", "--ledger", answered.root)
    assert report.code == 0, report.err


def test_the_new_ledgers_configuration_is_rendered_in_the_sandbox_too():
    import jinja2

    from tiandz.files.wording import sandboxed

    with pytest.raises(jinja2.exceptions.SecurityError):
        sandboxed(keep_trailing_newline=True).from_string("{{ cycler.__init__.__globals__ }}").render()


@pytest.mark.parametrize(
    "expression",
    [
        "{% include '/etc/passwd' %}",  # no loader: a template reads no other file
        "{{ range(200000) | length }}",  # the sandbox caps range() at 100,000: no template fills the memory
    ],
)
def test_what_a_template_itself_gets_wrong_is_a_refusal_with_its_line_not_a_traceback(answered, cli, expression):
    text, line = with_line_before("答复函.j2", "感谢{{", expression)
    answered.write("templates/答复函.j2", text)
    result = cli("letter", "J-15", "--ledger", answered.root)
    assert result.code == 1
    assert f"templates/答复函.j2:{line}" in result.err and "无法生成" in result.err
    assert "Traceback" not in result.err and "root:" not in result.err
    assert not (answered.root / "out").exists()


@pytest.mark.parametrize(
    "expression, said",
    [
        ("{{ ('x' * 10**10) | length }}", "重复生成的文字或列表太长"),  # ten gigabytes of text from one line
        ("{{ ([1] * 10**9) | length }}", "重复生成的文字或列表太长"),
        ("{{ (9 ** 9 ** 9) | string | length }}", "太大"),  # minutes of arithmetic from one line
    ],
)
def test_a_template_cannot_take_all_the_memory_or_the_processor(answered, cli, expression, said):
    text, line = with_line_before("答复函.j2", "感谢{{", expression)
    answered.write("templates/答复函.j2", text)
    result = cli("letter", "J-15", "--ledger", answered.root)
    assert result.code == 1
    assert f"templates/答复函.j2:{line}" in result.err and said in result.err
    assert not (answered.root / "out").exists()


def test_ordinary_arithmetic_and_repetition_in_a_template_still_work():
    from tiandz.files.wording import sandboxed

    rendered = sandboxed().from_string("{{ '—' * 20 }}{{ 2 ** 10 }}{{ 3 * 4 }}").render()
    assert rendered == "—" * 20 + "1024" + "12"
