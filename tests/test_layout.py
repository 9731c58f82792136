"""The house keeps its shape: layers as folders, imports only downwards, no cycle, one public API.

import-linter (run by .ci/run, contracts in pyproject.toml) checks that each layer imports only the ones
below it. These tests check what it does not: that no module of ours is imported inside a function (where
a cycle can hide until the function runs), that no two modules import each other even within a layer, that
the package root holds only `__init__`, `__main__` and `api`, that every folder says what lives in it, and
that `tiandz.api` names exactly what it loads.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tiandz"
LAYERS = ("cli", "ops", "steps", "report", "letter", "officialdoc", "ledger", "files", "core")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def own_imports(path: Path) -> list[tuple[str, bool, int]]:
    """(module imported, inside a function?, line) for every import of a tiandz module in the file."""
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        nonlocal found
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.ImportFrom) and child.level == 0 and (child.module or "").startswith("tiandz"):
                for alias in child.names:
                    target = f"{child.module}.{alias.name}"  # `from tiandz.ledger import git` names a module
                    found.append((target if target in known else child.module, in_function, child.lineno))
            elif isinstance(child, ast.Import):
                found += [(alias.name, in_function, child.lineno) for alias in child.names if alias.name.startswith("tiandz")]
            visit(child, inside)

    known = set(modules())
    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def test_no_module_of_ours_is_imported_inside_a_function():
    inside = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {module}"
        for path in modules().values()
        for module, in_function, line in own_imports(path)
        if in_function
    ]
    assert inside == []


def test_no_import_cycle_even_within_a_layer():
    graph = {name: {module for module, _, _ in own_imports(path) if module in modules() and module != name}
             for name, path in modules().items()}
    for name in graph:  # a package's __init__ is imported with any of its modules: not an edge that cycles
        graph[name] = {target for target in graph[name] if not name.startswith(target + ".")}
    state: dict[str, str] = {}
    cycles = []

    def walk(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(" → ".join(trail[trail.index(target):] + [node, target]) if target in trail else f"{node} → {target}")
            elif target not in state:
                walk(target, trail + [node])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            walk(name, [])
    assert cycles == []


def test_the_package_root_holds_only_the_entry_points_and_the_api():
    root = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert root == ["__init__.py", "__main__.py", "api.py"]
    folders = sorted(path.name for path in PACKAGE.iterdir() if path.is_dir() and not path.name.startswith(("_", ".")))
    assert folders == sorted(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_every_folder_says_what_lives_in_it_and_what_it_may_import(layer):
    readme = PACKAGE / layer / "README.md"
    assert readme.is_file(), f"{layer}/ has no README.md"
    text = readme.read_text(encoding="utf-8")
    assert "import" in text.lower(), f"{layer}/README.md does not say what the folder may import"
    for module in sorted((PACKAGE / layer).glob("*.py")):
        if module.name != "__init__.py":
            assert f"`{module.name}`" in text, f"{layer}/README.md does not name {module.name}"


def test_the_api_names_what_it_loads_and_every_name_loads():
    api = importlib.import_module("tiandz.api")
    tree = ast.parse((PACKAGE / "api.py").read_text(encoding="utf-8"))
    guarded = next(node for node in tree.body if isinstance(node, ast.If))  # if TYPE_CHECKING:
    static = {
        alias.asname or alias.name: (statement.module, alias.name)
        for statement in guarded.body
        for alias in statement.names
    }
    assert static == api._NAMES
    for name in api.__all__:
        assert getattr(api, name) is getattr(importlib.import_module(api._NAMES[name][0]), api._NAMES[name][1])
    with pytest.raises(AttributeError):
        api.no_such_function  # noqa: B018


def test_importing_the_api_loads_no_command_and_no_heavy_library():
    # `tiandz --help` imports every command module, and each imports tiandz.api: it must cost nothing.
    code = (
        "import sys, tiandz.api, tiandz.cli.main\n"
        "heavy = [m for m in ('docx', 'openpyxl', 'matplotlib', 'jinja2', 'ruamel.yaml', 'pydantic', 'tiandz.core.model',"
        " 'tiandz.ledger.folder', 'tiandz.steps.engine') if m in sys.modules]\n"
        "print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- start-up: what a command loads (what it costs in time is measured in benchmarks/, never here) ----------

PROBE = """
import json, sys
sys.argv = ["tiandz", *json.loads(sys.argv[1])]
from tiandz.cli.main import app, run
try:
    run()
except SystemExit:
    pass
