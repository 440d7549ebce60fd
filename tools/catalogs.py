"""Make the translation catalogs with Babel's standard tools (one catalog per language).

    python tools/catalogs.py extract          # src/ → src/nbcompanion/locale/nbcompanion.pot
    python tools/catalogs.py init de          # start German: locale/de/LC_MESSAGES/nbcompanion.po
    python tools/catalogs.py update           # carry new sentences into every .po
    python tools/catalogs.py compile          # .po → .mo, which the app loads

The same catalog serves the Qt-free core (``_``, ``N_``, ``ngettext``) and the UI (Qt's
``tr`` and ``QCoreApplication.translate``, answered by ``nbcompanion.ui.translate``), so the
keywords below list both. The reference text (the PDQ summary) is never in a catalog.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "nbcompanion"
LOCALE = SOURCE / "locale"
DOMAIN = "nbcompanion"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"

#: Every call that marks a user-visible sentence, in Babel's keyword syntax.
KEYWORDS = ["_", "N_", "ngettext:1,2", "tr", "translate:2", "QT_TRANSLATE_NOOP:2",
            "QT_TR_NOOP", "Choice:2", "Column:2",
            # the built-in test types and their numbers (record/catalog.py), shown translated
            "TestType:1", "Analyte:1"]


def run(*args: str) -> None:
    """Run one pybabel command (raises SystemExit on failure)."""
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(source: Path = SOURCE, template: Path = TEMPLATE) -> Path:
    """Collect every marked sentence under ``source`` into the template ``template``."""
    template.parent.mkdir(parents=True, exist_ok=True)
    keywords = [arg for word in KEYWORDS for arg in ("-k", word)]
    run("extract", "--no-default-keywords", *keywords, "--sort-by-file",
        "--project", "Neuroblastoma Caregiver Companion", "-o", str(template), _shown(source))
    return template


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when inside it (as the catalog shows it)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def init(language: str, template: Path = TEMPLATE, locale: Path = LOCALE) -> None:
    """Start the catalog of ``language`` from the template."""
    run("init", "-D", DOMAIN, "-i", str(template), "-d", str(locale), "-l", language)


def update(template: Path = TEMPLATE, locale: Path = LOCALE) -> None:
    """Merge new and changed sentences of the template into every language's catalog."""
    if any(locale.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        run("update", "-D", DOMAIN, "-i", str(template), "-d", str(locale))


def compile_all(locale: Path = LOCALE) -> None:
    """Compile every language's .po into the .mo the app reads."""
    if any(locale.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        run("compile", "-D", DOMAIN, "-d", str(locale), "--statistics")


def main(argv: list[str]) -> int:
    """The command line (see the module docstring)."""
    os.chdir(ROOT)  # the catalogs name source files relative to the project
    if not argv or argv[0] not in ("extract", "init", "update", "compile"):
        print(__doc__)
        return 2
    if argv[0] == "extract":
        extract()
    elif argv[0] == "init":
        if len(argv) != 2:
            print("init needs a language code, e.g. de or pt_BR")
            return 2
        init(argv[1])
    elif argv[0] == "update":
        update()
    else:
        compile_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
