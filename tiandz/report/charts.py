"""The report's charts as pictures for the Word report: 办复进度 by unit and the classes' shares.

A leader looks at a bar before reading a table. The pictures are drawn by matplotlib (Agg, no display),
imported only when a chart is drawn: a JSON report never pays for it. The words on a chart are Chinese, so a
font with Chinese glyphs is looked for among the machine's fonts; without one no chart is drawn (a chart
of boxes is worse than none) and the report says so.

The figures come from the same tables as every other output (report/tables.py, report/figures.py), so a
chart never disagrees with the table beside it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from tiandz.report.build import Report

# Families with Chinese glyphs, the ones a Chinese office's machine or a Linux server usually has, best first.
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Microsoft YaHei", "SimHei", "PingFang SC",
    "Heiti SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Sans CJK JP", "Noto Sans CJK TC",
    "Source Han Sans CN", "Noto Serif CJK SC", "Noto Serif CJK JP", "SimSun", "Songti SC", "AR PL UMing CN",
    "Droid Sans Fallback",
)
PROBE = "办复进度类别"  # characters a usable font must have
MOST_UNITS = 30  # bars in the unit chart; the rest are in the 附表
WIDTH_INCHES = 6.1  # the 156 mm text block
DPI = 150
ANSWERED, IN_PROGRESS, OVERDUE = "已答复", "办理中", "逾期未复"
COLOURS = {ANSWERED: "#2e7d32", IN_PROGRESS: "#f9a825", OVERDUE: "#c62828"}
NO_FONT = "本机找不到含中文字形的字体，Word 报告未附图表；安装中文字体（如 fonts-noto-cjk、思源黑体、黑体）后重做报告即可附图"


@dataclass
class Picture:
    caption: str
    png: bytes
    height_ratio: float  # height over width, to size it in the document


def unit_progress(report: Report) -> list[tuple[str, int, int, int]]:
    """(unit, answered, in progress, overdue) of each unit's 主办 items, in the 承办单位 table's order."""
    rows = []
    for row in report.tables.units:
        if row.lead:
            rows.append((row.unit, row.answered, max(0, row.lead - row.answered - row.overdue), row.overdue))
    return rows


def class_shares(report: Report) -> list[tuple[str, int, str]]:
    """(class, answered items first given it, its share of the answered items) for the classes given at all."""
    shares = report.figures.category_shares()
    return [(name, share.numerator, share.percent()) for name, share in shares.items() if share.numerator]


def chinese_font_file() -> str | None:
    """The file of a font with Chinese glyphs on this machine, or None."""
    from matplotlib import font_manager

    by_name: dict[str, str] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, entry.fname)
    for family in CJK_FAMILIES:
        path = by_name.get(family)
        if path and _has_glyphs(font_manager.get_font, path):
            return path
    return None


def _has_glyphs(open_font, path: str) -> bool:
    """Whether the font has the characters of the charts (matplotlib keeps the font it opens here for drawing)."""
    try:
        charmap = open_font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(character) in charmap for character in PROBE)


def report_pictures(report: Report) -> tuple[list[Picture], list[str]]:
    """The charts of the report (those with anything to show), and warnings (no Chinese font)."""
    progress, shares = unit_progress(report), class_shares(report)
    if not progress and not shares:
        return [], []
    font = chinese_font_file()
    if font is None:
        return [], [NO_FONT]
    pictures = []
    if progress:
        pictures.append(_progress_picture(progress, font))
    if shares:
        pictures.append(_shares_picture(shares, report.figures.answered, font))
    return pictures, []


def _figure(height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _progress_picture(rows: list[tuple[str, int, int, int]], font: str) -> Picture:
    from matplotlib.font_manager import FontProperties

    shown, rest = rows[:MOST_UNITS], rows[MOST_UNITS:]
    text = FontProperties(fname=font, size=9)
    height = 1.2 + 0.28 * len(shown)
    figure = _figure(height)
    axes = figure.add_axes((0.3, 0.9 / height + 0.05, 0.66, 1 - (1.3 / height) - 0.05))
    positions = list(range(len(shown)))
    left = [0] * len(shown)
    for index, (name, colour) in enumerate(COLOURS.items()):
        values = [row[index + 1] for row in shown]
        axes.barh(positions, values, left=left, color=colour, label=name, height=0.7)
        for position, start, value in zip(positions, left, values):
            if value:
                axes.text(start + value / 2, position, str(value), ha="center", va="center", fontsize=7, color="white")
        left = [start + value for start, value in zip(left, values)]
    axes.set_yticks(positions, [row[0] for row in shown], fontproperties=text)
    axes.invert_yaxis()
    axes.set_xlabel("主办件数", fontproperties=text)
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    axes.legend(prop=text, ncols=3, loc="lower center", bbox_to_anchor=(0.35, 1.0), frameon=False)
    caption = "各承办单位办复进度（主办件，分办件按每个主办单位各计一次）"
    if rest:
        caption += f"；另有 {len(rest)} 个单位见附表"
    return Picture(caption, _png(figure), height / WIDTH_INCHES)


def _shares_picture(shares: list[tuple[str, int, str]], answered: int, font: str) -> Picture:
    from matplotlib.font_manager import FontProperties

    height = 2.4
    figure = _figure(height)
    axes = figure.add_axes((0.02, 0.04, 0.45, 0.92))
    palette = ["#1565c0", "#42a5f5", "#90caf9", "#ffb74d", "#e57373", "#9e9e9e"]
    labels = [f"{name}类 {count}件，占{percent}" for name, count, percent in shares]
    wedges, _ = axes.pie([count for _, count, _ in shares], colors=[palette[i % len(palette)] for i in range(len(shares))],
                         startangle=90, counterclock=False, wedgeprops={"width": 0.45, "edgecolor": "white"})
    axes.set_aspect("equal")
    figure.legend(wedges, labels, prop=FontProperties(fname=font, size=10), loc="center left", bbox_to_anchor=(0.5, 0.5), frameon=False)
    return Picture(f"答复类别占比（占已答复件的比例，已答复 {answered} 件）", _png(figure), height / WIDTH_INCHES)
