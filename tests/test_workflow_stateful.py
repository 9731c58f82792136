"""Random sequences of workflow steps, valid and invalid, on one item in a real ledger under git.

The property, after every step (spec/cli.md "What every step command does", spec/ledger.md):

- refused (TiandzError): no byte of any ledger file changed, HEAD did not move, `git status` is clean;
- accepted: exactly one new commit, touching the item's file alone, with the trailers `Tiandz-Step: <step>`
  and `Tiandz-Item: 2024-J-015`; the ledger passes `check` (no error); and the item's state, as tiandz derives
  it from the file, is the state a shadow model derives from spec/ledger.md's table ("State is derived") over
  the steps that were accepted;
- no other exception escapes a step (the clerk never sees a traceback).

Where the spec makes the outcome certain the machine predicts it too. Refused: a date after today or before
the 提出日期; an unknown unit, 类别, rating, 方式 or 沟通方式; a step the state does not allow (答复 before 交办,
办结 while 办理中 …); a date before the step it follows (a 交办 or 退回 before the last 改办/退回, an answer
before the 交办, a 评价 before the answer, a 延期 in 重新办理 before the 评价 that reopened the item).
Accepted: plainly valid 沟通, 协办意见, 答复, 评价, 承诺完成, 转化 and 办结. An accepted 延期 makes its 至 the
due date, later than the one before.

The shadow is plain Python written from the spec; tiandz's functions are only observed, never used to derive
the expected state. Its reading of the spec where the table is terse: an answer counts as "since the last 交办"
when dated on or after that 交办, and a 评价 as "after the latest 答复" when dated on or after it (the file
keeps dates, not the order of one day's events); 重新办理 wins over 办理中 when both hold (a 分办 item rated
不满意 after one of its 主办 answered). Issue 12 adds: event lists are kept in date order (a back-dated step is
inserted at its date, so "the latest" is the last by date, and promises are numbered in that order); a 分办
item is rated per 主办 and a 不满意 sends back that unit's answer only; a 沟通 after 办结 (办后回访) is accepted;
a 转化 goes from an unsolved class to a solved one (here: to A from B or C) and nothing else is accepted.

Steps come from two kinds of rules: one per step with anything a clerk might type, and `clerk_works_on`,
which takes the steps the state calls for with valid input, so that runs reach 已答复, 重新办理 and 已办结.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from conftest import CONFIG, ITEM
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from tiandz.core.problems import ERROR, TiandzError
from tiandz.core.state import due_date, state_of
from tiandz.ledger.folder import Ledger
from tiandz.ledger.items import load_item
from tiandz.ops.check import check_ledger
from tiandz.steps.assign import assign
from tiandz.steps.close import close
from tiandz.steps.contact import contact
from tiandz.steps.convert import convert
from tiandz.steps.extend import extend
from tiandz.steps.feedback import feedback
from tiandz.steps.opinion import opinion
from tiandz.steps.promise import promise_done
from tiandz.steps.reply import Answer, reply
from tiandz.steps.returning import return_item

TODAY = dt.date(2024, 12, 31)
SUBMITTED = dt.date(2024, 1, 20)  # 提出日期 of conftest.ITEM
CLOCK_START = dt.date(2024, 2, 1)
ITEM_ID = "2024-J-015"
ITEM_FILE = "2024/2024-J-015.yaml"

# The states of spec/ledger.md, spelled out here rather than imported: the shadow is independent.
UNASSIGNED, IN_PROGRESS, REDO, ANSWERED, CLOSED = "待交办", "办理中", "重新办理", "已答复", "已办结"

# conftest.CONFIG's units: what a clerk may type (full name or 简称) → the full name the file keeps.
UNIT_NAMES = {
    "县教育和体育局": "县教育和体育局",
    "教体局": "县教育和体育局",
    "县公安局": "县公安局",
    "公安局": "县公安局",
    "县市场监督管理局": "县市场监督管理局",
    "市场监管局": "县市场监督管理局",
    "县交通运输局": "县交通运输局",
    "交通局": "县交通运输局",
}
UNKNOWN_UNIT = "县不存在局"
FULL_NAMES = sorted(set(UNIT_NAMES.values()))
# Mostly a unit by its full name, sometimes by 简称, rarely one tiandz.yaml does not know.
TYPED_UNITS = st.sampled_from([*FULL_NAMES, *FULL_NAMES, *UNIT_NAMES, UNKNOWN_UNIT])
CONTACT_METHODS = ("电话", "面商", "走访")  # a few of conftest.CONFIG's default 沟通方式
CATEGORIES = ("A", "B", "C")  # the default 分类
RATINGS = ("满意", "基本满意", "不满意")
# The 最长 limit is 6个月 and the 退回 window 5个工作日: no six months are longer than 184 days, and no five
# working days (Spring Festival included) run past 20 calendar days.
LONGEST_DAYS = 184
RETURN_WINDOW_DAYS = 20

# When a step is dated: mostly the clock moved on by 0-20 days; sometimes before the clock (maybe before
# the step it follows), before the 提出日期, or after today. The date is typed in one of the accepted forms.
WHEN = st.tuples(
    st.sampled_from(["clock"] * 6 + ["earlier"] * 3 + ["before 提出日期", "future"]),
    st.one_of(st.integers(0, 3), st.integers(0, 20)),
    st.sampled_from(["iso", "iso", "slash", "chinese"]),
)
LATER = st.tuples(st.just("clock"), st.integers(1, 10), st.just("iso"))  # a valid date after the clock
# Steps clerks often record late, dated when they happened: as often before the clock as after it.
BACKDATED = st.tuples(st.sampled_from(["earlier", "clock"]), st.integers(0, 10), st.just("iso"))


def typed_date(day: dt.date, form: str) -> str:
    if form == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    if form == "chinese":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def git(root: Path, *arguments: str) -> str:
    return subprocess.run(["git", "-C", str(root), *arguments], check=True, capture_output=True, text=True).stdout


# ---------------------------------------------------------------------------------------------------------
# The shadow model: what was accepted, and the state spec/ledger.md derives from it.


@dataclass
class Assignment:
    date: dt.date
    leads: list[str]
    co_units: list[str]


@dataclass
class ShadowPromise:
    reply_date: dt.date
    done: bool = False


@dataclass
class ShadowReply:
    unit: str
    date: dt.date
    category: str
    promises: list[ShadowPromise] = field(default_factory=list)


@dataclass
class ShadowEvaluation:
    date: dt.date
    result: str
    unit: str | None  # the 主办 whose answer is rated (分办), else None: the item


def insert_by_date(entries: list, entry, day: dt.date) -> None:
    """As the file keeps a list: after every entry dated on or before the new one."""
    position = len(entries)
    while position > 0 and entries[position - 1].date > day:
        position -= 1
    entries.insert(position, entry)


@dataclass
class Shadow:
    assignment: Assignment | None = None
    reassignment_dates: list[dt.date] = field(default_factory=list)  # 改办 entries, from 改办 and 退回
    replies: list[ShadowReply] = field(default_factory=list)
    contacts: list[tuple[str, dt.date]] = field(default_factory=list)
    evaluations: list[ShadowEvaluation] = field(default_factory=list)
    extension_dates: list[dt.date] = field(default_factory=list)
    opinion_dates: list[dt.date] = field(default_factory=list)
    conversions: list[tuple[dt.date, str]] = field(default_factory=list)
    closed: dt.date | None = None

    def current_replies(self) -> list[ShadowReply]:
        """Answers since the last 交办."""
        if self.assignment is None:
            return []
        return [answer for answer in self.replies if answer.date >= self.assignment.date]

    def unanswered_leads(self) -> list[str]:
        answered = {answer.unit for answer in self.current_replies()}
        return [unit for unit in self.assignment.leads if unit not in answered] if self.assignment else []

    @property
    def promises(self) -> list[ShadowPromise]:
        """Numbered across the answers in the file's (date) order, as `tiandz show` lists them."""
        return [promise for answer in self.replies for promise in answer.promises]

    def leads(self) -> list[str]:
        return self.assignment.leads if self.assignment else []

    def evaluation_of(self, unit: str | None) -> ShadowEvaluation | None:
        """The latest 评价 of a 主办's answer: naming that unit, or naming none (the item's)."""
        rated = [evaluation for evaluation in self.evaluations if evaluation.unit in (unit, None)]
        return rated[-1] if rated else None

    def last_answer(self, unit: str | None) -> dt.date | None:
        days = [answer.date for answer in self.current_replies() if unit in (None, answer.unit)]
        return max(days) if days else None

    def redo_units(self) -> dict[str, dt.date]:
        """主办 → the date of the 评价 that sends its answer back: dated on or after the answer it rates (a 评价
        naming no unit: after the latest answer of any) and rating 结果 不满意 (基本满意 does not: the conftest
        config leaves 基本满意需重新办理 at its default, false)."""
        reopened = {}
        for unit in self.leads():
            evaluation = self.evaluation_of(unit)
            if evaluation is None or evaluation.result != "不满意":
                continue
            answer = self.last_answer(evaluation.unit)
            if answer is not None and evaluation.date >= answer:
                reopened[unit] = evaluation.date
        return reopened

    def redo_start(self) -> dt.date:
        return min(self.redo_units().values())

    def rated_for_redo(self) -> bool:
        return bool(self.redo_units())

    def state(self) -> str:
        if self.closed is not None:
            return CLOSED
        if self.assignment is None:
            return UNASSIGNED
        if self.rated_for_redo():
            return REDO
        if self.unanswered_leads():
            return IN_PROGRESS
        return ANSWERED

    def units(self) -> list[str]:
        return self.assignment.leads + self.assignment.co_units if self.assignment else []

    def category(self) -> str | None:
        if self.conversions:
            return self.conversions[-1][1]
        return self.replies[-1].category if self.replies else None

    def handling_dates(self) -> list[dt.date]:
        """Every dated step 办结 must not precede (ledger.md: … ≤ 沟通/答复/评价 dates ≤ 办结)."""
        days = [SUBMITTED, *self.reassignment_dates, *self.extension_dates, *self.opinion_dates]
        days += [day for _, day in self.contacts] + [answer.date for answer in self.replies]
        days += [evaluation.date for evaluation in self.evaluations]
        if self.assignment:
            days.append(self.assignment.date)
        return days


