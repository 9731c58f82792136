"""The words of generated documents, from Jinja2 templates an office can copy into its ledger and change.

Offices word their letters differently (the opening, the thanks, how a title is phrased); the layout is
GB/T 9704's and stays in code. A template is a set of named blocks ({% block 标题 %}…), each one piece
of text; the document asks for the blocks it needs. The output is plain text that python-docx escapes when
it writes XML, so autoescaping stays off on purpose: `A&B<重点>` must come out as written.

A ledger's templates may come from another office's machine (the ledger is shared through git), so every
template renders in Jinja2's immutable sandbox: it reads the values it is given and calls our filters, and
an attempt to reach Python itself (`cycler.__init__.__globals__`) is refused with the file and the line.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from tiandz.core.oserrors import hint, reason
from tiandz.core.problems import closest, refuse
from tiandz.files.reading import TEXT_LIMIT, read_bytes
from tiandz.files.resources import template as template_path


def render_blocks(name: str, values: dict[str, Any], ledger_root: Path | None, needed: tuple[str, ...]) -> dict[str, str]:
    """Every needed block of the template `name`, rendered with `values`; a broken template is refused."""
    import jinja2

    path = template_path(name, ledger_root)
    shown = _shown(path, ledger_root)
    try:
        compiled = _compiled(path, path.stat().st_mtime_ns)
    except OSError as error:
        refuse(f"无法读取模板：{reason(error)}", path=shown, hint=hint(error))
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
        except jinja2.exceptions.SecurityError as error:
            refuse(
                f"模板的“{block}”试图访问 Python 内部（{_attribute(error)}），已拒绝",
                path=shown,
                line=template_line(error),
                hint="台账里的模板只能使用提供的值和过滤器；这份模板可能来自他人，请核对后再用",
            )
        except jinja2.UndefinedError as error:
            unknown = _unknown_name(str(error.message or ""))
            if unknown.startswith("_"):  # not found, but asked for all the same: say what it was
                refuse(f"模板的“{block}”试图访问 Python 内部（{unknown}），已拒绝", path=shown, line=template_line(error))
            near = closest(unknown, values)
            refuse(
                f"模板的“{block}”用了没有的值“{unknown}”",
                path=shown,
                line=template_line(error),
                hint=f"是否为“{near}”？" if near else f"可用的值：{' '.join(values)}",
            )
        except jinja2.TemplateError as error:
            refuse(f"模板的“{block}”无法生成：{error}", path=shown, line=template_line(error))
        except Exception as error:  # whatever a template's own code raises ({% include %}, range(10**9)) is its fault
            refuse(f"模板的“{block}”无法生成：{error}", path=shown, line=template_line(error))
    return rendered


LARGEST = 1_000_000  # characters or items a template may make with `*`; a letter has a few thousand


def sandboxed(**options):
    """The one Jinja2 environment tiandz renders with: the immutable sandbox (no attribute starting with
    `_`, no method that changes a list or dict), undefined values an error rather than empty text, and `*`
    and `**` bounded: `{{ 'x' * 10**10 }}` in a template from another office would otherwise take all the
    clerk's memory, and `{{ 9**9**9 }}` all the processor."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Bounded(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context, operator, left, right):
            if operator == "**" and _numbers(left, right) and (abs(right) > 64 or abs(left) > LARGEST):
                raise jinja2.TemplateRuntimeError(f"乘方 {left} ** {right} 太大")
            if operator == "*":
                for sequence, count in ((left, right), (right, left)):
                    if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and len(sequence) * count > LARGEST:
                        raise jinja2.TemplateRuntimeError(f"重复生成的文字或列表太长（超过 {LARGEST:,}）")
            return super().call_binop(context, operator, left, right)

    environment = Bounded(autoescape=False, undefined=jinja2.StrictUndefined, **options)
    environment.filters["书名号"] = book_title
    return environment


def _numbers(*values) -> bool:
    return all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in values)


def template_line(error: BaseException) -> int | None:
    """The template line an error was raised at, from the traceback's frames of compiled template code
    (as Jinja2 itself maps them when it rewrites a traceback); blocks are called directly, so it has not."""
    line = None
    trace = error.__traceback__
    while trace is not None:
        compiled = trace.tb_frame.f_globals.get("__jinja_template__")
        if compiled is not None:
            line = compiled.get_corresponding_lineno(trace.tb_lineno)
        trace = trace.tb_next
    return line


def _unknown_name(message: str) -> str:
    """`'称乎' is undefined` → 称乎; `'dict object' has no attribute '百分笔'` → 百分笔."""
    found = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)'", message)
    return found.group(1) if found else message


def _attribute(error: BaseException) -> str:
    found = re.search(r"attribute '([^']+)'", str(error)) or re.search(r"'([^']+)'", str(error))
    return found.group(1) if found else str(error)


@functools.lru_cache(maxsize=8)
def _compiled(path: Path, modified: int):
    """One compile per template and run: a yearly compilation renders it for every letter."""
    # The office's own copy may have come from another machine: a regular file of bounded size, not a link.
    return sandboxed().from_string(read_bytes(path, TEXT_LIMIT).decode("utf-8-sig"))


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
