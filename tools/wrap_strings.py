"""Wrap user-visible string literals in the translation function (a one-way codemod).

    python tools/wrap_strings.py tr src/nbcompanion/ui/record/visit_dialog.py …
    python tools/wrap_strings.py _ src/nbcompanion/record/rules.py …

It finds literals passed to the calls that put text on screen (``QLabel("…")``,
``setToolTip("…")``, ``add_field(name, "…", hint="…")``, ``QMessageBox.warning(p, "…", "…")``,
…) and wraps them: ``"Save"`` → ``tr("Save")``; an f-string becomes a template with named
placeholders, ``f"Hello {name}"`` → ``tr("Hello {name}").format(name=name)``, which a
translator can reorder. It adds the import when it wrapped anything. Literals without an
English word (``"—"``, ``"NCT01234567"`` is kept too: codes are not words) are left alone.
What it cannot see (constants defined elsewhere) the pseudo-language test finds.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

#: call name → positions of the arguments that are user-visible text.
POSITIONAL: dict[str, tuple[int, ...]] = {
    "QLabel": (0,), "QPushButton": (0,), "QCheckBox": (0,), "QRadioButton": (0,),
    "QGroupBox": (0,), "QAction": (0,), "QToolButton": (0,), "QListWidgetItem": (0,),
    "muted": (0, 1), "heading": (0, 1), "Card": (0,), "link_label": (0,), "note_label": (0,),
    "caption": (0, 1), "paragraph": (0,), "section": (0,), "table_html": (), "esc": (),
    "setText": (0,), "setPlaceholderText": (0,), "setToolTip": (0,), "setWindowTitle": (0,),
    "setAccessibleName": (0,), "setAccessibleDescription": (0,), "setStatusTip": (0,),
    "setTitle": (0,), "setSpecialValueText": (0,), "addItem": (0,), "addMenu": (0,),
    "addAction": (0,), "addTab": (1,), "setTabText": (1,), "insertItem": (1,),
    "show_banner": (0,), "show_empty": (0, 1), "set_content": (0, 1), "EmptyState": (0, 1),
    "setLabelText": (0,), "setInformativeText": (0,), "setDetailedText": (0,),
    "showMessage": (0,), "addRow": (0,), "add_field": (1,), "add_header": (1, 2),
    "set_status": (0,), "setWindowIconText": (0,),
    "warning": (1, 2), "information": (1, 2), "question": (1, 2), "critical": (1, 2),
    "about": (1, 2), "getSaveFileName": (1, 3), "getOpenFileName": (1, 3),
    "getExistingDirectory": (1,), "getText": (1, 2), "getItem": (1, 2),
    "setHeaderLabels": (0,), "setHorizontalHeaderLabels": (0,), "ReferenceLink": (2,),
    "fail": (1,), "require": (3,), "StorageError": (0,), "NotFoundError": (0,),
    "RecordError": (0,), "FieldError": (0,), "ExportError": (0,), "ValidationError": (0,),
    "TopicLink": (1,), "choice_combo": (), "read_about_link": (2,), "DiscardQuestion": (),
    "SummaryFormatError": (0,), "RecordInUseError": (0,), "OpeningError": (0,),
}
KEYWORDS = {"hint", "blank", "empty_text", "placeholder", "title", "text", "tooltip",
            "button_text", "message", "subtitle", "caption", "label", "heading"}
WRAPPERS = {"tr", "_", "N_", "ngettext", "translate", "QT_TRANSLATE_NOOP"}
_WORD = re.compile(r"[A-Za-z]{2,}")


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _wordy(text: str) -> bool:
    """True when ``text`` holds a word (not a code, a style sheet, an object name, a key)."""
    word = text.strip()
    if not _WORD.search(word) or word.startswith(("<", "QFrame", "QTable", "QLabel", "color:",
                                                  "font-", "http", "#", "palette(")):
        return False
    # A code, an abbreviation, a shortcut or a name ("NCT01234567", "Ctrl+T") is no sentence.
    return " " in word or not (word.isupper() or any(c.isdigit() for c in word) or "+" in word
                               or any(c in word.rstrip(":") for c in "_./:="))


class _Edits(ast.NodeVisitor):
    def __init__(self, source: str, func: str) -> None:
        self.source = source
        self.func = func
        self.lines = source.splitlines(keepends=True)
        self.offsets = [0]
        for line in self.lines:
            self.offsets.append(self.offsets[-1] + len(line))
        self.edits: list[tuple[int, int, str]] = []
        self.wrapped_ids: set[int] = set()

    def _span(self, node: ast.expr) -> tuple[int, int]:
        assert node.end_lineno is not None
        assert node.end_col_offset is not None
        start = self.offsets[node.lineno - 1] + _col(self.lines[node.lineno - 1],
                                                      node.col_offset)
        end = self.offsets[node.end_lineno - 1] + _col(self.lines[node.end_lineno - 1],
                                                        node.end_col_offset)
        return start, end

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        if name in WRAPPERS:
            return  # already translated: leave its arguments alone
        targets: list[ast.expr] = []
        # The app's own errors carry sentences for the family; Python's (ValueError, …) are
        # messages for developers and stay as they are.
        own_error = name.endswith("Error") and name not in dir(__builtins__)
        positions = POSITIONAL.get(name, (0,) if own_error else ())
        for position in positions:
            if position < len(node.args):
                targets.append(node.args[position])
        targets.extend(k.value for k in node.keywords if k.arg in KEYWORDS)
        if name in ("setHeaderLabels", "setHorizontalHeaderLabels") and node.args and \
                isinstance(node.args[0], ast.List | ast.Tuple):
            targets = list(node.args[0].elts)
        if name == "ValidationError" and node.args and isinstance(node.args[0], ast.Dict):
            targets = [v for v in node.args[0].values if v is not None]
        for target in targets:
            self._wrap(target)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        # errors["field"] = "message" — a message shown beside a field.
        if (len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript)
                and isinstance(node.targets[0].value, ast.Name)
                and node.targets[0].value.id == "errors"):
            self._wrap(node.value)
        self.generic_visit(node)

    def _wrap(self, node: ast.expr) -> None:
        if id(node) in self.wrapped_ids:
            return
        if isinstance(node, ast.IfExp):
            self._wrap(node.body)
            self._wrap(node.orelse)
            return
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            self._wrap(node.left)
            self._wrap(node.right)
            return
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self._wrap(value)
            return
        start, end = self._span(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _wordy(node.value):
                self.wrapped_ids.add(id(node))
                self.edits.append((start, end, f"{self.func}({self.source[start:end]})"))
        elif isinstance(node, ast.JoinedStr):
            template, names = self._template(node)
            if template is not None and _wordy(template):
                self.wrapped_ids.add(id(node))
                args = ", ".join(f"{key}={expr}" for key, expr in names.items())
                indent = " " * (_col(self.lines[node.lineno - 1], node.col_offset)
                                + len(self.func) + 1)
                width = max(30, 92 - len(indent))
                literal = _literal(template, indent, width)
                if len(literal.splitlines()[-1]) + len(indent) + len(args) + 12 > 99:
                    args = "\n" + indent + args
                self.edits.append((start, end, f"{self.func}({literal}).format({args})"))

    def _template(self, node: ast.JoinedStr) -> tuple[str | None, dict[str, str]]:
        parts: list[str] = []
        names: dict[str, str] = {}
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
                continue
            assert isinstance(value, ast.FormattedValue)
            expr = ast.get_source_segment(self.source, value.value)
            if expr is None or value.conversion not in (-1,):
                return None, {}
            key = _placeholder(value.value, names)
            names[key] = expr
            spec = ""
            if value.format_spec is not None:
                if not isinstance(value.format_spec, ast.JoinedStr) or any(
                        not isinstance(v, ast.Constant) for v in value.format_spec.values):
                    return None, {}
                spec = ":" + "".join(str(v.value) for v in value.format_spec.values
                                     if isinstance(v, ast.Constant))
            parts.append("{" + key + spec + "}")
        return "".join(parts), names


def _placeholder(expr: ast.expr, taken: dict[str, str]) -> str:
    base = "value"
    if isinstance(expr, ast.Name):
        base = expr.id
    elif isinstance(expr, ast.Attribute):
        base = expr.attr
    elif isinstance(expr, ast.Call):
        base = _name(expr.func) or "value"
    elif isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant):
        base = str(expr.slice.value)
    base = re.sub(r"\W", "_", base).strip("_").lower() or "value"
    if not base.isidentifier():
        base = "value"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}{n}", n + 1
    return key


def _literal(text: str, indent: str, width: int = 64) -> str:
    """``text`` as a double-quoted literal, split over lines at spaces when long."""
    pieces: list[str] = []
    current = ""
    for word in re.split(r"(?<= )", text):
        if current and len(current) + len(word) > width:
            pieces.append(current)
            current = ""
        current += word
    pieces.append(current)
    return ("\n" + indent).join(json.dumps(piece, ensure_ascii=False) for piece in pieces)


def _col(line: str, byte_offset: int) -> int:
    """ast columns count UTF-8 bytes; strings index characters."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8"))


