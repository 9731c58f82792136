"""Generates a realistic ledger of N items for benchmarks: python benchmarks/generate.py DIR N.

Items are spread over every stage as a real year is (a third closed, a third answered, the rest in
progress or not yet assigned), with multi-paragraph contents and answers of realistic length.
`generate_list` writes the list an import reads: a workbook with a 建议 and a 提案 sheet as offices make it.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

UNITS = [
    ("县教育和体育局", "教体局", "教体函"), ("县公安局", "公安局", "公函"), ("县交通运输局", "交通局", "交函"),
    ("县住房和城乡建设局", "住建局", "住建函"), ("县卫生健康局", "卫健局", "卫健函"),
    ("县人力资源和社会保障局", "人社局", "人社函"), ("县农业农村局", "农业农村局", "农函"),
    ("县市场监督管理局", "市场监管局", "市监函"), ("县自然资源局", "自然资源局", "自然资源函"),
    ("县水利局", "水利局", "水函"), ("县民政局", "民政局", "民函"), ("县文化和旅游局", "文旅局", "文旅函"),
    ("县发展和改革局", "发改局", "发改函"), ("县城市管理局", "城管局", "城管函"), ("县财政局", "财政局", "财函"),
]
TOPICS = ["经济发展", "城乡建设", "教育", "卫生健康", "社会保障", "农业农村", "生态环境", "交通", "其他"]
SUBJECTS = ["校园周边环境综合治理", "农村公路养护", "居家养老服务", "城乡居民医保", "农田水利设施", "背街小巷路灯",
            "食品安全监管", "乡村旅游发展", "中小企业融资", "老旧小区改造", "城区停车难", "河道生态治理"]
PARAGRAPH = "近年来，随着经济社会快速发展，群众对{s}的要求日益提高，但仍存在投入不足、管理不到位、部门协调不畅等问题，亟待加以解决。"
CONFIG = """机关: 某县人民政府办公室
年度: {year}
届次:
  建议: 县十七届人大五次会议
  提案: 县十四届政协五次会议
抄送:
  建议: [县人大常委会代表工作委员会, 县人民政府督查室]
  提案: [县政协提案委员会, 县人民政府督查室]
