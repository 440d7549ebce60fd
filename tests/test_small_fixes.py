"""The small things a new family met first (issue 11, point 7), each checked."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter

from nbcompanion import APP_NAME
from nbcompanion.record import entries, queries
from nbcompanion.record.demo import build_demo
from nbcompanion.record.errors import ValidationError


def test_the_app_calls_itself_what_the_readme_calls_it() -> None:
    assert APP_NAME == "Neuroblastoma Caregiver Companion"


def test_a_birth_date_in_1900_is_questioned(fresh_store) -> None:
    with pytest.raises(ValidationError) as raised:
        entries.save(fresh_store, "child", {"name": "Ava", "birth_date": "1900-01-02"})
    assert "year" in raised.value.errors["birth_date"]
    entries.save(fresh_store, "child", {"name": "Ava", "birth_date": "2019-05-04"})


def test_sample_visits_fall_on_weekdays(fresh_store) -> None:
    build_demo(fresh_store, date(2026, 12, 2))
    days = {datetime.fromisoformat(row["starts_at"]).weekday()
            for row in fresh_store.query(  # an emergency or an admission keeps no office days
                "SELECT starts_at FROM visit WHERE kind NOT IN ('emergency', 'hospital_stay')")}
    assert days <= {0, 1, 2, 3, 4}
    assert len(days) >= 3  # not every visit on the same day of the week


def test_creatinine_ratios_are_not_shown_to_three_decimals(fresh_store) -> None:
    child = build_demo(fresh_store, date(2026, 12, 2))
    for row in queries.ratio_series(fresh_store, child, "VMA"):
        assert len(f"{row['value']:g}".replace(".", "").lstrip("0")) <= 3


def test_the_legend_names_a_range_only_when_the_lab_gave_one(qapp) -> None:
    from nbcompanion.reports.chart import paint_legend

    def width(with_range: bool) -> float:
        image = QImage(600, 40, QImage.Format.Format_RGB32)
        painter = QPainter(image)
        drawn = paint_legend(painter, QPointF(4, 30), with_range=with_range)
        painter.end()
        return drawn

    assert width(False) < width(True) / 3


def test_age_at_diagnosis_is_shown_in_full(qtbot, fresh_store) -> None:
    from nbcompanion.ui.context import AppContext
    from nbcompanion.ui.record.child import ChildDialog

    dialog = ChildDialog(AppContext(fresh_store))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    label = dialog.age_label
    needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
    assert label.height() >= needed
    assert label.width() >= label.fontMetrics().horizontalAdvance(label.text()) or label.wordWrap()
