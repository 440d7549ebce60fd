"""The core stays free of Qt: content/ and record/ import no PySide6; only ui/ uses widgets."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nbcompanion

PACKAGE = Path(nbcompanion.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_core_modules_import_no_qt() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(n for n in _imports(path) if n.startswith("PySide6"))
        for folder in ("content", "record", "sync", "fhir")
        for path in _modules(folder)
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert _modules("record"), "the record package should not be empty"


def test_only_ui_imports_widgets() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if "PySide6.QtWidgets" in _imports(path) and path.relative_to(PACKAGE).parts[0] != "ui"
        and path.name != "app.py"
    ]
    assert offenders == []


def test_importing_the_core_loads_no_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, nbcompanion.record, nbcompanion.content\n"
        "import nbcompanion.fhir\n"
        "for pkg in (nbcompanion.record, nbcompanion.content, nbcompanion.fhir):\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
