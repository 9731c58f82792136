"""A ledger from someone else's machine reads nothing outside itself and nothing without end.

Each test plays the attack as a colleague's commit (or a clerk's typo) would bring it: a symlinked item file
or year folder pointing at a secret of this machine, a FIFO or a device where a file should be, a file far
too large, a spreadsheet that claims a million columns or inflates without end, a CSV cell over csv's limit.
Every one is refused in Chinese, naming the file; the secret is never printed; nothing is written through a
link; and the ledger's files and git stay as they were.
"""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from conftest import ASSIGNED, ITEM, git

PATH = "2024/2024-J-015.yaml"
SECRET = "机密：口令是 hunter2"


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "机密.yaml"
    path.write_text(ITEM.replace("关于加强校园周边", SECRET), encoding="utf-8")  # valid YAML: check would print it
    return path


def state(ledger_dir) -> tuple[str, str]:
    return git(ledger_dir.root, "rev-parse", "HEAD"), git(ledger_dir.root, "status", "--porcelain")


def test_a_symlinked_item_file_is_refused_by_check_show_and_a_step_and_never_printed(ledger_dir, cli, secret):
    (ledger_dir.root / PATH).symlink_to(secret)
    ledger_dir.commit_all("同事的提交：一个符号链接")
    before = state(ledger_dir), secret.read_bytes()
    checked = cli("check", "--ledger", ledger_dir.root)
    assert checked.code == 1
    assert f"{PATH}: 2024/2024-J-015.yaml 是符号链接，tiandz 不经符号链接读取" in checked.out
    shown = cli("show", "J-15", "--ledger", ledger_dir.root)
    step = cli("contact", "J-15", "--by", "电话", "--date", "2024-04-01", "--ledger", ledger_dir.root)
    assert shown.code == 1 and step.code == 1
    for result in (checked, shown, step):
        assert "hunter2" not in result.out + result.err and "Traceback" not in result.err
    assert (state(ledger_dir), secret.read_bytes()) == before
    assert (ledger_dir.root / PATH).is_symlink()


def test_a_symlinked_year_folder_is_neither_read_nor_written_through(ledger_dir, cli, tmp_path, secret):
    outside = tmp_path / "台账外"
    outside.mkdir()
    (outside / "2025-J-001.yaml").write_text(secret.read_text(encoding="utf-8").replace("2024-J-015", "2025-J-001"), encoding="utf-8")
    (ledger_dir.root / "2025").symlink_to(outside, target_is_directory=True)
    checked = cli("check", "--ledger", ledger_dir.root)
    assert checked.code == 1 and "2025 是符号链接" in checked.out and "hunter2" not in checked.out
    ledger_dir.write("tiandz.yaml", (ledger_dir.root / "tiandz.yaml").read_text(encoding="utf-8").replace("年度: 2024", "年度: 2025"))
    ledger_dir.commit_all("新年度")
    before = state(ledger_dir)
    made = cli("new", "--type", "建议", "--title", "关于某事的建议", "--proposer", "张三", "--date", "2025-01-10",
               "--ledger", ledger_dir.root)
    assert made.code == 1 and "2025 是符号链接" in made.err
    assert sorted(entry.name for entry in outside.iterdir()) == ["2025-J-001.yaml"]
    assert state(ledger_dir) == before


