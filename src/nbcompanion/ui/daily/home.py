"""Home: a first-start welcome, then the daily dashboard of the active child.

The dashboard only gathers what the record holds — the child, the diagnosis as recorded,
today's phase day, the next visit and its questions, today's doses, the last week's diary
and the latest value of each test — and links to the summary. It never judges anything.
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QProcess, Qt, Slot
from PySide6.QtGui import QColor, QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nbcompanion import wording
from nbcompanion.record import vocab
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.daily.common import (
    TREND_ARROWS,
    TREND_WORDS,
    Card,
    clear_layout,
    day_text,
    heading,
    link_label,
    muted,
    number_text,
    range_text,
    symptom_text,
    visit_text,
    when_text,
)
from nbcompanion.ui.daily.doses import TodaysDoses
from nbcompanion.ui.kit import Page
from nbcompanion.ui.reflinks import read_about_link
from nbcompanion.ui.theme import colours
from nbcompanion.ui.translate import tr

Clock = Callable[[], datetime]
DEMO_TEXT = ("This is a fictional sample record, made up to show what the app can do. Nothing "
             "you change here touches your own record, and it is gone when you close this "
             "window.")
MAX_QUESTIONS = 5
MAX_DIARY = 8
WELCOME_BUTTON_STYLE = "font-size: 12pt; padding: 8px 18px;"
#: Below this width the cards stack in one column.
TWO_COLUMNS_FROM = 860
#: The tables each card shows, and how often its content moves with the clock alone
#: ("minute", "day" or None): a card is rebuilt only when one of these has changed.
CARD_SOURCES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "doses": (("medicine", "dose_log"), "minute"),
    "visit": (("visit", "question"), "minute"),
    "phase": (("phase",), "day"),
    "diagnosis": ((), None),
    "results": (("test", "test_value", "test_type", "analyte"), None),
    "diary": (("diary_entry",), "day"),
}
#: Tables whose change rebuilds the whole page (the child's name, age, the children).
WHOLE_PAGE_TABLES = ("child", "setting")


def start_sample_record() -> bool:
    """Start ``nbcompanion --demo`` as a separate process (the family's record is untouched)."""
    # A packaged app (PyInstaller) is its own executable; from source, run the package.
    arguments = ["--demo"] if getattr(sys, "frozen", False) else ["-m", "nbcompanion", "--demo"]
    return bool(QProcess.startDetached(sys.executable, arguments)[0])


class HomePage(Page):
    """First start (no child yet) or the active child's day at a glance."""

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 clock: Clock = datetime.now) -> None:
        super().__init__(context, parent)
        self.clock = clock
        self.cards: dict[str, Card] = {}
        self.todays_doses: TodaysDoses | None = None
        self._columns = 2
        self._stale = False
        self._refreshed_at = 0.0
        #: How often each table was written (from record_changed), and per card the
        #: versions and clock it was built with: see update_cards().
        self._versions: dict[str, int] = {}
        self._built: dict[str, tuple[object, ...]] = {}
        self._card_titles: dict[str, str] = {}
        self._dashboard_child: dict[str, Any] | None = None
        self._page_key: tuple[object, ...] | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(self.scroll_area)
        self.content = QWidget()
        self.layout_ = QVBoxLayout(self.content)
        self.layout_.setContentsMargins(20, 16, 20, 20)
        self.layout_.setSpacing(12)
        self.scroll_area.setWidget(self.content)
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        self.refresh()

    # -- building ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild the page from the record."""
        self._stale = False
        self._refreshed_at = time.monotonic()
        self.cards = {}
        self._built = {}
        self._card_titles = {}
        self._dashboard_child = None
        self.todays_doses = None
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        self._set_column_stretch()  # a new grid: without this the left cards squeeze
        clear_layout(self.layout_)
        if self.context.demo:
            banner = QLabel(DEMO_TEXT)
            banner.setObjectName("demoBanner")
            banner.setWordWrap(True)
            chosen = colours()
            banner.setStyleSheet(f"background: {chosen.panel}; color: {chosen.text}; "
                                 f"padding: 8px 10px; border: 1px solid {chosen.panel_border}; "
                                 "border-radius: 4px;")
            self.layout_.addWidget(banner)
        from nbcompanion.record import queries

        children = list(queries.children(self.context.store))
        child_id = self.context.active_child_id
        child = next((c for c in children if c["id"] == child_id), None)
        self._page_key = self._whole_page_key(children, child_id)
        if not children:
            self._build_welcome()
        elif child is None:
            self._build_chooser(children)
        else:
            self._build_dashboard(dict(child))
        self.layout_.addStretch(1)

    def _build_welcome(self) -> None:
        self.layout_.addWidget(heading(tr("Welcome")))
        intro = QLabel(
            tr("This app keeps two things in one window: the NCI summary about neuroblastoma "
            "treatment, to read at your own pace, and a private record of your child's care "
            "— tests, treatment, visits, medicines, a diary and your questions for the team. "
            "Everything stays on this computer."))
        intro.setWordWrap(True)
        intro.setStyleSheet("font-size: 11pt;")
        self.layout_.addWidget(intro)
        row = QHBoxLayout()
        self.add_child_button = QPushButton(tr("Add your child"))
        self.add_child_button.setDefault(True)
        self.add_child_button.setStyleSheet(WELCOME_BUTTON_STYLE)
        self.add_child_button.clicked.connect(self._on_add_child_clicked)
        self.sample_button = QPushButton(tr("Explore with a sample record"))
        self.sample_button.setStyleSheet(WELCOME_BUTTON_STYLE)
        self.sample_button.clicked.connect(self._on_sample_clicked)
        row.addWidget(self.add_child_button)
        row.addWidget(self.sample_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.sample_note = muted(
            tr("The sample record opens in a separate window with a made-up child, so you can "
            "see every page filled in. Your own record stays exactly as it is."))
        self.layout_.addWidget(self.sample_note)
        self.layout_.addWidget(muted(tr("You can also read the summary any time: choose "
                                     "“Reference” on the left.")))

    def _build_chooser(self, children: list[dict[str, Any]]) -> None:
        self.layout_.addWidget(heading(tr("Whose record would you like to see?")))
        row = QHBoxLayout()
        for child in children:
            button = QPushButton(child["name"])
            button.clicked.connect(lambda _c=False, i=child["id"]:
                                   self.context.set_active_child(i))
            row.addWidget(button)
        row.addStretch(1)
        self.layout_.addLayout(row)

    def _build_dashboard(self, child: dict[str, Any]) -> None:

        now = self.clock()
        header = QHBoxLayout()
        title = heading(child["name"])
        title.setStyleSheet("font-size: 20pt; font-weight: 600;")
        title.setObjectName("childName")
        title.setWordWrap(False)  # a wrapped name reads badly; the header has the room
        header.addWidget(title)
        if child.get("birth_date"):
            age = QLabel(wording.age_text(child["birth_date"], now.date()))
            age.setObjectName("childAge")
            age.setStyleSheet("font-size: 13pt;")
            header.addWidget(age)
        header.addStretch(1)
        self.layout_.addLayout(header)
        self.layout_.addWidget(muted(f"{day_text(now.date(), weekday=True)}"))
        self.layout_.addLayout(self.grid)
        self._dashboard_child = child
        for key in CARD_SOURCES:
            self._place(key, self._build_card(key, child, now), now)

    def _build_card(self, key: str, child: dict[str, Any], now: datetime) -> Card:
        if key == "doses":
            return self._doses_card()
        if key == "visit":
            return self._visit_card(child, now)
        if key == "phase":
            return self._phase_card(child, now)
        if key == "diagnosis":
            return self._diagnosis_card(child)
        if key == "results":
            return self._results_card(child)
        return self._diary_card(child, now)

    def _card_key(self, key: str, now: datetime) -> tuple[object, ...]:
        """What card ``key`` was built from: its tables' versions and, if it moves with
        the clock, the minute or the day."""
        tables, clock = CARD_SOURCES[key]
        moment = (now.strftime("%Y-%m-%dT%H:%M") if clock == "minute"
                  else now.date().isoformat() if clock == "day" else None)
        return (*(self._versions.get(table, 0) for table in tables), moment)

    def _place(self, key: str, card: Card, now: datetime) -> None:
        # Ignored width: the grid shares the width by its equal stretch, not by content.
        policy = card.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        card.setSizePolicy(policy)
        title = card.accessibleName()
        old_title = self._card_titles.get(key)
        old = self.cards.get(old_title) if old_title is not None else None
        self._card_titles[key] = title
        self._built[key] = self._card_key(key, now)
        if old is not None:  # rebuilt: the new card takes the old one's place
            self.grid.replaceWidget(old, card)
            old.hide()
            old.deleteLater()
            self.cards = {(title if name == old_title else name): (card if name == old_title
                                                                   else widget)
                          for name, widget in self.cards.items()}
            return
        self.cards[title] = card
        index = len(self.cards) - 1
        self.grid.addWidget(card, index // self._columns, index % self._columns)

    def _whole_page_key(self, children: list[dict[str, Any]],
                        child_id: int | None) -> tuple[object, ...]:
        return (self.context.demo, tuple(c["id"] for c in children), child_id,
                *(self._versions.get(table, 0) for table in WHOLE_PAGE_TABLES),
                self.clock().date())

    def update_cards(self) -> None:
        """Bring the page up to date, rebuilding only the cards whose data changed.

        A card's data changed when a table it shows was written since it was built, or
        when it moves with the clock and the minute (or day) has turned. The whole page is
        rebuilt only when the children, the active child or the day changed.
        """
        from nbcompanion.record import queries

        self._stale = False
        self._refreshed_at = time.monotonic()
        child = self._dashboard_child
        children = list(queries.children(self.context.store))
        if (child is None or self._page_key != self._whole_page_key(
                children, self.context.active_child_id)):
            self.refresh()
            return
        now = self.clock()
        for key in CARD_SOURCES:
            if self._built.get(key) != self._card_key(key, now):
                self._place(key, self._build_card(key, child, now), now)

    def _set_column_stretch(self) -> None:
        """Equal columns of cards, whatever each card holds."""
        for column in range(2):
            self.grid.setColumnStretch(column, 1 if column < self._columns else 0)

    def _reflow(self) -> None:
        cards = list(self.cards.values())
        for card in cards:
            self.grid.removeWidget(card)
        self._set_column_stretch()
        for index, card in enumerate(cards):
            self.grid.addWidget(card, index // self._columns, index % self._columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Two columns of cards on a wide window, one on a narrow one."""
        columns = 2 if event.size().width() >= TWO_COLUMNS_FROM else 1
        if columns != self._columns:
            self._columns = columns
            self._reflow()
        super().resizeEvent(event)

    # -- cards ------------------------------------------------------------------------------
    def _doses_card(self) -> Card:
        card = Card(tr("Today's medicines"))
        self.todays_doses = TodaysDoses(self.context, card, clock=self.clock)
        card.body.addWidget(self.todays_doses)
        go = link_label(tr("All medicines and the dose log"))
        go.linkActivated.connect(lambda _h: self.context.navigate("medicines", None))
        card.body.addWidget(go)
        return card

    def _visit_card(self, child: dict[str, Any], now: datetime) -> Card:
        from nbcompanion.record import queries

        card = Card(tr("Next visit"))
        visit = queries.next_visit(self.context.store, child["id"], now)
        if visit is None:
            card.body.addWidget(muted(tr("No visit is planned. When you add one on the Visits "
                                      "page, it shows here with your questions.")))
            questions = list(queries.open_questions(self.context.store, child["id"]))
        else:
            link = link_label(visit_text(visit))
            link.setObjectName("nextVisitLink")
            link.linkActivated.connect(
                lambda _h, i=visit["id"]: self.context.navigate("visits", {"visit_id": i}))
            card.body.addWidget(link)
            where = ", ".join(str(visit[k]) for k in ("place", "clinician") if visit.get(k))
            if where:
                place = QLabel(where)
                place.setTextFormat(Qt.TextFormat.PlainText)
                place.setWordWrap(True)
                card.body.addWidget(place)
            kind = vocab.find(vocab.VISIT_KINDS, visit.get("kind"))
            if kind is not None and kind.topic:
                card.body.addWidget(read_about_link(self.context, kind.topic, kind.label))
            questions = list(queries.questions_for_visit(self.context.store, visit["id"], now))
        questions = [q for q in questions if not q.get("asked")]
        if questions:
            card.body.addWidget(QLabel("<b>{}</b>".format(html.escape(tr(
                "Questions to ask ({count})").format(count=len(questions))))))
            for question in questions[:MAX_QUESTIONS]:
                label = QLabel("• " + html.escape(question["text"]))
                label.setWordWrap(True)
                card.body.addWidget(label)
            if len(questions) > MAX_QUESTIONS:
                card.body.addWidget(muted(tr("and {count} more").format(
                    count=len(questions) - MAX_QUESTIONS)))
        else:
            card.body.addWidget(muted(tr("No questions written down yet.")))
        add = link_label(tr("Add or answer questions"))
        add.linkActivated.connect(lambda _h: self.context.navigate("questions", None))
        card.body.addWidget(add)
        return card

    def _phase_card(self, child: dict[str, Any], now: datetime) -> Card:
        from nbcompanion.record import queries

        card = Card(tr("Treatment now"))
        phase = queries.current_phase(self.context.store, child["id"], now.date())
        if phase is None:
            card.body.addWidget(muted(tr("No treatment phase is under way today. Phases are kept "
                                      "on the Treatment page.")))
            return card
        choice = vocab.find(vocab.PHASE_KINDS, phase.get("kind"))
        name = choice.label if choice else str(phase.get("kind") or "")
        label = QLabel(f"<span style='font-size: 13pt; font-weight: 600'>{html.escape(name)}"
                       "</span>")
        card.body.addWidget(label)
        day = phase.get("day_number")
        planned = phase.get("planned_days")
        if day:
            if not planned:
                text = tr("Day {day} of this phase").format(day=day)
            elif day <= planned:
                text = tr("Day {day} of this phase (of {planned} planned days)").format(
                    day=day, planned=planned)
            else:  # phases often run longer than planned: say so plainly, not "2431 of 2430"
                text = tr("Day {day} of this phase ({planned} days were planned)").format(
                    day=day, planned=planned)
            day_label = QLabel(text)
            day_label.setObjectName("phaseDay")
            card.body.addWidget(day_label)
        since = day_text(phase.get("start_date"))
        if since:
            card.body.addWidget(muted(
                tr("Started {since}; planned to end {end}").format(
                    since=since, end=day_text(phase["planned_end"]))
                if phase.get("planned_end") else tr("Started {since}").format(since=since)))
        if choice is not None and choice.topic:
            card.body.addWidget(read_about_link(self.context, choice.topic, name))
        return card

    def _diagnosis_card(self, child: dict[str, Any]) -> Card:
        card = Card(tr("Diagnosis at a glance"))
        stage = vocab.find(vocab.STAGES, child.get("stage"))
        risk = vocab.find(vocab.RISK_GROUPS, child.get("risk_group"))
        main = " · ".join(c.label for c in (stage, risk) if c is not None)
        card.body.addWidget(QLabel(f"<b>{html.escape(main)}</b>" if main
                                   else tr("Stage and risk group not recorded yet.")))
        markers = []
        for title, choices, key in (("Histology", vocab.HISTOLOGY, "histology"),
                                    ("MYCN", vocab.MYCN, "mycn"), ("ALK", vocab.ALK, "alk"),
                                    ("DNA index", vocab.DNA_INDEX, "dna_index")):
            if child.get(key):
                markers.append(f"{title}: {vocab.label(choices, child[key])}")
        if markers:
            line = QLabel(html.escape(" · ".join(markers)))
            line.setWordWrap(True)
            card.body.addWidget(line)
        if child.get("diagnosis_date"):
            when = day_text(child["diagnosis_date"])
            diagnosed = wording.to_date(child["diagnosis_date"])
            age = (wording.age_text(child.get("birth_date"), diagnosed) if diagnosed
                   else "")
            text = (tr("Diagnosed {day}, at {age}").format(day=when, age=age) if age
                    else tr("Diagnosed {day}").format(day=when))
            card.body.addWidget(muted(text))
        links = QHBoxLayout()
        if stage is not None:
            links.addWidget(read_about_link(self.context, stage.topic or vocab.STAGE_TOPIC,
                                            stage.label))
        if risk is not None and risk.topic:
            links.addWidget(read_about_link(self.context, risk.topic, risk.label))
        links.addStretch(1)
        card.body.addLayout(links)
        return card

    def _results_card(self, child: dict[str, Any]) -> Card:
        # converted_number and shown_number from measures, not trend_units: that would load
        # the charts (~20 ms) before the window's first paint.
        from nbcompanion.record import measures, queries
        from nbcompanion.record.measures import converted_number, shown_number
        from nbcompanion.record.units import display, is_ratio

        card = Card(tr("Latest results"))
        store = self.context.store
        results = [measures.in_display_unit(store, child["id"], dict(r))
                   for r in queries.latest_results(store, child["id"])]
        names = [str(r["analyte"]) for r in results]
        if not results:
            card.body.addWidget(muted(tr("No numbers recorded yet. Values you add on the Tests "
                                      "page (VMA, HVA, LDH, blood counts…) show here.")))
            return card
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        # One font and one palette for every row, not a style sheet per label: dozens of
        # style sheets made this card the slowest part of the app's first paint.
        arrow_font = QFont(card.font())
        arrow_font.setPointSizeF(13)
        note_palette = QPalette(card.palette())
        note_palette.setColor(QPalette.ColorRole.WindowText, QColor(colours().note))
        for row, result in enumerate(results):
            name = str(result["analyte"])
            shown_name = (f"{name} per creatinine" if names.count(name) > 1
                          and is_ratio(result.get("unit")) else name)
            link = link_label(shown_name)
            link.setObjectName(f"result_{name}")
            link.setToolTip(tr("Show the chart of {name}").format(name=name))
            link.linkActivated.connect(
                lambda _h, n=name: self.context.navigate("trends", {"analyte": n}))
            unit = display(result.get("unit")) or result.get("unit") or ""
            # A converted number has no more precision than three significant digits.
            value = f"{number_text(shown_number(result, 'value'))} {unit}".strip()
            converted = result.get("converted")
            trend = result.get("trend")
            arrow = QLabel(TREND_ARROWS.get(trend or "", ""))
            arrow.setFont(arrow_font)
            if trend in TREND_WORDS:
                before = number_text(converted_number(result.get("previous_value"))
                                     if result.get("previous_typed") or converted else
                                     result.get("previous_value"))
                arrow.setToolTip(tr("{trend} ({before} on {day})").format(
                    trend=tr(TREND_WORDS[trend]), before=before,
                    day=day_text(result.get("previous_date"))))
                arrow.setAccessibleName(arrow.toolTip())
            grid.addWidget(link, row, 0)
            shown = QLabel(f"<b>{html.escape(value)}</b>" + (" *" if converted else ""))
            if converted:
                typed_unit = display(result.get("typed_unit")) or result.get("typed_unit") or ""
                shown.setToolTip(tr("Typed as {value} {typed_unit}; shown converted to "
                                    "{unit}.").format(value=number_text(result.get("typed_value")),
                                                      typed_unit=typed_unit, unit=unit))
            grid.addWidget(shown, row, 1)
            grid.addWidget(arrow, row, 2)
            day = muted(day_text(result.get("date")))
            day.setWordWrap(False)  # "30 Nov 2026" on one line; the note beside it may wrap
            grid.addWidget(day, row, 3)
            note = QLabel()
            note.setWordWrap(True)
            if result.get("outside_range"):
                ref = range_text(result.get("ref_low"), result.get("ref_high"))
                note.setText(tr("outside the lab's range ({range})").format(range=ref) if ref
                             else tr("outside the lab's range"))
                note.setPalette(note_palette)
            grid.addWidget(note, row, 4)
        grid.setColumnStretch(4, 1)
        card.body.addLayout(grid)
        card.body.addWidget(muted(
            tr("Arrows show only the direction since the value before in a unit that can be "
            "compared. Click a name to see its chart.")
            + (tr(" * Converted into the unit shown; point at it to see it as typed.")
               if any(r.get("converted") for r in results) else "")))
        return card

    def _diary_card(self, child: dict[str, Any], now: datetime) -> Card:
        from nbcompanion.record import queries

        card = Card(tr("Diary — last 7 days"))
        since = (now - timedelta(days=7)).date().isoformat()
        rows = list(queries.list_diary(self.context.store, child["id"], date_from=since,
                                       limit=MAX_DIARY + 1))
        if not rows:
            card.body.addWidget(muted(tr("Nothing noted in the last 7 days.")))
        for row in rows[:MAX_DIARY]:
            extra = vocab.label(vocab.SEVERITIES, row.get("severity"))
            text = f"{when_text(row.get('at'))} — {symptom_text(row)}" + (
                f", {extra.lower()}" if extra else "")
            link = link_label(text)
            link.linkActivated.connect(
                lambda _h, i=row["id"]: self.context.navigate("diary", {"entry_id": i}))
            card.body.addWidget(link)
        if len(rows) > MAX_DIARY:
            more = link_label(tr("See the whole diary"))
            more.linkActivated.connect(lambda _h: self.context.navigate("diary", None))
            card.body.addWidget(more)
        add = QPushButton(tr("Add diary entry (Ctrl+D)"))
        add.clicked.connect(self._on_add_diary_clicked)
        row_layout = QHBoxLayout()
        row_layout.addWidget(add)
        row_layout.addStretch(1)
        card.body.addLayout(row_layout)
        return card

    # -- slots ------------------------------------------------------------------------------
    @Slot()
    def _on_add_child_clicked(self) -> None:
        self.open_child_dialog(None)

    def open_child_dialog(self, child_id: int | None) -> QWidget | None:
        """Open the child profile dialog (new or existing)."""
        try:
            from nbcompanion.ui.record.child import ChildDialog
        except ImportError:
            QMessageBox.information(self, tr("Not available yet"),
                                    tr("The child profile is not available in this version."))
            return None
        from nbcompanion.ui.forms import run_dialog

        dialog = ChildDialog(self.context, child_id, self)
        run_dialog(dialog)
        return dialog

    @Slot()
    def _on_sample_clicked(self) -> None:
        if sys.modules[__name__].start_sample_record():
            self.sample_note.setText(tr("The sample record is opening in its own window. Your "
                                     "own record stays exactly as it is."))
        else:
            self.sample_note.setText(tr("The sample record could not be started. You can start "
                                     "it yourself with: nbcompanion --demo"))

    @Slot()
    def _on_add_diary_clicked(self) -> None:
        from nbcompanion.ui.daily.diary import open_diary_dialog

        open_diary_dialog(self.context, self)

    def refresh_soon(self) -> None:
        """Update now when on screen; otherwise when next shown (saves work on big records)."""
        if self.isVisible():
            self.update_cards()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:
        """Catch up with changes made while another page was shown."""
        if self._stale:
            self.update_cards()
        super().showEvent(event)

    @Slot(str)
    def _on_context_record_changed(self, table: str) -> None:
        # "" means many tables: every card's data may have changed.
        for name in ((table,) if table else {t for tables, _ in CARD_SOURCES.values()
                                             for t in tables} | set(WHOLE_PAGE_TABLES)):
            self._versions[name] = self._versions.get(name, 0) + 1
        self.refresh_soon()

    @Slot(object)
    def _on_context_active_child_changed(self, _child_id: object) -> None:
        self.refresh_soon()

    def about_to_show(self) -> None:
        """Phase day, next visit and due doses move with time: update what has moved."""
        if time.monotonic() - self._refreshed_at > 1.0:
            self.update_cards()

    def open_target(self, _target: object) -> None:
        """Home has nothing to open."""
