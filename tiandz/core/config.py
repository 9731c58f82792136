"""The ledger's configuration, `tiandz.yaml`: units, topics, result scheme, time limits, rules.

Every limit and list is configuration because jurisdictions differ (退回 windows from 5 days to 10 working
days; what class C means). The defaults are those of spec/ledger.md.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tiandz.core.deadlines import LIMIT
from tiandz.core.fields import Flag, Name, Names, Text, TextOrNumber
from tiandz.core.names import SUGGESTION


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)


class Unit(Strict):
    name: Name = Field(alias="名称")
    abbreviations: Names = Field(default_factory=list, alias="简称")
    number_prefix: Text | None = Field(None, alias="文号")
    signer: Text | None = Field(None, alias="签发人")
    contact_person: Text | None = Field(None, alias="联系人")
    phone: TextOrNumber | None = Field(None, alias="电话")
    # The red name on its letters; by default 名称 with the place of 机关 (Config.letterhead).
    letterhead: Text | None = Field(None, alias="发文机关标志")
    # The unit numbers its letters in its own register: tiandz gives none, and a reply must bring its 文号.
    own_numbers: Flag = Field(False, alias="自编文号")
    # The unit's accounts on the ledger's git server (spec/offices.md): who pushes as this unit.
    accounts: Names = Field(default_factory=list, alias="账号")


class ContactMethod(Strict):
    face_to_face: Flag = Field(False, alias="见面")


_SPAN_SEPARATOR = re.compile(r"\s*(?:至|到|~|～|—|--)\s*")


def _span(value: Any) -> Any:
    """A session's dates as a clerk writes them: one day, [开幕, 闭幕], or "2024-01-15 至 2024-01-18"."""
    if isinstance(value, str):
        parts = _SPAN_SEPARATOR.split(value.strip())
        value = parts if len(parts) > 1 else parts[0]
    if not isinstance(value, (list, tuple)):
        value = [value, value]
    if len(value) != 2:
        raise ValueError("会议日期应写作一天，或 [开幕日期, 闭幕日期]，或“2024-01-15 至 2024-01-18”")
    return value


class MeetingDates(Strict):
    """The 大会 of the congress and of the CPPCC: where the list omits 提出日期, it is the 大会's first day,
    and a 提出日期 within these days is 大会期间 (else 闭会期间)."""

    suggestion: tuple[dt.date, dt.date] | None = Field(None, alias="建议")
    proposal: tuple[dt.date, dt.date] | None = Field(None, alias="提案")

    @field_validator("*", mode="before")
    @classmethod
    def _as_span(cls, value: Any) -> Any:
        return None if value is None else _span(value)

    @field_validator("*")
    @classmethod
    def _in_order(cls, value: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date] | None:
        if value is not None and value[0] > value[1]:
            raise ValueError(f"会议日期的开幕 {value[0]} 晚于闭幕 {value[1]}")
        return value


class Sessions(Strict):
    suggestion: Text | None = Field(None, alias="建议")
    proposal: Text | None = Field(None, alias="提案")
    meeting_dates: MeetingDates = Field(default_factory=MeetingDates, alias="会议日期")


class CarbonCopy(Strict):
    suggestion: Names = Field(default_factory=list, alias="建议")
    proposal: Names = Field(default_factory=list, alias="提案")


def _check_limit(value: str) -> str:
    if not LIMIT.match(value):
        raise ValueError(f"时限“{value}”应写作“N个月”“N天”或“N个工作日”")
    return value.strip()


class Limits(Strict):
    reply: Text = Field("3个月", alias="答复")
    longest: Text = Field("6个月", alias="最长")
    opinion: Text = Field("1个月", alias="协办意见")
    return_window: Text = Field("5个工作日", alias="退回")
    redo: Text = Field("1个月", alias="重新办理")

    @field_validator("*")
    @classmethod
    def _limit_form(cls, value: str) -> str:
        return _check_limit(value)


class Rules(Strict):
    contact_before_reply: Flag = Field(True, alias="答复前须沟通")
    basic_needs_redo: Flag = Field(False, alias="基本满意需重新办理")
    close_needs_evaluation: Flag = Field(True, alias="办结须评价")


DEFAULT_TOPICS = ["经济发展", "城乡建设", "教育", "卫生健康", "社会保障", "农业农村", "生态环境", "交通", "其他"]
DEFAULT_CLASSES = {
    "A": "已经解决或基本解决",
    "B": "正在解决或列入计划逐步解决",
    "C": "因条件限制暂时难以解决，留作参考",
}
DEFAULT_METHODS = {
    "电话": {"见面": False},
    "信函": {"见面": False},
    "面商": {"见面": True},
    "走访": {"见面": True},
    "座谈": {"见面": True},
    "其他": {"见面": False},
}


class Letters(Strict):
    # 联名 items: “张三等代表：” or every name, “张三、李四、王五代表：”; offices differ.
    cosigner_salutation: Literal["领衔加等", "全部"] = Field("领衔加等", alias="联名称呼")


class ReportSettings(Strict):
    # A formal report prints no git commit in its body; the document's properties always carry it.
    show_basis: Flag = Field(False, alias="显示依据")
    # The body the report goes to (县人大常委会): a 主送 line and the title 关于…办理工作进展情况的报告.
    addressee: Name | None = Field(None, alias="主送")


