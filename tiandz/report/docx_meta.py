"""What the Word report was made from, in its document properties rather than on its pages.

A formal report to the 人大常委会 prints no git hash in its body; the as-of date and the commit still travel
with the file: the core properties (title, author, subject, comments) and custom properties (截至日期,
台账提交, 未提交文件数, 生成日期) that Word shows under 文件 → 信息 → 属性 and WPS under 文档属性.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from tiandz.report.build import Report

CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VALUE_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PROPERTY_FORMAT = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one every custom property uses


def provenance_properties(report: Report) -> dict[str, str]:
    """The custom properties: enough, with the commit checked out, to make the same report again."""
    source = report.source
    return {
        "截至日期": report.as_of.isoformat(),
        "台账提交": source.commit or "",
        "未提交文件数": str(source.uncommitted),
        "生成日期": report.made_on.isoformat(),
        "依据": report.basis,
    }


def set_properties(document, report: Report) -> None:
    core = document.core_properties
    core.title = report.document_title
    core.author = report.organization
    core.last_modified_by = report.organization
    core.subject = f"数据截至{report.as_of.isoformat()}"
    core.comments = report.basis
    core.keywords = "办理进展情况"
    core.identifier = report.source.commit or ""
    made = dt.datetime.combine(report.made_on, dt.time())
    core.created = made
    core.modified = made
    core.revision = 1
    entries = "".join(
        f'<property fmtid="{PROPERTY_FORMAT}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(provenance_properties(report).items(), start=2)
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{CUSTOM_NAMESPACE}" xmlns:vt="{VALUE_NAMESPACE}">{entries}</Properties>'
    )
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_TYPE, xml.encode("utf-8"), package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)