承办单位:
{units}
"""


def unit_block() -> str:
    return "\n".join(
        f"  - 名称: {name}\n    简称: [{short}]\n    文号: {prefix}\n    签发人: 王五\n    联系人: 赵六\n    电话: '0937-1234567'"
        for name, short, prefix in UNITS
    )


def item_text(year: int, letter: str, number: int, rng: random.Random, unassigned: bool = False) -> str:
    subject = rng.choice(SUBJECTS)
    kind = "建议" if letter == "J" else "提案"
    lead, co = rng.sample(UNITS, 2)
    lines = [
        f"编号: {year}-{letter}-{number:04d}", f"类型: {kind}", "届次: 县十七届人大五次会议", f"案号: {number}",
        f"标题: 关于加强{subject}的{kind}", "提出人: 张三", "联名: [李四, 王五]", "提出方式: 大会期间",
        f"提出日期: {year}-01-15", f"领域: {rng.choice(TOPICS)}", f"重点督办: {str(rng.random() < 0.05).lower()}",
        "内容: |", *("  " + PARAGRAPH.format(s=subject) for _ in range(4)),
    ]
    stage = 0.0 if unassigned else rng.random()
    if stage > 0.1:
        mode = "会办" if rng.random() < 0.4 else "单办"
        lines += ["交办:", f"  日期: {year}-03-10", f"  方式: {mode}", f"  主办: [{lead[0]}]"]
        if mode == "会办":
            lines.append(f"  协办: [{co[0]}]")
        lines += [f"  时限: {year}-06-10", "沟通:", f"  - 日期: {year}-04-02", "    方式: 面商", f"    单位: {lead[0]}",
                  "    人员: 赵六", "    内容: 了解建议主旨"]
    if stage > 0.4:  # 提案 numbered from 50001: one 文号 is one letter (check refuses a number given twice)
        lines += ["答复:", f"  - 单位: {lead[0]}", f"    日期: {year}-06-01", f"    类别: {rng.choice('AAB')}",
                  f"    文号: {lead[2]}〔{year}〕{number if letter == 'J' else 50000 + number}号", "    签发人: 王五", "    联系人: 赵六", "    电话: 0937-1234567",
                  "    公开: 主动公开", "    正文: |", *("      " + PARAGRAPH.format(s=subject) for _ in range(6))]
    if stage > 0.7:
        lines += ["评价:", f"  - 日期: {year}-06-20", "    评价人: 张三", "    工作: 满意", "    结果: 满意", f"办结: {year}-07-01"]
    return "\n".join(lines) + "\n"


def generate(root: Path, count: int, year: int = 2024, seed: int = 7, unassigned: bool = False) -> None:
    """`unassigned`: every item registered and none assigned yet, as a ledger is before its 交办会."""
    rng = random.Random(seed)
    (root / str(year)).mkdir(parents=True, exist_ok=True)
    (root / "tiandz.yaml").write_text(CONFIG.format(year=year, units=unit_block()), encoding="utf-8")
    (root / ".gitignore").write_text("out/\n.tiandz/\n", encoding="utf-8")
    suggestions = count * 3 // 5
    for index in range(count):
        letter, number = ("J", index + 1) if index < suggestions else ("T", index - suggestions + 1)
        path = root / str(year) / f"{year}-{letter}-{number:04d}.yaml"
        path.write_text(item_text(year, letter, number, rng, unassigned), encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    # Packed here and now, as a ledger in use is: the commit's `git gc --auto` would otherwise pack the 15,000
    # loose objects in the background, taking a core from whatever is timed next (a 交办会 ran 40% slower).
    subprocess.run(["git", "-C", str(root), "-c", "gc.auto=0", "commit", "-q", "-m", "benchmark ledger"], check=True)
    subprocess.run(["git", "-C", str(root), "repack", "-adq"], check=True)


def generate_empty(root: Path, year: int = 2024) -> None:
    """A ledger with the same units and no items, under git, for an import."""
    (root / str(year)).mkdir(parents=True, exist_ok=True)
    (root / "tiandz.yaml").write_text(CONFIG.format(year=year, units=unit_block()), encoding="utf-8")
    (root / ".gitignore").write_text("out/\n.tiandz/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", "empty ledger"], check=True)


def generate_list(path: Path, count: int, year: int = 2024, seed: int = 7) -> None:
    """The 交办清单 of `count` rows in two sheets (建议 three fifths, 提案 the rest): a title row, the header in
    the office's words, 主办 and 协办 (as 简称, some with their role written), 类别 holding the topic, a dated
    row each, four paragraphs of 内容, and a footer."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook()
    book.remove(book.active)
    suggestions = count * 3 // 5
    for kind, rows in (("建议", suggestions), ("提案", count - suggestions)):
        sheet = book.create_sheet(kind)
        sheet.append([f"县十七届人大五次会议代表{kind}交办清单" if kind == "建议" else "县十四届政协五次会议提案交办清单"])
        sheet.merge_cells("A1:J1")
        sheet.append(["序号", "案号", "建议题目" if kind == "建议" else "案由", "领衔代表" if kind == "建议" else "第一提案人",
                      "联名代表" if kind == "建议" else "附议人", "主办单位", "协办单位", "类别", "提出日期", "内容"])
        for number in range(1, rows + 1):
            subject = rng.choice(SUBJECTS)
            lead, co = rng.sample(UNITS, 2)
            co_text = f"{co[1]}（协办）" if rng.random() < 0.4 else ""
            sheet.append([number, number, f"关于加强{subject}的{kind}（{number}）", "张三", "李四、王五", lead[1], co_text,
                          rng.choice(TOPICS), f"{year}-01-15", "\n".join(PARAGRAPH.format(s=subject) for _ in range(4))])
        sheet.append(["制表人：张三        审核人：李四"])
    book.save(path)