class Server(Strict):
    """The git server several offices share (spec/offices.md): who pushes, as the server tells it."""

    # The environment variable the server sets to the pushing account: GL_USER (gitolite),
    # GITEA_PUSHER_NAME (Gitea/Forgejo), GL_USERNAME (GitLab), TIANDZ_USER (a plain ssh forced command).
    identity_variable: Text = Field("GL_USER", alias="身份变量")
    office_accounts: Names = Field(default_factory=list, alias="机关账号")


class Config(Strict):
    organization: Name = Field(alias="机关")
    year: int = Field(alias="年度", ge=1949, le=2200)
    sessions: Sessions = Field(default_factory=Sessions, alias="届次")
    carbon_copy: CarbonCopy = Field(default_factory=CarbonCopy, alias="抄送")
    units: list[Unit] = Field(default_factory=list, alias="承办单位")
    topics: Names = Field(default_factory=lambda: list(DEFAULT_TOPICS), alias="领域")
    classes: dict[TextOrNumber, Text] = Field(default_factory=lambda: dict(DEFAULT_CLASSES), alias="分类")
    solved_classes: list[TextOrNumber] = Field(default_factory=lambda: ["A"], alias="已解决类别")
    contact_methods: dict[Name, ContactMethod] = Field(
        default_factory=lambda: {name: ContactMethod.model_validate(value) for name, value in DEFAULT_METHODS.items()},
        alias="沟通方式",
    )
    limits: Limits = Field(default_factory=Limits, alias="时限")
    rules: Rules = Field(default_factory=Rules, alias="规则")
    letters: Letters = Field(default_factory=Letters, alias="答复函")
    report: ReportSettings = Field(default_factory=ReportSettings, alias="报告")
    server: Server = Field(default_factory=Server, alias="服务器")

    @cached_property
    def unit_index(self) -> dict[str, Unit]:
        """Every full name and 简称, each to its unit."""
        index: dict[str, Unit] = {}
        for unit in self.units:
            for abbreviation in unit.abbreviations:
                index.setdefault(abbreviation, unit)
        for unit in self.units:
            index[unit.name] = unit
        return index

    def unit(self, name: str) -> Unit | None:
        return self.unit_index.get(name.strip())

    def full_name(self, name: str) -> str:
        """The unit's full name for a 简称; an unknown name is returned as written (the rules report it)."""
        unit = self.unit(name)
        return unit.name if unit else name

    def letterhead(self, name: str) -> str:
        """发文机关标志 of a unit's letters: its own 发文机关标志, or its name with the place 机关 names.

        A unit of a county calls itself 县教育和体育局 at home; its letter leaves the county, and its
        letterhead and signature carry the place (某县教育和体育局) when tiandz.yaml's 机关 names it.
        """
        unit = self.unit(name)
        if unit and unit.letterhead:
            return unit.letterhead
        return with_place(unit.name if unit else name, place_of(self.organization))

    def session_of(self, kind: str) -> str | None:
        return self.sessions.suggestion if kind == SUGGESTION else self.sessions.proposal

    def meeting_of(self, kind: str) -> tuple[dt.date, dt.date] | None:
        """The first and last day of the 大会 at which this type is submitted, when tiandz.yaml gives them."""
        dates = self.sessions.meeting_dates
        return dates.suggestion if kind == SUGGESTION else dates.proposal

    def source_on(self, kind: str, submitted: dt.date) -> str | None:
        """提出方式 from the session's dates: 大会期间 within them, 闭会期间 outside; None when not known."""
        meeting = self.meeting_of(kind)
        if meeting is None:
            return None
        return "大会期间" if meeting[0] <= submitted <= meeting[1] else "闭会期间"

    def unit_of_account(self, account: str) -> Unit | None:
        """The unit whose 账号 this is; None for an office account or an unknown one."""
        for unit in self.units:
            if account in unit.accounts:
                return unit
        return None

    def face_to_face(self, method: str) -> bool:
        found = self.contact_methods.get(method)
        return bool(found and found.face_to_face)


# The place an organ's name opens with: 某县人民政府办公室 → 某县; 中国人民政治协商会议某县委员会 → 某县.
_LEVELS = "省|自治区|市|自治州|州|盟|地区|县|自治县|旗|自治旗|区|特区|林区"
_PLACE = re.compile(rf"^(.+?(?:{_LEVELS}))(?=人民政府|人民代表大会|人大|政协|委员会|委|党委)")
_LEVEL = re.compile(rf"(?:{_LEVELS})")


def place_of(organization: str) -> str | None:
    found = _PLACE.match(organization.removeprefix("中国人民政治协商会议").removeprefix("中共"))
    return found.group(1) if found else None


def with_place(name: str, place: str | None) -> str:
    """The unit's name with the place in front: 县教育和体育局 → 某县教育和体育局; a name that has it stays."""
    if not place or name.startswith(place):
        return name
    level = _LEVEL.findall(place)[-1]
    for short in (level, level[-1]):  # 县教育局 of 某某自治县 too
        if name.startswith(short):
            return place + name[len(short):]
    if _LEVEL.match(name) or any(part and part in name for part in _LEVEL.split(place)):
        return name  # another level's unit (市公安局某县分局) or one naming the place inside (国网某县供电公司)
    return place + name
