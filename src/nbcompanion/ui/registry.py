"""What the main window is made of: its pages and the modules that add menu actions.

Pages are registered by class: each entry holds a small function that imports its page class
when the page is first opened (so the window shows quickly), and mypy checks that it is a
:class:`~nbcompanion.ui.kit.Page`. Menu installers stay "module:function" strings for the
same reason. Feature modules add one line here; the main window never changes for a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nbcompanion.i18n import N_

if TYPE_CHECKING:
    from nbcompanion.ui.kit import Page


@dataclass(frozen=True)
class PageSpec:
    """A page of the left-hand navigation.

    ``title`` and ``tooltip`` are English, marked with N_ and translated where shown.
    ``page`` returns the page's class (a :class:`~nbcompanion.ui.kit.Page`, built with
    ``(context, parent)``), importing it only when the page is first opened.
    """

    key: str
    title: str
    page: Callable[[], type[Page]]
    tooltip: str = ""


# -- each page's class, imported when it is first opened --------------------------------
def _home() -> type[Page]:
    from nbcompanion.ui.daily.home import HomePage

    return HomePage


def _trends() -> type[Page]:
    from nbcompanion.ui.daily.trends import TrendsPage

    return TrendsPage


def _diary() -> type[Page]:
    from nbcompanion.ui.daily.diary import DiaryPage

    return DiaryPage


def _medicines() -> type[Page]:
    from nbcompanion.ui.daily.medicines import MedicinesPage

    return MedicinesPage


def _questions() -> type[Page]:
    from nbcompanion.ui.daily.questions import QuestionsPage

    return QuestionsPage


def _care_team() -> type[Page]:
    from nbcompanion.ui.daily.team import CareTeamPage

    return CareTeamPage


def _reference() -> type[Page]:
    from nbcompanion.ui.reference.page import ReferencePage

    return ReferencePage


def _tests() -> type[Page]:
    from nbcompanion.ui.record.tests_page import TestsPage

    return TestsPage


def _treatment() -> type[Page]:
    from nbcompanion.ui.record.treatment_page import TreatmentPage

    return TreatmentPage


def _visits() -> type[Page]:
    from nbcompanion.ui.record.visits_page import VisitsPage

    return VisitsPage


def _timeline() -> type[Page]:
    from nbcompanion.ui.record.timeline import TimelinePage

    return TimelinePage


#: The order of the left-hand navigation, whatever order entries are added below.
PAGE_ORDER = (
    "home", "reference", "tests", "treatment", "visits", "timeline", "trends",
    "diary", "medicines", "questions", "care_team",
)

PAGES: list[PageSpec] = [
    PageSpec("home", N_("Home"), _home,
             N_("Today at a glance: medicines, the next visit, the diary and the latest results")),
    PageSpec("trends", N_("Trends"), _trends,
             N_("Each test's values over time, with the lab's range")),
    PageSpec("diary", N_("Diary"), _diary,
             N_("What you notice between visits (Ctrl+D adds an entry)")),
    PageSpec("medicines", N_("Medicines"), _medicines,
             N_("Your child's medicines, today's doses and the dose log")),
    PageSpec("questions", N_("Questions"), _questions,
             N_("Questions for the team, and their answers")),
    PageSpec("care_team", N_("Care team"), _care_team,
             N_("The people and places looking after your child")),
    PageSpec("reference", N_("Reference"), _reference,
             N_("The NCI PDQ summary Neuroblastoma Treatment, by topic and searchable")),
    PageSpec("tests", N_("Tests & results"), _tests,
             N_("Every test and result, sorted and filtered, with each test's history")),
    PageSpec("treatment", N_("Treatment"), _treatment,
             N_("Treatment phases and what was given or done in each")),
    PageSpec("visits", N_("Visits"), _visits,
             N_("Appointments, upcoming first, with questions and what was decided")),
    PageSpec("timeline", N_("Timeline"), _timeline,
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
