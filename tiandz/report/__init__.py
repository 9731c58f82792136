"""The progress report (办理进展情况, spec/report.md): figures as of a date, tables, and their outputs.

`build.build_report` returns a `Report` (figures, tables, what it was made from); the writers in
json_out, markdown and xlsx_out, and the terminal view in tiandz/cli, only lay it out.
"""