sys.stderr.write("\\nPROBE " + json.dumps({"modules": sorted(sys.modules), "commands": [c.name for c in app.registered_commands]}))
"""


def loaded_by(*arguments) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, __import__("json").dumps([str(a) for a in arguments])],
                            capture_output=True, text=True)
    return __import__("json").loads(result.stderr.rsplit("PROBE ", 1)[1])


EXAMPLE = PACKAGE.parent / "examples" / "ledger"


def test_help_loads_no_model_no_markdown_parser_and_every_command():
    found = loaded_by("--help")
    assert not {"pydantic", "tiandz.core.model", "markdown_it", "pygments", "importlib.metadata"} & set(found["modules"])
    from tiandz.cli.main import COMMAND_MODULES

    assert found["commands"] == [name for names in COMMAND_MODULES.values() for name in names]


def test_show_loads_only_its_command_and_no_library_it_does_not_use():
    found = loaded_by("show", "J-1", "--ledger", EXAMPLE)
    assert found["commands"] == ["show"]
    unused = {"rich", "ruamel.yaml", "docx", "openpyxl", "matplotlib", "jinja2", "importlib.metadata", "tiandz.steps.engine", "tiandz.report.build"}
    assert unused & set(found["modules"]) == set()


def test_a_step_loads_no_document_library_and_no_terminal_renderer(tmp_path):
    import shutil

    root = tmp_path / "台账"
    shutil.copytree(EXAMPLE, root)
    found = loaded_by("contact", "J-7", "--by", "电话", "--date", "2026-05-20", "--no-commit", "--ledger", root)
    assert found["commands"] == ["contact"]
    assert {"rich", "docx", "openpyxl", "jinja2", "importlib.metadata"} & set(found["modules"]) == set()
    assert "日期: 2026-05-20" not in (EXAMPLE / "2026" / "2026-J-007.yaml").read_text(encoding="utf-8")
    assert "日期: 2026-05-20" in (root / "2026" / "2026-J-007.yaml").read_text(encoding="utf-8")  # it ran


def test_what_help_does_not_load_is_loaded_the_first_time_it_is_used():
    code = (
        "import sys\n"
        "from tiandz.cli import chinese\n"
        "chinese._load_on_demand()\n"
        "from rich.markdown import Markdown\n"
        "from rich.traceback import Traceback\n"
        "assert 'markdown_it' not in sys.modules\n"
        "made = Markdown('# 标题')\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    trace = Traceback()\n"
        "print(type(made).__module__, type(trace).__module__, 'markdown_it' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["rich.markdown", "rich.traceback", "True"]


QUICK_PROBE = """
import json, sys
sys.argv = ["tiandz", *json.loads(sys.argv[1])]
from tiandz.cli.quick import run
try:
    run()
except SystemExit:
    pass
sys.stderr.write("\\nPROBE " + json.dumps(sorted(sys.modules)))
"""


def test_check_and_the_json_report_with_nothing_changed_load_no_typer_no_model_and_no_rich(ledger_dir):
    import os
    import time

    from conftest import ANSWERED

    path = ledger_dir.item(ANSWERED)
    os.utime(path, (time.time() - 60, time.time() - 60))  # files younger than two seconds are not remembered
    heavy = {"typer", "pydantic", "rich", "yaml_rs", "ruamel.yaml", "tiandz.core.model", "tiandz.ledger.folder",
             "tiandz.ledger.scan", "tiandz.report.build"}
    for command in (["check"], ["check", "--json"], ["report", "--format", "json", "-o", "-"]):
        arguments = [*command, "--ledger", str(ledger_dir.root)]
        runs = [subprocess.run([sys.executable, "-c", QUICK_PROBE, __import__("json").dumps(arguments)],
                               capture_output=True, text=True) for _ in range(2)]
        loaded = [set(__import__("json").loads(run.stderr.rsplit("PROBE ", 1)[1])) for run in runs]
        assert bool(heavy & loaded[0]) == (command != ["check", "--json"])  # a first run reads the files, and remembers
        assert heavy & loaded[1] == set(), command
        assert runs[0].stdout == runs[1].stdout and runs[1].returncode == 0


FULL_PROBE = """
import json, sys
sys.argv = ["tiandz", *json.loads(sys.argv[1])]
from tiandz.cli.main import _run
try:
    _run()
except SystemExit as exit:
    sys.stderr.write("\\nEXIT %s" % exit.code)
"""


def test_a_first_check_with_nothing_to_draw_loads_no_typer_nor_rich_and_prints_what_the_full_command_prints(ledger_dir):
    """Piped (a hook, a script) a first check has no progress bar to draw: quick.py reads the files itself."""
    import json
    import os
    import shutil

    from conftest import ANSWERED, ITEM

    ledger_dir.item(ANSWERED.replace("主办: [县教育和体育局]", "主办: [县教育局]"))  # an error
    ledger_dir.item(ITEM.replace("2024-J-015", "2024-J-016").replace("案号: 15", "案号: 16").replace("领域: 教育", "领域: 体育"))
    state = ledger_dir.root / ".git" / "tiandz"
    environment = {name: value for name, value in os.environ.items() if name not in ("TTY_COMPATIBLE", "FORCE_COLOR")}
    for command in (["check"], ["check", "--json"]):
        arguments = json.dumps([*command, "--ledger", str(ledger_dir.root)])
        shutil.rmtree(state, ignore_errors=True)
        quick = subprocess.run([sys.executable, "-c", QUICK_PROBE, arguments], capture_output=True, text=True, env=environment)
        printed, loaded = quick.stderr.rsplit("\nPROBE ", 1)
        assert not {"typer", "rich"} & set(json.loads(loaded))
        assert {"tiandz.ledger.scan", "tiandz.core.model"} <= set(json.loads(loaded))  # the files were read here
        shutil.rmtree(state, ignore_errors=True)
        full = subprocess.run([sys.executable, "-c", FULL_PROBE, arguments], capture_output=True, text=True, env=environment)
        assert (quick.stdout, printed + "\nEXIT 1") == (full.stdout, full.stderr.rstrip("\n"))
        assert "县教育局" in quick.stdout and "体育" in quick.stdout
