"""Dates, numbers, ranges and ages read the same everywhere and follow the locale."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, time

import pytest

from nbcompanion import i18n, wording


@pytest.fixture(autouse=True)
def _british() -> Iterator[None]:
    wording.set_locale("en_GB")
    yield
    wording.set_locale(None)
    i18n.use_language("en")


def test_dates_carry_the_month_as_a_word() -> None:
    assert wording.day_text("2026-05-15") == "15 May 2026"
    assert wording.day_text(date(2026, 12, 3)) == "3 Dec 2026"
    assert wording.day_text("2026-12-03T20:00", weekday=True) == "Thu, 3 Dec 2026"
    assert wording.long_day_text("2025-12-30") == "30 December 2025"
    assert wording.short_day_text("2026-05-15") == "15 May"


def test_unset_and_odd_dates_never_fail() -> None:
    assert wording.day_text(None) == ""
    assert wording.day_text("") == ""
    assert wording.day_text("next Tuesday") == "next Tuesday"
    assert wording.when_text("soon") == "soon"
    assert wording.to_date("2026-02-30") is None
    assert wording.time_text("2026-05-03") == ""


def test_moments_with_and_without_a_time() -> None:
    assert wording.when_text("2026-12-03T20:00") == "Thu, 3 Dec 2026, 20:00"
    assert wording.when_text("2026-12-03") == "Thu, 3 Dec 2026"
    assert wording.when_text("2026-12-03T08:05", weekday=False) == "3 Dec 2026, 08:05"
    assert wording.time_text(time(14, 30)) == "14:30"
    assert wording.timestamp_text(datetime(2026, 12, 3, 14, 30)) == (
        "Thursday, 3 December 2026, 14:30")


def test_other_locales_write_their_own_way() -> None:
    wording.set_locale("en_US")
    assert wording.day_text("2026-05-15") == "May 15, 2026"
    assert wording.time_text("2026-05-15T14:30") == "2:30\u202fPM"
    assert wording.number_text(12345.5) == "12,345.5"
    wording.set_locale("de_DE")
    assert wording.day_text("2026-05-15") == "15. Mai 2026"
    assert wording.month_name(3, short=False) == "März"
    assert wording.number_text(3.5) == "3,5"
    assert wording.range_text(3.5, 5.0) == "3,5–5"
    assert wording.parse_number("1.200,5") == 1200.5


def test_unknown_or_c_locale_falls_back_to_the_house_style(
        monkeypatch: pytest.MonkeyPatch) -> None:
    wording.set_locale(None)
    for name in ("LC_ALL", "LC_TIME", "LC_NUMERIC"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert wording.system_locale_name() == "en_GB"
    assert wording.day_text("2026-05-15") == "15 May 2026"
    wording.set_locale("xx_NOWHERE")
    assert wording.day_text("2026-05-15") == "15 May 2026"


def test_numbers_without_float_noise() -> None:
    assert wording.number_text(None) == ""
    assert wording.number_text(12.5) == "12.5"
    assert wording.number_text(40.0) == "40"
    assert wording.number_text(0.1 + 0.2) == "0.3"
    assert wording.number_text(0.04) == "0.04"
    assert wording.number_text(1200) == "1200"
    assert wording.number_text(125000) == "125,000"
    assert wording.number_text(-2.5) == "-2.5"
    assert wording.tick_text(1200) == "1,200"
    assert wording.tick_text(2.5) == "2.5"
    assert wording.tick_text(0.0412) == "0.0412"


def test_parse_number_reads_what_families_type() -> None:
    assert wording.parse_number("1,200") == 1200
    assert wording.parse_number(" 12.5 ") == 12.5
    assert wording.parse_number("") is None
    with pytest.raises(ValueError, match="could not convert"):
        wording.parse_number("twelve")


def test_units_and_ranges_as_labs_print_them() -> None:
    assert wording.unit_text("10^9/L") == "10⁹/L"
    assert wording.unit_text("10*3/uL") == "10³/uL"
    assert wording.value_text(12.5, "mg/L") == "12.5 mg/L"
    assert wording.value_text(None, "mg/L") == ""
    assert wording.range_text(3.5, 5.0) == "3.5–5"
    assert wording.range_text(None, 7, "mg/L") == "up to 7 mg/L"
    assert wording.range_text(2, None) == "from 2"
    assert wording.range_text(None, None) == ""
    assert wording.outside_range(8, 2, 7)
    assert not wording.outside_range(7, 2, 7)
    assert not wording.outside_range(None, 2, 7)


def test_ages_and_durations_in_words() -> None:
    on = date(2026, 5, 15)
    assert wording.age_text("2023-12-01", on) == "2 years 5 months"
    assert wording.age_text("2024-05-15", on) == "2 years"
    assert wording.age_text("2025-10-01", on) == "7 months"
    assert wording.age_text("2026-05-14", on) == "1 day"
    assert wording.age_text("2026-06-01", on) == ""
    assert wording.age_text(None, on) == ""
    assert wording.duration_text("2026-05-01", "2026-05-01") == "1 day"
    assert wording.duration_text("2026-05-01", "2026-05-21") == "3 weeks"
    assert wording.duration_text("2026-01-01", "2026-06-15") == "5 months"
    assert wording.duration_text("2026-05-02", "2026-05-01") == ""
    assert wording.count_text(1, "{count} entry", "{count} entries") == "1 entry"
    assert wording.count_text(1200, "{count} entry", "{count} entries") == "1,200 entries"


def test_pseudo_language_wraps_words_and_keeps_placeholders() -> None:
    assert i18n.pseudo("Save") == "[Ŝàṽé]"
    assert i18n.pseudo("{count} entries") == "[{count} éñţŕîéš]"
    assert i18n.pseudo('<a href="open">Open</a>') == '[<a href="open">Öþéñ</a>]'
    assert i18n.pseudo("&amp; %1 %s") == "[&amp; %1 %s]"
    i18n.use_language(i18n.PSEUDO)
    assert i18n.language() == "pseudo"
    assert wording.range_text(None, 7) == "[ûþ ţö 7]"
    assert wording.age_text("2024-05-15", date(2026, 5, 15)) == "[2 ýéàŕš]"
    assert i18n.N_("Save") == "Save"
    i18n.use_language("en")
    assert wording.range_text(None, 7) == "up to 7"


def test_a_language_without_a_catalog_falls_back_to_english() -> None:
    assert i18n.use_language("xx") == "en"
    assert i18n._("Save") == "Save"


def test_system_language_ignores_the_c_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NBCOMPANION_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert i18n.system_language() == "en"
    monkeypatch.setenv("LANGUAGE", "de_DE:en")
    assert i18n.system_language() == "de_DE"


def test_wording_imports_no_qt() -> None:
    code = ("import sys, nbcompanion.wording, nbcompanion.i18n\n"
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_the_empty_string_is_never_looked_up() -> None:
    assert i18n._("") == ""
    i18n.use_language(i18n.PSEUDO)
    assert i18n._("") == ""


def test_numbers_remembered_for_one_locale_are_not_shown_in_another() -> None:
    try:
        wording.set_locale("de_DE")
        assert wording.number_text(12345.5) == "12.345,5"
        assert wording.number_text(-0.0) == "0"
        wording.set_locale("en_GB")
        assert wording.number_text(12345.5) == "12,345.5"
        assert wording.number_text(0.125) == "0.125"
    finally:
        wording.set_locale(None)
