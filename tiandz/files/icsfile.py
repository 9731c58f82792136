"""The due dates of the 催办通知 as an iCalendar (.ics) file a clerk imports into any calendar program.

One all-day event per item and unit, on the day its answer or opinion is due. Each event's UID is made from
the ledger's 机关, the item's 编号, the unit and the kind of work, never from the run: the calendar of next
week's `remind` imported over this week's moves an event whose date changed (a 延期) instead of adding a
second one. A due date only ever moves later (延期, 重新办理), so its day number is the event's SEQUENCE,
which is what strict programs compare to take the newer version.

Written with `icalendar` (RFC 5545 folding, escaping and the line ends are its business, not ours).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Iterable

from tiandz.core.todo import Task

PRODUCT = "-//tiandz//催办时限//ZH"
EPOCH = dt.date(2000, 1, 1)


def event_uid(organization: str, task: Task) -> str:
    """The same text for the same item, unit and work in every run (a digest: no name reaches the UID raw)."""
    digest = hashlib.sha256("\n".join((organization, task.item_id, task.unit, task.work)).encode("utf-8")).hexdigest()
    return f"{task.item_id}-{digest[:16]}@tiandz"


def due_calendar(organization: str, tasks: Iterable[Task], stamp: dt.datetime) -> bytes:
    """The calendar of the tasks' due dates; `stamp` (UTC) is when it was made (DTSTAMP)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{organization}催办时限")
    for task in tasks:
        event = Event()
        event.add("uid", event_uid(organization, task))
        event.add("dtstamp", stamp)
        event.add("sequence", (task.due - EPOCH).days)
        event.add("dtstart", task.due)
        event.add("dtend", task.due + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: the day stays free
        event.add("summary", f"{task.item_id} {task.work}时限：{task.unit}")
        event.add("description", f"{task.item_id}　{task.title}\n{task.unit}（{task.role}）应于 {task.due.isoformat()} 前{_doing(task)}")
        calendar.add_component(event)
    return calendar.to_ical()


def _doing(task: Task) -> str:
    return "答复" if task.work == "答复" else "提出协办意见" if task.work == "协办意见" else task.work
