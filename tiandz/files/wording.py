"""The words of generated documents, from Jinja2 templates an office can copy into its ledger and change.

Offices word their letters differently (the opening, the thanks, how a title is phrased); the layout is
GB/T 9704's and stays in code. A template is a set of named blocks ({% block 标题 %}…), each one piece
of text; the document asks for the blocks it needs. The output is plain text that python-docx escapes when
it writes XML, so autoescaping stays off on purpose: `A&B<重点>` must come out as written.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from tiandz.core.problems import closest, refuse
from tiandz.files.resources import template as template_path


def render_blocks(name: str, values: dict[str, Any], ledger_root: Path | None, needed: tuple[str, ...]) -> dict[str, str]:
    """Every needed block of the template `name`, rendered with `values`; a broken template is refused."""
    import jinja2

    path = template_path(name, ledger_root)
    shown = _shown(path, ledger_root)
    try:
        compiled = _compiled(path, path.stat().st_mtime_ns)
    except OSError as error:
        refuse(f"无法读取模板：{error.strerror}", path=shown)
    except jinja2.TemplateSyntaxError as error:
        refuse(f"模板语法错误：{error.message}", path=shown, line=error.lineno)
    missing = [block for block in needed if block not in compiled.blocks]
    if missing:
        refuse(f"模板缺少 {'、'.join(missing)}", path=shown, hint="每处文字写作 {% block 名称 %}…{% endblock %}，可对照随 tiandz 发布的模板")
    context = compiled.new_context(dict(values))
    rendered: dict[str, str] = {}
    for block in needed:
        try:
            rendered[block] = "".join(compiled.blocks[block](context)).strip()
        except jinja2.UndefinedError as error:
            unknown = str(error.message or "").split("'")[1] if "'" in str(error.message) else str(error.message)
            near = closest(unknown, values)
            refuse(
                f"模板的“{block}”用了没有的值“{unknown}”",
                path=shown,
                hint=f"是否为“{near}”？" if near else f"可用的值：{' '.join(values)}",
            )
        except jinja2.TemplateError as error:
            refuse(f"模板的“{block}”无法生成：{error}", path=shown)
    return rendered


@functools.lru_cache(maxsize=8)
def _compiled(path: Path, modified: int):
    """One compile per template and run: a yearly compilation renders it for every letter."""
    import jinja2

    environment = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)
    environment.filters["书名号"] = book_title
    return environment.from_string(path.read_text(encoding="utf-8-sig"))


def book_title(title: str) -> str:
    """《title》, with the 书名号 already inside it made single (《关于贯彻〈条例〉的建议》), as Chinese nests them."""
    return "《" + str(title).replace("《", "〈").replace("》", "〉") + "》"


def _shown(path: Path, ledger_root: Path | None) -> str:
    if ledger_root is not None:
        try:
            return str(path.relative_to(ledger_root))
        except ValueError:
            pass
    return f"templates/{path.name}（随 tiandz 发布）"
