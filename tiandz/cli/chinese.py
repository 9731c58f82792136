"""Typer's and Click's own words in Chinese: help panel titles and the usage errors a clerk may see."""

from __future__ import annotations

import importlib
import re
import sys
import types

PANEL_TITLES = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
}

_USAGE_ERRORS = [
    (r"^Missing option '?([^'.]+)'?\.?$", r"缺少选项 \1"),
    (r"^Missing argument '?([^'.]+)'?\.?$", r"缺少参数 \1"),
    (r"^No such option: (\S+) Did you mean (\S+)\?$", r"没有选项 \1（是否为 \2？）"),
    (r"^No such option: (\S+)(.*)$", r"没有选项 \1"),
    (r"^No such command '([^']+)'\. Did you mean '([^']+)'\?$", r"没有命令 \1（是否为 \2？）"),
    (r"^No such command '?([^'.]+)'?\.?$", r"没有命令 \1"),
    (r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", r"多余的参数：\1"),
    (r"^Option '?([^'.]+)'? requires an argument\.?$", r"选项 \1 需要一个值"),
    (r"^Option '?([^'.]+)'? does not take a value\.?$", r"选项 \1 不带值"),
    (r"^Invalid value for '?([^':]+)'?: (.*)$", r"\1 的值无效：\2"),
    (r"^Missing command\.?$", r"缺少命令"),
]
_VALUE_ERRORS = [
    # typer checks values with pydantic, whose words are English
    (r"Input should be a valid integer[^\n]*", "应为整数"),
    (r"Input should be a valid number[^\n]*", "应为数字"),
    (r"Input should be a valid boolean[^\n]*", "应为 true 或 false"),
    (r"Input should be a valid date[^\n]*", "应为日期，如 2024-03-20"),
    (r"Input should be[^\n]*", "不是有效的值"),
    (r"'(.*)' is not a valid integer\.?", r"“\1”不是整数"),
    (r"'(.*)' is not one of (.*)\.", r"“\1”不是可选值之一：\2"),
    (r"(.*) does not exist\.", r"\1 不存在"),
]


# The commands' arguments by their names in the code, as a clerk calls them.
ARGUMENT_NAMES = {
    "ID": "编号", "IDS": "编号", "ITEM": "编号", "ITEM_ID": "编号", "FILE": "清单文件", "DIRECTORY": "目录", "PATHS": "文件",
    "COMMAND": "命令", "ARGS": "参数", "URL": "地址",
}
_NAMED = re.compile(r"^(缺少参数 |)([A-Za-z_]+)(\.\.\.)?(?= 的值无效|$)")

# The value column of `--help`: a flag takes no value, and the others are named in Chinese.
VALUE_KINDS = {"str": "文字", "int": "整数", "float": "数字", "path": "路径", "file": "文件", "datetime": "日期"}


def usage_error(message: str) -> str:
    for pattern, replacement in _USAGE_ERRORS:
        if re.match(pattern, message, re.DOTALL):
            message = re.sub(pattern, replacement, message, flags=re.DOTALL)
            break
    message = _NAMED.sub(lambda found: found.group(1) + ARGUMENT_NAMES.get(found.group(2).upper(), found.group(2)), message)
    for pattern, replacement in _VALUE_ERRORS:
        message = re.sub(pattern, replacement, message)
    return message.replace("Did you mean", "是否为").replace("Possible options:", "可选：")


def install() -> None:
    """Replace the English words typer and click print around our own Chinese help."""
    _load_on_demand()
    import typer.rich_utils as rich_utils

    try:
        from typer._click import formatting
    except ImportError:
        from click import formatting

    for name, text in PANEL_TITLES.items():
        setattr(rich_utils, name, text)
    original = formatting.HelpFormatter.write_usage

    def write_usage(self, prog, args="", prefix=None):
        args = re.sub(r"\{?\b([A-Za-z_]+)\b\}?", lambda found: ARGUMENT_NAMES.get(found.group(1).upper(), found.group(0)), args)
        return original(self, prog, args.replace("[OPTIONS]", "[选项]"), "用法：" if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage
    _translate_help_option()
    _translate_value_kinds()


def value_kind(shown: str | None, flag: bool) -> str | None:
    """`<bool>` → nothing (a flag takes no value); `<int>` → 整数, `<list[str]>` → 文字（可重复）; a metavar as is."""
    if flag or shown is None:
        return None
    found = re.fullmatch(r"<(list\[)?([a-z]+)\]?>(\.\.\.)?", shown)
    if not found:
        return shown
    if found.group(2) == "bool":
        return None
    kind = VALUE_KINDS.get(found.group(2), found.group(2))
    return kind + ("（可重复）" if found.group(1) or found.group(3) else "")


def _translate_value_kinds() -> None:
    from typer import core

    for cls in (core.TyperOption, core.TyperArgument):
        base = cls.display_type_rich

        def display_type_rich(self, ctx, base=base):
            return value_kind(base(self, ctx), bool(getattr(self, "is_flag", False)))

        cls.display_type_rich = display_type_rich


# Modules typer's help imports for what tiandz never shows: rich.markdown (and with it markdown-it-py) for
# rich_markup_mode="markdown", rich.traceback (and with it pygments) for typer's own pretty exceptions, which
# cli/main.py's error handling replaces. Together a third of `tiandz --help`.
ON_DEMAND = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


def _load_on_demand() -> None:
    """Until one of these classes is really made, a stand-in module takes the real module's place; making
    the first instance loads the real module and returns its instance."""
    for module, name in ON_DEMAND.items():
        if module not in sys.modules:
            sys.modules[module] = _stand_in(module, name)


def _stand_in(module: str, name: str) -> types.ModuleType:
    def load(cls, *arguments, **options):
        del sys.modules[module]
        real = getattr(importlib.import_module(module), name)
        return real(*arguments, **options)

    stand_in = types.ModuleType(module, f"tiandz: {module} is loaded when a {name} is first made")
    setattr(stand_in, name, type(name, (), {"__new__": load}))
    return stand_in


def _translate_help_option() -> None:
    from typer import core

    for cls in (core.TyperCommand, core.TyperGroup):
        base = cls.get_help_option

        def get_help_option(self, context, base=base):
            option = base(self, context)
            if option is not None:
                option.help = "显示本帮助并退出。"
            return option

        cls.get_help_option = get_help_option