# ---------------------------------------------------------------------------------------------------------


class WorkflowMachine(RuleBasedStateMachine):
    """One item, 2024-J-015, taken through random steps; the shadow follows what tiandz accepted."""

    @initialize()
    def make_ledger(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="tiandz-stateful-")) / "台账"
        (self.root / "2024").mkdir(parents=True)
        (self.root / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
        (self.root / ".gitignore").write_text("out/\n.tiandz/\n", encoding="utf-8")
        (self.root / ITEM_FILE).write_text(ITEM, encoding="utf-8")
        git(self.root, "init", "-q")
        git(self.root, "config", "user.name", "测试员")
        git(self.root, "config", "user.email", "clerk@example.org")
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", "init")
        self.ledger = Ledger(self.root)
        self.head = git(self.root, "rev-parse", "HEAD").strip()
        self.commits = 1
        self.clock = CLOCK_START
        self.shadow = Shadow()

    def teardown(self) -> None:
        root = getattr(self, "root", None)
        if root is not None:
            shutil.rmtree(root.parent, ignore_errors=True)

    # --- helpers -------------------------------------------------------------------------------------

    def date_of(self, when) -> tuple[str, dt.date, list[str]]:
        """The typed date, the day it means, and the refusals that day alone makes certain."""
        kind, days, form = when
        if kind == "clock":
            self.clock = min(self.clock + dt.timedelta(days=days), TODAY)
            day = self.clock
        elif kind == "earlier":
            day = self.clock - dt.timedelta(days=days + 1)
        elif kind == "before 提出日期":
            day = SUBMITTED - dt.timedelta(days=days + 1)
        else:
            day = TODAY + dt.timedelta(days=days + 1)
        refusals = []
        if day > TODAY:
            refusals.append(f"the date {day} is after today ({TODAY})")
        if day < SUBMITTED:
            refusals.append(f"the date {day} is before the 提出日期 {SUBMITTED}")
        return typed_date(day, form), day, refusals

    def pick_unit(self, data, units: list[str]) -> str:
        """Mostly one of the given units (as typed: full name); sometimes any name a clerk might type."""
        if units:
            return data.draw(st.one_of(st.sampled_from(units), st.sampled_from(units), TYPED_UNITS), label="unit")
        return data.draw(TYPED_UNITS, label="unit")

    def files(self) -> dict[str, bytes]:
        """Every file of the ledger but git's and tiandz's own working folders."""
        tops = [path for path in self.root.iterdir() if path.name not in (".git", ".tiandz")]
        paths = [path for top in tops for path in ([top] if top.is_file() else top.rglob("*")) if path.is_file()]
        return {path.relative_to(self.root).as_posix(): path.read_bytes() for path in sorted(paths)}

    def attempt(self, step: str, call: Callable[[], object], refusals: list[str], certain: bool = False) -> bool:
        """Run one step; check what a refusal or an acceptance must leave behind. True when accepted."""
        state = self.shadow.state()
        before = self.files()
        try:
            call()
        except TiandzError as refusal:
            event(f"{step} refused in {state}")
            assert not certain, f"{step} in state {state} should have been accepted, but was refused: {refusal}"
            assert self.files() == before, f"the refused {step} ({refusal}) changed a ledger file"
            assert git(self.root, "rev-parse", "HEAD").strip() == self.head, f"the refused {step} made a commit"
            assert git(self.root, "status", "--porcelain") == "", f"the refused {step} left the work tree unclean"
            return False
        event(f"{step} accepted in {state}")
        assert not refusals, f"{step} in state {state} was accepted, though it must be refused: {'; '.join(refusals)}"
        self.check_commit(step)
        return True

    def check_commit(self, step: str) -> None:
        head, parents, *message = git(self.root, "log", "-1", "--format=%H%n%P%n%B").splitlines()
        assert parents == self.head, f"{step}: the new commit {head} is not the one commit after {self.head}"
        count = int(git(self.root, "rev-list", "--count", "HEAD"))
        assert count == self.commits + 1, f"{step} made {count - self.commits} commits instead of one"
        touched = git(self.root, "diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD").split()
        assert touched == [ITEM_FILE], f"{step}'s commit touched {touched}, not the item file alone"
        for trailer in (f"Tiandz-Step: {step}", f"Tiandz-Item: {ITEM_ID}"):
            assert trailer in message, f"{step}'s commit lacks the trailer {trailer}: {message}"
        assert git(self.root, "status", "--porcelain") == "", f"{step} left the work tree unclean"
        self.head, self.commits = head, count

    def load(self):
        loaded = load_item(self.ledger, self.root / ITEM_FILE, TODAY)
        assert loaded.item is not None, f"the item file no longer loads: {[p.format() for p in loaded.problems]}"
        return loaded.item

    def after_acceptance(self, step: str) -> None:
        """The accepted step's file passes check, and tiandz derives the state the shadow derives."""
        problems = check_ledger(Ledger(self.root), today=TODAY)
        errors = [problem.format() for problem in problems if problem.severity == ERROR]
        assert not errors, f"after {step} the ledger fails check: {errors}"
        item, shadow = self.load(), self.shadow
        found, expected = state_of(item, self.ledger.config, TODAY), shadow.state()
        assert found == expected, f"after {step} tiandz derives the state {found}; spec/ledger.md's table gives {expected}"
        # The shadow follows the file (else comparing states proves little).
        leads = list(item.assignment.lead_units) if item.assignment else None
        expected_leads = shadow.assignment.leads if shadow.assignment else None
        assert leads == expected_leads, f"after {step} the file's 主办 are {leads}, the accepted steps give {expected_leads}"
        assert len(item.replies) == len(shadow.replies), f"after {step} the file has another number of 答复"
        assert len(item.evaluations) == len(shadow.evaluations), f"after {step} the file has another number of 评价"
        assert item.closed == shadow.closed, f"after {step} the file's 办结 is {item.closed}, not {shadow.closed}"

    def state_refusal(self, step: str, allowed: tuple[str, ...]) -> list[str]:
        state = self.shadow.state()
        return [] if state in allowed else [f"{step} is not allowed in state {state}"]

    # --- the steps: each takes what the clerk typed, predicts what it can, runs it, follows an acceptance --

    def do_assign(self, leads: list[str], co_units: list[str], mode: str | None, reason: str | None, when) -> None:
        text, day, refusals = self.date_of(when)
        shadow, state = self.shadow, self.shadow.state()
        refusals += [f"{name} is not a unit" for name in leads + co_units if name not in UNIT_NAMES]
        lead_names = [UNIT_NAMES.get(name, name) for name in leads]
        co_names = [UNIT_NAMES.get(name, name) for name in co_units]
        if mode == "乱办":
            refusals.append("乱办 is not a 方式")
        if state in (ANSWERED, CLOSED):
            refusals.append(f"交办/改办 in state {state}")
        if shadow.assignment is not None and not reason:
            refusals.append("改办 without a reason")
        if shadow.assignment is not None and day < shadow.assignment.date:
            refusals.append(f"改办 dated before the 交办 ({shadow.assignment.date}) it changes")
        if state == REDO and day < shadow.redo_start():
            refusals.append(f"改办 in 重新办理 dated before the 评价 of {shadow.redo_start()} that reopened it")
        if shadow.reassignment_dates and day < max(shadow.reassignment_dates):
            # cli.md: refused, "a date … before the step it follows"; a 交办 after a 退回 follows the 退回.
            latest = max(shadow.reassignment_dates)
            refusals.append(f"交办/改办 dated before the 改办/退回 of {latest} it follows")
        if set(lead_names) & set(co_names):
            refusals.append("a unit both 主办 and 协办")
        if mode == "分办" and len(set(lead_names)) < 2:
            refusals.append("分办 with one 主办")
        if mode == "会办" and not co_names:
            refusals.append("会办 without a 协办")
        call = lambda: assign(
            self.ledger, [ITEM_ID], leads=leads, co_units=co_units, mode=mode, date=text, reason=reason, today=TODAY
        )
        if self.attempt("assign", call, refusals):
            if shadow.assignment is not None:
                shadow.reassignment_dates.append(day)
            shadow.assignment = Assignment(day, lead_names, co_names)
            self.after_acceptance("assign")

    def do_return(self, typed: str, reason: str, when) -> None:
        shadow = self.shadow
        text, day, refusals = self.date_of(when)
        refusals += self.state_refusal("退回", (IN_PROGRESS,))
        unit = UNIT_NAMES.get(typed)
        if unit is None:
            refusals.append(f"{typed} is not a unit")
        elif unit not in shadow.units():
            refusals.append(f"{unit} does not handle the item")
        if not reason.strip():
            refusals.append("退回 without a reason")
        if unit in {answer.unit for answer in shadow.current_replies()}:
            refusals.append(f"{unit} has answered")
        if shadow.assignment and day > shadow.assignment.date + dt.timedelta(days=RETURN_WINDOW_DAYS):
            refusals.append(f"{day} is past the 退回 window after the 交办 of {shadow.assignment.date}")
        if shadow.assignment and day < shadow.assignment.date:
            refusals.append(f"退回 dated before the 交办 ({shadow.assignment.date})")
        if shadow.reassignment_dates and day < max(shadow.reassignment_dates):
            refusals.append(f"退回 dated before the 改办/退回 of {max(shadow.reassignment_dates)} it follows")
        call = lambda: return_item(self.ledger, ITEM_ID, unit=typed, reason=reason, date=text, today=TODAY)
        if self.attempt("return", call, refusals):
            assignment = shadow.assignment
            shadow.reassignment_dates.append(day)
            assignment.leads = [name for name in assignment.leads if name != unit]
            assignment.co_units = [name for name in assignment.co_units if name != unit]
            if not assignment.leads:
                shadow.assignment = None
            self.after_acceptance("return")

    def do_extend(self, until_days: int, reason: str, when) -> None:
        shadow = self.shadow
        text, day, refusals = self.date_of(when)
        refusals += self.state_refusal("延期", (IN_PROGRESS, REDO))
        base = shadow.assignment.date if shadow.assignment else self.clock
        until = base + dt.timedelta(days=until_days)
        if not reason.strip():
            refusals.append("延期 without a reason")
        if shadow.assignment and until > shadow.assignment.date + dt.timedelta(days=LONGEST_DAYS):
            refusals.append(f"延期 to {until}, past the 最长 limit after {shadow.assignment.date}")
        if until <= day:
            refusals.append(f"延期 to {until}, not after its own date {day}")
        if shadow.assignment and day < shadow.assignment.date:
            refusals.append(f"延期 dated before the 交办 ({shadow.assignment.date})")
        if shadow.state() == REDO and day < shadow.redo_start():
            refusals.append(f"延期 in 重新办理 dated before the 评价 of {shadow.redo_start()} that reopened it")
        before = due_date(self.load(), self.ledger.config, TODAY, self.ledger.holidays) if shadow.assignment else None
        call = lambda: extend(self.ledger, ITEM_ID, until=until.isoformat(), reason=reason, date=text, today=TODAY)
        if self.attempt("extend", call, refusals):
            shadow.extension_dates.append(day)
            self.after_acceptance("extend")
            after = due_date(self.load(), self.ledger.config, TODAY, self.ledger.holidays)
            assert after == until, f"the accepted 延期 to {until} (dated {day}) left the due date at {after} (was {before})"
            assert before is None or after > before, f"the accepted 延期 (dated {day}) moved the due date {before} back to {after}"

    def do_contact(self, typed: str | None, method: str, when) -> None:
        shadow = self.shadow
        text, day, refusals = self.date_of(when)
        refusals += self.state_refusal("沟通", (IN_PROGRESS, REDO, ANSWERED, CLOSED))  # after 办结: 办后回访
        if method not in CONTACT_METHODS:
            refusals.append(f"{method} is not a 沟通方式")
        unit = UNIT_NAMES.get(typed) if typed else (shadow.assignment.leads[0] if shadow.assignment else None)
        if typed and unit is None:
            refusals.append(f"{typed} is not a unit")
        elif typed and unit not in shadow.units():
            refusals.append(f"{unit} does not handle the item")
        if not typed and shadow.assignment and len(shadow.assignment.leads) != 1:
            refusals.append("沟通 without a unit on an item with several 主办")
        if shadow.assignment and day < shadow.assignment.date:
            refusals.append(f"沟通 dated before the 交办 ({shadow.assignment.date})")
        call = lambda: contact(self.ledger, ITEM_ID, method=method, unit=typed, date=text, today=TODAY)
        if self.attempt("contact", call, refusals, certain=not refusals):
            shadow.contacts.append((unit, day))
            self.after_acceptance("contact")

    def do_opinion(self, typed: str, when) -> None:
        shadow = self.shadow
        text, day, refusals = self.date_of(when)
        refusals += self.state_refusal("协办意见", (IN_PROGRESS, REDO, ANSWERED))
        unit = UNIT_NAMES.get(typed)
        if unit is None:
            refusals.append(f"{typed} is not a unit")
        elif shadow.assignment and unit not in shadow.assignment.co_units:
            refusals.append(f"{unit} is not a 协办")
        if shadow.assignment and day < shadow.assignment.date:
            refusals.append(f"协办意见 dated before the 交办 ({shadow.assignment.date})")
        call = lambda: opinion(self.ledger, ITEM_ID, unit=typed, text="同意主办意见。\n", date=text, today=TODAY)
        if self.attempt("opinion", call, refusals, certain=not refusals):
            shadow.opinion_dates.append(day)
            self.after_acceptance("opinion")

    def do_reply(self, typed: str | None, category: str, promise_days: int | None, when) -> None:
        shadow = self.shadow
        text, day, refusals = self.date_of(when)
        state = shadow.state()
        refusals += self.state_refusal("答复", (IN_PROGRESS, REDO))
        if category.upper() not in CATEGORIES:
            refusals.append(f"{category} is not a 类别")
        unit = UNIT_NAMES.get(typed) if typed else None
        if typed and unit is None:
            refusals.append(f"{typed} is not a unit")
        elif shadow.assignment and state in (IN_PROGRESS, REDO):
            reopened = shadow.redo_units()
            may_answer = shadow.unanswered_leads()
            if state == REDO:  # the units whose answer was sent back, and any that has not answered yet
                may_answer = [name for name in shadow.assignment.leads if name in reopened or name in may_answer]
            if unit is None and len(may_answer) == 1:
                unit = may_answer[0]
            if unit is None:
                refusals.append(f"答复 without a unit while {may_answer} may answer")
            elif unit not in shadow.assignment.leads:
                refusals.append(f"{unit} is not a 主办")
            elif unit not in may_answer:
                refusals.append(f"{unit} has answered since the 交办")
            elif not self.contacted(unit, day):
                refusals.append(f"{unit} answers without a 沟通 recorded (规则 答复前须沟通)")
            if day < shadow.assignment.date:
                refusals.append(f"答复 dated before the 交办 ({shadow.assignment.date})")
            if unit in reopened and day <= reopened[unit]:
                refusals.append(f"重新答复 dated not after the 评价 of {reopened[unit]}")
        promises = ()
        if promise_days is not None:
            promises = (f"完成校门口交通设施改造@{day + dt.timedelta(days=promise_days)}",)
        given = Answer(category=category, text="答复正文\n", unit=typed, promises=promises, date=text)
        call = lambda: reply(self.ledger, ITEM_ID, given, today=TODAY)
        if self.attempt("reply", call, refusals, certain=not refusals):
            answer = ShadowReply(unit, day, category.upper(), [ShadowPromise(day) for _ in promises])
            insert_by_date(shadow.replies, answer, day)
            self.after_acceptance("reply")

    def contacted(self, unit: str, day: dt.date) -> bool:
        assignment = self.shadow.assignment
        return any(name == unit and assignment.date <= on <= day for name, on in self.shadow.contacts)

    def do_feedback(self, result: str, typed: str | None, when) -> None:
        shadow = self.shadow
        text, day, refusals = self.date_of(when)
        state = shadow.state()
        refusals += self.state_refusal("评价", (IN_PROGRESS, ANSWERED, REDO))
        if result not in RATINGS:
            refusals.append(f"{result} is not a rating")
        leads = shadow.leads()
        unit = UNIT_NAMES.get(typed) if typed else None
        if typed and unit is None:
            refusals.append(f"{typed} is not a unit")
        elif unit is not None and shadow.assignment and unit not in leads:
            refusals.append(f"{unit} is not a 主办")
        several = len(leads) > 1
        if several and unit is None:
            refusals.append("评价 of a 分办 item without naming the unit")
        rated = unit if several else None
        if state == REDO and (rated is None or rated in shadow.redo_units()):
            refusals.append("评价 of an answer sent back before it is answered again")
        answered = shadow.last_answer(rated)
        if answered is None:
            refusals.append("评价 with no 答复 since the 交办")
        elif day < answered:
            refusals.append("评价 dated before the latest 答复 it rates")
        call = lambda: feedback(self.ledger, ITEM_ID, result=result, unit=typed, date=text, today=TODAY)
        if self.attempt("feedback", call, refusals, certain=not refusals):
            insert_by_date(shadow.evaluations, ShadowEvaluation(day, result, rated), day)
            self.after_acceptance("feedback")

    def do_promise(self, number: int, when) -> None:
        shadow = self.shadow
        text, day, refusals = self.date_of(when)
        if not 1 <= number <= len(shadow.promises):
            refusals.append(f"there is no promise number {number}")
        elif shadow.promises[number - 1].done:
            refusals.append(f"promise {number} is done already")
        elif day < shadow.promises[number - 1].reply_date:
            refusals.append("承诺完成 dated before the 答复 that promised it")
        call = lambda: promise_done(self.ledger, ITEM_ID, number=number, date=text, today=TODAY)
        if self.attempt("promise", call, refusals, certain=not refusals):
            shadow.promises[number - 1].done = True
            self.after_acceptance("promise")

    def do_convert(self, to: str, when) -> None:
        shadow = self.shadow
        text, day, refusals = self.date_of(when)
        refusals += self.state_refusal("转化", (ANSWERED, CLOSED))
        if to not in CATEGORIES:
            refusals.append(f"{to} is not a 类别")
        if to == shadow.category():
            refusals.append(f"the item is of class {to} already")
        if to != "A" or shadow.category() == "A":  # conftest's 已解决类别 is the default, [A]
            refusals.append(f"{shadow.category()} to {to} is not from unsolved to solved: no 转化")
        floor = [answer.date for answer in shadow.replies] + [converted for converted, _ in shadow.conversions]
        if floor and day < max(floor):
            refusals.append("转化 dated before the latest 答复 or 转化")
        call = lambda: convert(self.ledger, ITEM_ID, to=to, note="承诺事项已完成", date=text, today=TODAY)
        if self.attempt("convert", call, refusals, certain=not refusals):
            shadow.conversions.append((day, to))
            self.after_acceptance("convert")

    def do_close(self, when) -> None:
        shadow = self.shadow
        text, day, refusals = self.date_of(when)
        refusals += self.state_refusal("办结", (ANSWERED,))
        for unit in shadow.leads():  # 分办: each 主办's answer is rated
            latest = shadow.evaluation_of(unit)
            if latest is None:
                refusals.append(f"办结 with no 评价 of {unit}'s answer (规则 办结须评价)")
            elif latest.result == "不满意":
                refusals.append(f"办结 after a 不满意 of {unit}'s answer")
        if day < max(shadow.handling_dates()):
            refusals.append("办结 dated before a step of the handling")
        call = lambda: close(self.ledger, [ITEM_ID], date=text, today=TODAY)
        if self.attempt("close", call, refusals, certain=not refusals):
            shadow.closed = day
            self.after_acceptance("close")

    # --- the rules: any step, with anything a clerk might type ----------------------------------------

    @rule(
        leads=st.lists(TYPED_UNITS, min_size=1, max_size=2, unique=True),
        co_units=st.lists(TYPED_UNITS, max_size=1),
        mode=st.sampled_from([None] * 6 + ["单办", "会办", "分办", "乱办"]),
        reason=st.sampled_from(["职责调整"] * 3 + [None, ""]),
        when=WHEN,
    )
    def assign_units(self, leads, co_units, mode, reason, when) -> None:
        self.do_assign(leads, co_units, mode, reason, when)

    @rule(data=st.data(), reason=st.sampled_from(["不属于本单位职责"] * 3 + [" "]), when=WHEN)
    def return_by_unit(self, data, reason, when) -> None:
        self.do_return(self.pick_unit(data, self.shadow.units()), reason, when)

    @rule(until_days=st.integers(-10, 200), reason=st.sampled_from(["涉及跨部门协调"] * 3 + [""]), when=WHEN)
    def extend_due(self, until_days, reason, when) -> None:
        self.do_extend(until_days, reason, when)

    @rule(data=st.data(), named=st.booleans(), method=st.sampled_from([*CONTACT_METHODS, "短信"]), when=WHEN)
    def contact_proposer(self, data, named, method, when) -> None:
        self.do_contact(self.pick_unit(data, self.shadow.units()) if named else None, method, when)

    @rule(data=st.data(), when=WHEN)
    def co_unit_opinion(self, data, when) -> None:
        assignment = self.shadow.assignment
        self.do_opinion(self.pick_unit(data, assignment.co_units if assignment else []), when)

    @rule(
        data=st.data(),
        named=st.booleans(),
        category=st.sampled_from([*CATEGORIES, "b", "Z"]),
        promise_days=st.one_of(st.none(), st.integers(0, 400)),
        when=WHEN,
    )
    def answer(self, data, named, category, promise_days, when) -> None:
        self.do_reply(self.pick_unit(data, self.shadow.units()) if named else None, category, promise_days, when)

    @rule(data=st.data(), named=st.booleans(), result=st.sampled_from([*RATINGS, "很好"]), when=WHEN)
    def proposer_feedback(self, data, named, result, when) -> None:
        self.do_feedback(result, self.pick_unit(data, self.shadow.leads()) if named else None, when)

    @rule(number=st.integers(0, 3), when=WHEN)
    def promise_kept(self, number, when) -> None:
        self.do_promise(number, when)

    @rule(to=st.sampled_from([*CATEGORIES, "Z"]), when=WHEN)
    def convert_category(self, to, when) -> None:
        self.do_convert(to, when)

    @rule(when=WHEN)
    def close_item(self, when) -> None:
        self.do_close(when)

    @rule(data=st.data(), steps=st.integers(1, 8))
    def clerk_works_on(self, data, steps) -> None:
        """A few steps the state calls for, each with valid units and values: runs get as far as 办结 and beyond.

        交办, 退回 and 延期 are often recorded late and dated back; the other steps take a later date.
        """
        for _ in range(steps):
            self.next_step(data)

    def next_step(self, data) -> None:
        shadow, state = self.shadow, self.shadow.state()
        actions = {
            UNASSIGNED: ["assign"],
            IN_PROGRESS: ["answer"] * 3 + ["extend", "return", "opinion", "reassign"],
            REDO: ["answer"] * 3 + ["extend", "reassign"],
            ANSWERED: ["feedback or close"] * 3 + ["convert"],
            CLOSED: ["promise or convert"] * 3 + ["visit"],
        }[state]
        if state == IN_PROGRESS and self.clock <= shadow.assignment.date + dt.timedelta(days=7):
            actions = actions + ["return"] * 2  # a unit that returns an item does so soon after the 交办
        action = data.draw(st.sampled_from(actions), label="action")
        later = data.draw(LATER, label="later")
        if action in ("assign", "reassign"):
            leads = data.draw(st.lists(st.sampled_from(FULL_NAMES), min_size=1, max_size=2, unique=True), label="leads")
            others = [name for name in FULL_NAMES if name not in leads]
            co_units = data.draw(st.lists(st.sampled_from(others), max_size=1), label="co_units")
            self.do_assign(leads, co_units, None, "职责调整", data.draw(BACKDATED, label="when"))
        elif action == "return":
            unit = data.draw(st.sampled_from(shadow.units()), label="unit")
            self.do_return(unit, "不属于本单位职责", data.draw(BACKDATED, label="when"))
        elif action == "extend":
            # To a day between the 答复 limit (3个月) and the 最长 limit (6个月) after the 交办.
            until_days = data.draw(st.integers(93, 181), label="until_days")
            self.do_extend(until_days, "涉及跨部门协调", data.draw(BACKDATED, label="when"))
        elif action == "opinion":
            self.do_opinion(data.draw(st.sampled_from(shadow.units()), label="unit"), later)
        elif action == "answer":
            waiting = shadow.unanswered_leads() if state == IN_PROGRESS else shadow.assignment.leads
            unit = data.draw(st.sampled_from(waiting), label="unit")
            if not self.contacted(unit, self.clock + dt.timedelta(days=later[1])):
                self.do_contact(unit, data.draw(st.sampled_from(CONTACT_METHODS), label="method"), later)
            else:
                category = data.draw(st.sampled_from(CATEGORIES), label="category")
                promise_days = data.draw(st.one_of(st.none(), st.integers(0, 400)), label="promise_days")
                self.do_reply(unit, category, promise_days, later)
        elif action == "feedback or close":
            # Each answer not yet rated well since it was given is rated (分办: per 主办); then the item closes.
            several = len(shadow.leads()) > 1
            unrated = []
            for unit in shadow.leads() if several else [None]:
                latest = shadow.evaluation_of(unit)
                if latest is None or latest.date < shadow.last_answer(unit) or latest.result == "不满意":
                    unrated.append(unit)
            if not unrated:
                self.do_close(later)
            else:
                unit = data.draw(st.sampled_from(unrated), label="unit")
                result = data.draw(st.sampled_from(["不满意", "满意", "基本满意", "满意"]), label="result")
                self.do_feedback(result, unit, later)
        elif action == "visit":
            unit = data.draw(st.sampled_from(shadow.units()), label="unit") if shadow.assignment else None
            self.do_contact(unit, data.draw(st.sampled_from(CONTACT_METHODS), label="method"), later)
        elif action == "convert":
            self.do_convert(data.draw(st.sampled_from(CATEGORIES), label="to"), later)
        else:
            pending = [number for number, kept in enumerate(shadow.promises, 1) if not kept.done]
            if pending:
                self.do_promise(data.draw(st.sampled_from(pending), label="number"), later)
            else:
                self.do_convert(data.draw(st.sampled_from(CATEGORIES), label="to"), later)


# Two profiles, chosen by TIANDZ_HYPOTHESIS_PROFILE (default ci). Named tiandz-* because profiles are global;
# neither is loaded globally, so other hypothesis tests keep their own settings.
# - ci: 25 runs of up to 20 steps, derandomized: every run tries the same examples (and reads no example
#   database), so its time is stable and a failure reproduces as is. Shrinking is left on: hypothesis bounds
#   it (500 shrinks, 5 minutes), and it turns a failure into a short sequence of steps.
# - long: 500 runs, a fresh random seed each time, failures kept in and replayed from .hypothesis/.
_COMMON = dict(
    stateful_step_count=20,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile("tiandz-ci", max_examples=25, derandomize=True, **_COMMON)
settings.register_profile("tiandz-long", max_examples=500, **_COMMON)
PROFILE = "tiandz-" + os.environ.get("TIANDZ_HYPOTHESIS_PROFILE", "ci").strip().removeprefix("tiandz-")

WorkflowMachine.TestCase.settings = settings.get_profile(PROFILE)
TestWorkflow = WorkflowMachine.TestCase