IMPORTS = {"tr": "from nbcompanion.ui.translate import tr\n",
           "_": "from nbcompanion.i18n import _\n"}


def wrap_file(path: Path, func: str) -> int:
    """Wrap the visible literals of ``path`` in ``func``; returns how many were wrapped."""
    source = path.read_text(encoding="utf-8")
    visitor = _Edits(source, func)
    visitor.visit(ast.parse(source))
    if not visitor.edits:
        return 0
    text = source
    for start, end, new in sorted(visitor.edits, reverse=True):
        text = text[:start] + new + text[end:]
    import_line = IMPORTS[func]
    if import_line not in text:
        tree = ast.parse(text)
        last = 0
        for node in tree.body:  # the imports at the top, not ones further down
            if isinstance(node, ast.Import | ast.ImportFrom):
                last = node.end_lineno or node.lineno
            elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
                break
        lines = text.splitlines(keepends=True)
        lines.insert(last, import_line)
        text = "".join(lines)
    path.write_text(text, encoding="utf-8")
    return len(visitor.edits)


def main(argv: list[str]) -> int:
    """``wrap_strings.py FUNC FILE…``"""
    if len(argv) < 2 or argv[0] not in IMPORTS:
        print(__doc__)
        return 2
    for name in argv[1:]:
        count = wrap_file(Path(name), argv[0])
        if count:
            print(f"{name}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
