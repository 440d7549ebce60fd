"""What the main window is made of: its pages and the modules that add menu actions.

Entries name their code as "module:attribute" strings so that nothing is imported before it
is needed — the window shows quickly and each page is built the first time it is opened.
Feature modules add one line here; the main window itself never changes for a new page.
"""

from __future__ import annotations

from dataclasses import dataclass

from nbcompanion.i18n import N_


@dataclass(frozen=True)
class PageSpec:
    """A page of the left-hand navigation.

    ``title`` and ``tooltip`` are English, marked with N_ and translated where shown.
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
    PageSpec("home", N_("Home"), "nbcompanion.ui.daily.home:HomePage",
             N_("Today at a glance: medicines, the next visit, the diary and the latest results")),
    PageSpec("trends", N_("Trends"), "nbcompanion.ui.daily.trends:TrendsPage",
             N_("Each test's values over time, with the lab's range")),
    PageSpec("diary", N_("Diary"), "nbcompanion.ui.daily.diary:DiaryPage",
             N_("What you notice between visits (Ctrl+D adds an entry)")),
    PageSpec("medicines", N_("Medicines"), "nbcompanion.ui.daily.medicines:MedicinesPage",
             N_("Your child's medicines, today's doses and the dose log")),
    PageSpec("questions", N_("Questions"), "nbcompanion.ui.daily.questions:QuestionsPage",
             N_("Questions for the team, and their answers")),
    PageSpec("care_team", N_("Care team"), "nbcompanion.ui.daily.team:CareTeamPage",
             N_("The people and places looking after your child")),
    PageSpec("reference", N_("Reference"), "nbcompanion.ui.reference.page:ReferencePage",
             N_("The NCI PDQ summary Neuroblastoma Treatment, by topic and searchable")),
    PageSpec("tests", N_("Tests & results"), "nbcompanion.ui.record.tests_page:TestsPage",
             N_("Every test and result, sorted and filtered, with each test's history")),
    PageSpec("treatment", N_("Treatment"), "nbcompanion.ui.record.treatment_page:TreatmentPage",
             N_("Treatment phases and what was given or done in each")),
    PageSpec("visits", N_("Visits"), "nbcompanion.ui.record.visits_page:VisitsPage",
             N_("Appointments, upcoming first, with questions and what was decided")),
    PageSpec("timeline", N_("Timeline"), "nbcompanion.ui.record.timeline:TimelinePage",
             N_("Phases, tests and visits over time")),
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
    "nbcompanion.ui.record.menus:install",
    "nbcompanion.ui.safety.menu:install",
    "nbcompanion.ui.exports:install",
    "nbcompanion.ui.daily.menus:install",
    "nbcompanion.ui.sharing:install",
]