def test_a_symlinked_configuration_is_refused(ledger_dir, cli, tmp_path):
    real = tmp_path / "别处的配置.yaml"
    real.write_text((ledger_dir.root / "tiandz.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (ledger_dir.root / "tiandz.yaml").unlink()
    (ledger_dir.root / "tiandz.yaml").symlink_to(real)
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1 and "tiandz.yaml: 无法读取：是符号链接" in result.out


def test_a_fifo_where_an_item_file_should_be_is_refused_without_waiting(ledger_dir, cli):
    os.mkfifo(ledger_dir.root / PATH)  # reading it would block for ever
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1 and f"{PATH}: 无法读取：不是普通文件（是文件夹、设备或管道）" in result.out


def test_an_item_file_of_many_megabytes_is_refused_before_it_is_read(ledger_dir, cli):
    ledger_dir.item(ASSIGNED + "内容: |\n" + ("  很长的一行内容。\n" * 300_000))
    result = cli("check", "--ledger", ledger_dir.root)
    assert result.code == 1 and f"{PATH}: 无法读取：文件太大" in result.out


def test_a_text_file_that_never_ends_is_refused(ledger_dir, cli):
    ledger_dir.item(ASSIGNED)
    ledger_dir.commit_all()
    result = cli("opinion", "J-15", "--unit", "公安局", "--text-file", "/dev/zero", "--ledger", ledger_dir.root)
    assert result.code == 1 and "无法读取 /dev/zero：不是普通文件" in result.err


def xlsx_bytes(rows: list[list[str]], dimension: str | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if dimension is None:
        return buffer.getvalue()
    rewritten = io.BytesIO()  # the sheet claims a size far beyond its rows, as a crafted file would
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:C2"/>', f'<dimension ref="{dimension}"/>'.encode())
                assert dimension.encode() in data
            target.writestr(member, data)
    return rewritten.getvalue()


ROWS = [["标题", "提出人", "类型"], ["关于某事的建议", "张三", "建议"]]


def test_a_sheet_that_claims_a_million_columns_is_read_as_the_rows_it_has(ledger_dir, cli, tmp_path):
    source = tmp_path / "清单.xlsx"
    source.write_bytes(xlsx_bytes(ROWS, dimension="A1:XFD1048576"))
    result = cli("import", source, "--date", "2024-03-20", "--submitted", "2024-01-20", "--dry-run", "--ledger", ledger_dir.root)
    assert result.code == 0, result.err
    assert "共 1 行可以登记" in result.out


def test_a_sheet_that_inflates_beyond_any_list_is_refused(ledger_dir, cli, tmp_path, monkeypatch):
    import tiandz.files.sheets

    monkeypatch.setattr(tiandz.files.sheets, "MOST_UNPACKED", 2000)  # a real bomb inflates to gigabytes
    source = tmp_path / "清单.xlsx"
    source.write_bytes(xlsx_bytes(ROWS))
    result = cli("import", source, "--ledger", ledger_dir.root)
    assert result.code == 1 and "清单.xlsx 解压后有" in result.err
    assert list((ledger_dir.root / "2024").iterdir()) == []


def test_a_csv_cell_over_the_csv_limit_is_a_chinese_refusal_naming_the_row(ledger_dir, cli, tmp_path):
    source = tmp_path / "清单.csv"
    source.write_text("标题,提出人,类型\n关于某事的建议,张三,建议\n" + "长," + "字" * 131_073 + ",建议\n", encoding="utf-8")
    result = cli("import", source, "--ledger", ledger_dir.root)
    assert result.code == 1
    assert "清单.csv 第 3 行无法按 CSV 读取：一格超过 131072 个字符" in result.err
    assert "内部错误" not in result.err


# --- files other commands read along the way ---------------------------------------------------------------



def test_an_office_template_that_is_a_link_is_refused_not_read(ledger_dir, cli, tmp_path, secret):
    from conftest import ANSWERED

    ledger_dir.item(ANSWERED)
    (ledger_dir.root / "templates").mkdir()
    (ledger_dir.root / "templates" / "答复函.j2").symlink_to(secret)  # a template from someone else's clone
    ledger_dir.commit_all("同事的模板")
    result = cli("letter", "J-15", "--ledger", ledger_dir.root)
    assert result.code == 1 and "无法读取模板：是符号链接" in result.err
    assert "hunter2" not in result.out + result.err
    assert not (ledger_dir.root / "out").exists()


def test_a_linked_item_file_stops_neither_the_hand_edit_check_nor_the_reply_numbers(ledger_dir, cli, tmp_path, secret):
    from conftest import CONTACTED

    ledger_dir.item(CONTACTED)
    ledger_dir.item(CONTACTED.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16"))
    ledger_dir.commit_all()
    answer = tmp_path / "答复.txt"
    answer.write_text("经研究，答复如下：\n一、已开展整治。\n", encoding="utf-8")
    first = cli("reply", "J-15", "--category", "B", "--text-file", answer, "--date", "2024-06-01", "--ledger", ledger_dir.root)
    assert first.code == 0, first.err  # the reply numbers are counted and kept at this commit
    (ledger_dir.root / "2024" / "2024-J-099.yaml").symlink_to("/dev/zero")  # a colleague's commit
    ledger_dir.commit_all("同事的提交")
    (ledger_dir.root / "2024" / "2024-J-016.yaml").unlink()
    (ledger_dir.root / "2024" / "2024-J-016.yaml").symlink_to(secret)  # and an uncommitted change to a link
    refused = cli("contact", "J-16", "--by", "电话", "--date", "2024-04-01", "--ledger", ledger_dir.root)
    assert refused.code == 1 and "未提交的手工修改" in refused.err and "hunter2" not in refused.err
    git(ledger_dir.root, "checkout", "--", "2024/2024-J-016.yaml")
    second = cli("reply", "J-16", "--category", "B", "--text-file", answer, "--date", "2024-06-02", "--ledger", ledger_dir.root)
    assert second.code == 0, second.err  # the numbers were counted again past the link, which has none
    assert "文号: 教体函〔2024〕2号" in (ledger_dir.root / "2024" / "2024-J-016.yaml").read_text(encoding="utf-8")
