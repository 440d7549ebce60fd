"""What the main window is made of: its pages and the modules that add menu actions.

Entries name their code as "module:attribute" strings so that nothing is imported before it
is needed — the window shows quickly and each page is built the first time it is opened.
Feature modules add one line here; the main window itself never changes for a new page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """A page of the left-hand navigation.

    ``factory`` is "module:Class"; the class takes ``(context, parent)`` and may define
    ``open_target(target)`` (called by navigation) and ``about_to_show()``.
    """

    key: str
    title: str
    factory: str
    tooltip: str = ""


#: The order of the left-hand navigation, whatever order entries are added below.
PAGE_ORDER = (
    "home", "reference", "tests", "treatment", "visits", "timeline", "trends",
    "diary", "medicines", "questions", "care_team",
)

PAGES: list[PageSpec] = [
    PageSpec("reference", "Reference", "nbcompanion.ui.reference.page:ReferencePage",
             "The NCI PDQ summary Neuroblastoma Treatment, by topic and searchable"),
]


def ordered_pages() -> list[PageSpec]:
    """The registered pages in navigation order (unknown keys last)."""
    def rank(spec: PageSpec) -> int:
        return PAGE_ORDER.index(spec.key) if spec.key in PAGE_ORDER else len(PAGE_ORDER)

    return sorted(PAGES, key=rank)

#: "module:function" entries; each function takes the MainWindow and adds its actions
#: to ``window.menus[...]`` (keys: "file", "edit", "view", "record", "reference", "help").
MENU_INSTALLERS: list[str] = [
    "nbcompanion.ui.reference.menu:install",
    "nbcompanion.ui.help:install",
    "nbcompanion.ui.safety.menu:install",
    "nbcompanion.ui.exports:install",
]
