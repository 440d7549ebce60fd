"""The packaging rules (packaging/bundle_rules.py) and the Linux desktop files.

The build itself (PyInstaller, the .deb, --self-test from the bundle) runs in
``packaging/ci_check.sh``, which .ci/run calls after this suite.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest

from nbcompanion import app

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
sys.path.insert(0, str(PACKAGING))
import bundle_rules  # noqa: E402  (packaging/ is not a package: the spec imports it likewise)

DESKTOP = PACKAGING / "linux" / f"{app.DESKTOP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{app.DESKTOP_ID}.metainfo.xml"


@pytest.mark.parametrize("destination", [
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/plugins/wayland-decoration-client/libadwaita.so",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6\\Qt\\plugins\\platforms\\qwindows.dll",
    "libxcb-cursor.so.0",  # not on every desktop: Qt 6.5+ needs it for X11
])
def test_what_the_app_needs_stays(destination: str) -> None:
    assert bundle_rules.keep_binary(destination)


@pytest.mark.parametrize("destination", [
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so",
    "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libivi-shell.so",
    "PySide6/Qt/plugins/wayland-graphics-integration-client/libqt-plugin-wayland-egl.so",
    "PySide6/Qt/lib/libQt6Network.so.6",
    "PySide6/QtNetwork.abi3.so",
    "libstdc++.so.6",
    "libfontconfig.so.1",
    "libX11.so.6",
])
def test_what_it_cannot_use_goes(destination: str) -> None:
    assert not bundle_rules.keep_binary(destination)


def test_qt_translations_are_left_out() -> None:
    assert not bundle_rules.keep_data("PySide6/Qt/translations/qtbase_de.qm")
    assert bundle_rules.keep_data("nbcompanion/resources/neuroblastoma-treatment-pdq.md")


def test_libraries_stay_only_while_something_needs_them() -> None:
    graph = {
        "src/qxcb": ["libQt6XcbQpa.so.6"], "src/xcbqpa": ["libxcb-cursor.so.0"],
        "src/cursor": [], "src/cairo": ["libpixman.so"], "src/pixman": [],
        "src/ext": ["libz.so.1"], "src/z": [],
    }
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "src/qxcb"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "src/xcbqpa"),
        ("libxcb-cursor.so.0", "src/cursor"),
        ("libcairo.so.2", "src/cairo"),  # was needed only by the dropped GTK theme
        ("libpixman.so", "src/pixman"),
        ("python3.11/lib-dynload/zlib.so", "src/ext"),
        ("libz.so.1", "src/z"),
    ]
    kept = bundle_rules.reachable(binaries, lambda source: graph[source])
    assert kept == {"PySide6/Qt/plugins/platforms/libqxcb.so",
                    "PySide6/Qt/lib/libQt6XcbQpa.so.6", "libxcb-cursor.so.0",
                    "python3.11/lib-dynload/zlib.so", "libz.so.1"}


def test_dependencies_come_from_the_package_metadata() -> None:
    found = {bundle_rules.normal_name(name)
             for name in bundle_rules.runtime_distributions(ROOT / "pyproject.toml")}
    # Every direct dependency, and theirs (markdown-it-py needs mdurl) …
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert {"sqlite-utils", "platformdirs", "markdown-it-py", "mdurl", "shiboken6"} <= found
    assert len(found) >= len(project["dependencies"]) - 1  # two lines name PySide6-Essentials
    # … but not the test tools, nor the pip that sqlite-utils lists for its plugin command.
    assert not {"pytest", "pytest-qt", "hypothesis", "pypdf", "pip"} & found
    assert "yaml" in bundle_rules.import_names("PyYAML")


@pytest.mark.parametrize(("module", "bundled"), [
    ("fhir.resources.R4B.observation", True),
    ("fhir.resources", True),
    ("fhir.resources.observation", False),  # R5, at the package's top level
    ("fhir.resources.STU3.observation", False),
    ("pydantic.mypy", False),
    ("pydantic.main", True),
    ("rapidfuzz.fuzz_py", True),
    ("rapidfuzz.fuzz_cpp_avx2", False),
    ("rapidfuzz.distance.metrics_cpp", False),
    ("pint.testsuite.test_unit", False),
    ("nbcompanion.fhir.validate", True),
])
def test_only_what_the_app_can_import_is_collected(module: str, bundled: bool) -> None:
    assert bundle_rules.bundled_submodule(module) is bundled


def test_the_menu_entry_starts_the_installed_command() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "gui-scripts"]
    assert section["Exec"] in scripts  # the same command name as the pip-installed app
    assert section["Icon"] == app.DESKTOP_ID
    assert section["Terminal"] == "false"


def test_the_appstream_data_names_the_menu_entry() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == app.DESKTOP_ID
    assert component.find("launchable").text == DESKTOP.name  # type: ignore[union-attr]
    assert "never recommends treatment" in ET.tostring(component, encoding="unicode")


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils is not installed (packaging/ci_check.sh has it)")
def test_the_menu_entry_is_valid() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


def test_ci_runs_the_readme_test_command_then_the_packaging_checks() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if "-m pytest -q" in line)
    venv_part = command[command.index("python3 -m venv .venv"):]
    assert venv_part in ci
    assert ci.index(venv_part) < ci.index("bash packaging/ci_check.sh")


def test_the_app_metadata_goes_in_only_when_it_matches_this_checkout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    pyproject = ROOT / "pyproject.toml"
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    copied: list[str] = []

    def copy(name: str) -> list[tuple[str, str]]:
        copied.append(name)
        return [("site-packages/nbcompanion.dist-info", "nbcompanion.dist-info")]

    monkeypatch.setattr(metadata, "requires",
                        lambda name: [*project["dependencies"], 'pytest>=8; extra == "test"'])
    assert bundle_rules.app_metadata(pyproject, copy) == [
        ("site-packages/nbcompanion.dist-info", "nbcompanion.dist-info")]
    assert copied == ["nbcompanion"]

    monkeypatch.setattr(metadata, "requires", lambda name: ["sqlite-utils>=3.36"])
    with pytest.raises(SystemExit, match="older than this checkout"):
        bundle_rules.app_metadata(pyproject, copy)

    def not_installed(name: str) -> list[str]:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "requires", not_installed)
    assert bundle_rules.app_metadata(pyproject, copy) == []


def test_slim_babel_data_words_dates_and_numbers_as_the_full_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import babel
    from babel import localedata

    from nbcompanion import wording

    full = Path(babel.__file__).parent / "locale-data"
    datas = [(f"babel/locale-data/{f.name}", str(f), "DATA") for f in full.glob("*.dat")]
    slimmed = bundle_rules.slim_babel_data(datas, tmp_path)
    assert {Path(source).parent for _, source, _ in slimmed} == {tmp_path}
    assert sum(f.stat().st_size for f in tmp_path.iterdir()) < 0.15 * sum(
        f.stat().st_size for f in full.glob("*.dat"))

    moment = datetime(2026, 5, 3, 14, 30)

    def words(locale: str) -> list[str]:
        wording.set_locale(locale)
        wording._number_text.cache_clear()  # remembered per locale, not per data folder
        return [wording.day_text(moment.date(), weekday=True), wording.time_text(moment),
                wording.timestamp_text(moment), wording.month_text(moment.date(), with_year=True),
                wording.month_name(5, short=False), wording.weekday_name(moment.date()),
                wording.number_text(12345.678), wording.number_text(-0.04),
                wording.tick_text(1200), wording.range_text(3.5, 5),
                wording.count_text(3, "{count} entry", "{count} entries")]

    def forget_loaded_data() -> None:
        for function in (localedata.load, localedata.exists):
            getattr(function, "cache_clear", lambda: None)()  # cached in newer Babel
        wording._number_text.cache_clear()

    locales = ["en_GB", "en_US", "de_DE", "fr_CA", "ar_EG", "ja_JP", "hi_IN", "sr_Latn_RS",
               "pt_BR", "uk_UA", "zh_Hant_TW", "es_419"]
    try:
        expected = {locale: words(locale) for locale in locales}
        monkeypatch.setattr(localedata, "_dirname", str(tmp_path))
        monkeypatch.setattr(localedata, "_cache", {})
        monkeypatch.setattr(localedata, "_dict_cache", {}, raising=False)  # newer Babel
        forget_loaded_data()
        with pytest.raises(KeyError):  # the slim files are the ones read now
            babel.Locale.parse("de_DE").languages  # noqa: B018
        assert {locale: words(locale) for locale in locales} == expected
    finally:
        forget_loaded_data()  # what was read from the slim copies goes with them
        wording.set_locale(None)