def write_plan(root: Path, path: Path, year: int = 2024, seed: int = 11) -> int:
    """The 交办方案 for every item of a ledger `generate(…, unassigned=True)` made, as an office makes it: a
    title row, the header, one row per item (类型 and 案号 find it, 标题 is checked against it) with its 主办
    and, for about 40%, a 协办, then a 合计 row and who made the table. Returns the number of rows."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("交办方案")
    sheet.append([f"{year}年代表建议和政协提案交办方案"])
    sheet.append(["序号", "类型", "案号", "标题", "主办单位", "协办单位", "办理时限"])
    items = sorted((root / str(year)).glob("*.yaml"), key=lambda item: (item.stem[5], int(item.stem[7:])))
    for index, item in enumerate(items):
        text = item.read_text(encoding="utf-8")
        kind = "建议" if item.stem[5] == "J" else "提案"
        title = next(line[len("标题: "):] for line in text.splitlines() if line.startswith("标题: "))
        lead, co = rng.sample(UNITS, 2)
        sheet.append([index + 1, kind, int(item.stem[7:]), title, lead[1], co[1] if rng.random() < 0.4 else None, None])
    sheet.append([f"合计 {len(items)} 件"])
    sheet.append(["制表人：张三", None, None, "审核人：李四"])
    book.save(path)
    return len(items)




CONTACT = "  - 日期: {date}\n    方式: 电话\n    单位: {unit}\n    人员: 赵六\n    内容: 沟通办理进展（第 {n} 次）\n"
HISTORY_YEARS = 5  # a ledger with a long history holds several years, each in its own folder


def generate_history(root: Path, count: int, commits: int, seed: int = 7) -> None:
    """A ledger of `count` items over five years (2020–2024 folders) whose history has `commits` commits,
    built by one `git fast-import` (committing them one by one would take hours): the first registers every
    item, each of the others is one step on one item (a 沟通 appended, with the step's subject and trailers),
    and about one in forty is a merge, as a unit's clone synced in brings its own steps on other items."""
    rng = random.Random(seed)
    years = list(range(2024 - HISTORY_YEARS + 1, 2025))
    contents: dict[str, str] = {}  # path → the file as the main branch has it
    for year in years:
        size = count // len(years)
        suggestions = size * 3 // 5
        for index in range(size):
            letter, number = ("J", index + 1) if index < suggestions else ("T", index - suggestions + 1)
            text = item_text(year, letter, number, rng)
            contents[f"{year}/{year}-{letter}-{number:04d}.yaml"] = text
    # Steps happen on items assigned and not yet closed.
    paths = sorted(path for path, text in contents.items() if "  主办: [" in text and "办结:" not in text)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    importer = subprocess.Popen(["git", "-C", str(root), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE)
    stream = importer.stdin
    clock = [1577836800]  # 2020-01-01, one commit a minute from then on

    def data(text: str) -> bytes:
        body = text.encode("utf-8")
        return b"data %d\n" % len(body) + body + b"\n"

    def header(branch: str, message: str, merge: str | None = None) -> None:
        clock[0] += 60
        stream.write(f"commit {branch}\nauthor 张三 <a@example.cn> {clock[0]} +0800\n"
                     f"committer 张三 <a@example.cn> {clock[0]} +0800\n".encode() + data(message))
        if merge:
            stream.write(f"merge {merge}\n".encode())

    def step_on(branch: str, path: str, number: int) -> None:
        unit, name = contents[path].split("  主办: [", 1)[1].split("]", 1)[0], path[5:-5]
        text = contents[path]
        end = text.find("\n", text.index("\n沟通:\n") + 1)  # the end of the 沟通 list: the next top-level key
        while end + 1 < len(text) and text[end + 1] == " ":
            end = text.find("\n", end + 1)
        contact = CONTACT.format(date=f"{path[:4]}-04-{2 + number % 27:02d}", unit=unit, n=number)
        contents[path] = text[: end + 1] + contact + text[end + 1 :]
        header(branch, f"沟通 {name}：电话 {unit}\n\nTiandz-Step: contact\nTiandz-Item: {name}\n")
        stream.write(f"M 100644 inline {path}\n".encode() + data(contents[path]))

    header("refs/heads/main", "benchmark ledger")
    config = CONFIG.format(year=years[-1], units=unit_block())
    for path, text in (("tiandz.yaml", config), (".gitignore", "out/\n.tiandz/\n"), *contents.items()):
        stream.write(f"M 100644 inline {path}\n".encode() + data(text))
    made = 1
    while made < commits:
        if made + 12 < commits and rng.random() < 1 / 30:
            # A unit's clone: steps of its own on items the office does not touch meanwhile, merged in.
            chosen = rng.sample(paths, 10)
            mine, others = chosen[:6], chosen[6:]
            stream.write(b"reset refs/heads/unit\nfrom refs/heads/main\n\n")
            for number, path in enumerate(mine):
                step_on("refs/heads/unit", path, made + number)
            for number, path in enumerate(others):
                step_on("refs/heads/main", path, made + 6 + number)
            header("refs/heads/main", "Merge branch 'unit'", "refs/heads/unit")
            for path in mine:  # the merge's tree: the office's, with the unit's files as the unit left them
                stream.write(f"M 100644 inline {path}\n".encode() + data(contents[path]))
            made += len(chosen) + 1
            continue
        step_on("refs/heads/main", rng.choice(paths), made)
        made += 1
    stream.write(b"reset refs/heads/unit\nfrom 0000000000000000000000000000000000000000\n\ndone\n")
    stream.close()
    if importer.wait():
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", "main"], check=True)

if __name__ == "__main__":
    if len(sys.argv) > 3:
        generate_history(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
    else:
        generate(Path(sys.argv[1]), int(sys.argv[2]))
