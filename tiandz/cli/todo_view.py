"""What `tiandz todo` prints: the unit's or the office's list as short sections of aligned lines.

Plain text, as `list` prints (a rich table costs seconds for thousands of rows); an overdue line red at a
terminal. Every section is printed, an empty one saying so, so a clerk sees that nothing was left out.
"""

from __future__ import annotations

from tiandz.cli.views import aligned_lines, short
from tiandz.core.dates import chinese_date
from tiandz.core.display import visible


def _days(days_left: int) -> str:
    return f"逾期{-days_left}天" if days_left < 0 else f"剩{days_left}天"


def _section(title: str, headings: tuple[str, ...], rows: list, color: bool, empty: str = "无") -> list[str]:
    if not rows:
        return [f"{title}：{empty}", ""]
    return [f"{title}（{len(rows)}）", *aligned_lines(headings, rows, color, indent="  "), ""]


def _task_rows(tasks, with_unit: bool = False) -> list:
    return [
        ((task.item_id, short(visible(task.title)), *((visible(task.unit),) if with_unit else ()), task.role,
          task.due.isoformat(), _days(task.days_left) + ("（重新办理）" if task.redo else "")), task.overdue)
        for task in tasks
    ]


def _request_rows(requests, with_unit: bool) -> list:
    rows = []
    for request in requests:
        asked = f"延期至 {request.until.isoformat()}" if request.until else (
            "退回" + (f"，建议由{visible('、'.join(request.suggested_units))}办理" if request.suggested_units else ""))
        rows.append(((request.item_id, short(visible(request.title)), *((visible(request.unit),) if with_unit else ()),
                      request.date.isoformat(), visible(asked), f"已等{request.days_waiting}天"), False))
    return rows


def _promise_rows(promises, with_unit: bool) -> list:
    return [
        ((promise.item_id, *((visible(promise.unit),) if with_unit else ()), short(visible(promise.matter), 30),
          promise.deadline.isoformat(), f"逾期{promise.days_over}天"), True)
        for promise in promises
    ]


def todo_lines(todo, color: bool) -> list[str]:
    if todo.unit_work is not None:
        return _unit_lines(todo, color)
    return _office_lines(todo, color)


def _unit_lines(todo, color: bool) -> list[str]:
    work = todo.unit_work
    late = sum(task.overdue for task in work.tasks)
    near = sum(task.soon(todo.within) for task in work.tasks)
    lines = [f"{visible(work.unit)}的待办（{chinese_date(todo.today)}）：逾期 {late} 项，{todo.within} 天内到期 {near} 项", ""]
    headings = ("编号", "标题", "承办", "时限", "剩余")
    lines += _section("待沟通", headings, _task_rows(work.contact), color)
    lines += _section("待答复", headings, _task_rows(work.answer), color)
    lines += _section("待提协办意见", headings, _task_rows(work.opinion), color)
    lines += _section("待机关处理的申请", ("编号", "标题", "日期", "申请", "等待"), _request_rows(work.requests, False), color)
    lines += _section("逾期未完成的承诺", ("编号", "事项", "期限", "逾期"), _promise_rows(work.promises, False), color)
    return lines


def _office_lines(todo, color: bool) -> list[str]:
    work = todo.office_work
    late = sum(len(tasks) for tasks in work.overdue.values())
    near = sum(len(tasks) for tasks in work.soon.values())
    lines = [
        f"交办机关的待办（{chinese_date(todo.today)}）：待处理申请 {len(work.requests)} 件，逾期 {late} 项，"
        f"{todo.within} 天内到期 {near} 项，待评价 {len(work.awaiting_rating)} 件", "",
    ]
    lines += _section("待处理的申请", ("编号", "标题", "单位", "日期", "申请", "等待"), _request_rows(work.requests, True), color)
    lines += _by_unit("逾期未办（按单位）", work.overdue, color)
    lines += _by_unit(f"{todo.within} 天内到期（按单位）", work.soon, color)
    rating_rows = [
        ((entry.item_id, short(visible(entry.title)), visible("、".join(entry.units)), entry.answered.isoformat(),
          f"已等{entry.days_waiting}天"), False)
        for entry in work.awaiting_rating
    ]
    lines += _section("待评价的答复", ("编号", "标题", "答复单位", "答复日期", "等待"), rating_rows, color)
    lines += _section("逾期未完成的承诺", ("编号", "单位", "事项", "期限", "逾期"), _promise_rows(work.promises, True), color)
    return lines


def _by_unit(title: str, tasks_by_unit: dict, color: bool) -> list[str]:
    if not tasks_by_unit:
        return [f"{title}：无", ""]
    lines = [f"{title}（{len(tasks_by_unit)} 个单位）"]
    for unit, tasks in tasks_by_unit.items():
        lines.append(f"  {visible(unit)}（{len(tasks)}）")
        rows = [((task.item_id, short(visible(task.title)), task.role + task.work.removeprefix("协办"),
                  task.due.isoformat(), _days(task.days_left)), task.overdue) for task in tasks]
        lines += ["  " + line for line in aligned_lines(("编号", "标题", "事项", "时限", "剩余"), rows, color, indent="  ")]
    return lines + [""]
