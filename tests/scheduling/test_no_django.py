"""The solver library never imports Django: every module in a clean interpreter, and an AST scan."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import scheduling

ROOT = Path(scheduling.__file__).parent
OURS = [p for p in ROOT.rglob("*.py") if not {"examtt", "itc2007"} & set(p.relative_to(ROOT).parts)]


def _module_names() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(ROOT)], prefix="scheduling."):
        if info.name.split(".")[1] not in ("examtt", "itc2007"):
            names.append(info.name)
    return names


def test_importing_every_module_loads_no_django():
    code = (
        "import importlib, sys\n"
        f"for name in {_module_names()!r}:\n"
        "    importlib.import_module(name)\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT.parent, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_no_source_file_mentions_a_django_import():
    for path in OURS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "django" for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "django", path
    assert len(OURS) > 30
