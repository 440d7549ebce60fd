"""What the packaged app leaves out, shared by the spec and its tests (no PyInstaller import)."""

from __future__ import annotations

import pickle
import re
import subprocess
import tomllib
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

#: Modules never needed at run time, even if something in the bundle mentions them.
#: QtNetwork comes only through PySide6's own __init__; the app makes no network requests.
EXCLUDED_MODULES = [
    "tkinter", "_tkinter", "pytest", "_pytest", "hypothesis", "pytestqt", "pypdf",
    "pip", "setuptools", "pkg_resources", "wheel", "IPython", "matplotlib", "numpy",
    "PySide6.QtNetwork", "readline",
    # Developer tools that share the build's virtual environment: pydantic's mypy plugin
    # would pull in mypy (and its parser, ast_serialize), import-linter pulls in rich and
    # pygments. The app imports none of them.
    "mypy", "mypyc", "ast_serialize", "pydantic.mypy", "rich", "pygments", "importlinter",
    "grimp", "ruff", "PyInstaller", "_pyinstaller_hooks_contrib",
    # FHIR versions the app does not read: it validates against R4 (fhir.resources.R4B)
    # and recognises STU3 and DSTU2 files by their shape, without their models.
    "fhir.resources.STU3", "fhir.resources.DSTU2",
    # rapidfuzz's compiled builds (11 MB with the AVX2 copies): its own pure-Python
    # implementation, which it falls back to by itself, finds the reference's "Did you
    # mean…" word among the summary's 1,100 words in about 8 ms (0.2 ms compiled).
    "rapidfuzz.fuzz_cpp", "rapidfuzz.fuzz_cpp_avx2", "rapidfuzz.fuzz_cpp_sse2",
    "rapidfuzz.process_cpp_impl", "rapidfuzz.utils_cpp", "rapidfuzz._feature_detector_cpp",
    "rapidfuzz.distance.metrics_cpp", "rapidfuzz.distance.metrics_cpp_avx2",
    "rapidfuzz.distance.metrics_cpp_sse2", "rapidfuzz.distance._initialize_cpp",
]

#: Distributions the spec does not collect whole: tools some dependency lists but the app
#: never imports (sqlite-utils names pip for its plugin installer).
NOT_BUNDLED_DISTRIBUTIONS = frozenset({"pip", "setuptools", "wheel"})

#: Collected by PyInstaller's own PySide6 hooks, module by module, as the app imports them.
QT_HANDLED_DISTRIBUTIONS = frozenset({"pyside6-essentials", "pyside6", "pyside6-addons",
                                      "shiboken6"})

# Qt plugins for screens and devices a desktop app does not run on (kiosk framebuffers,
# VNC, evdev input), network plugins (the app makes no network requests), the GTK theme
# (it would load the system's GTK beside bundled copies of its libraries) and image formats
# the app never reads.
_DROPPED_BINARIES = re.compile(
    r"PySide6/Qt/plugins/("
    r"platforms/libq(eglfs|linuxfb|minimal|minimalegl|vkkhrdisplay|vnc)\."
    r"|egldeviceintegrations/|generic/|networkinformation/|tls/"
    r"|platformthemes/libqgtk3\."
    # OpenGL glue for X11 and Wayland (the app's widgets draw without OpenGL; Wayland then
    # shares memory, X11 uses its own drawing) and Wayland shells other than xdg-shell.
    r"|xcbglintegrations/|wayland-graphics-integration-client/"
    r"|wayland-shell-integration/lib(?!xdg-shell)"
    r"|imageformats/libq(icns|tga|tiff|wbmp|webp|pdf)\."
    r")"
    r"|PySide6/Qt/lib/libQt6(EglFSDeviceIntegration|EglFsKmsSupport|Network)\."
    r"|PySide6/QtNetwork\."
    # Every Linux desktop has these, and the copies from the build machine would raise the
    # oldest glibc the bundle runs on (Debian 12's libstdc++ and libexpat need glibc 2.36;
    # without them the bundle needs 2.35, which Ubuntu 22.04 has).
    r"|^(libstdc\+\+\.so|libgcc_s\.so|libexpat\.so"
    # Base libraries of every Linux desktop, which the AppImage project's exclude list also
    # leaves to the system: the system's fontconfig and FreeType read the system's own font
    # settings (a bundled fontconfig may not understand them), and X11 matches the server.
    r"|libX11\.so|libX11-xcb\.so|libfontconfig\.so|libfreetype\.so|libz\.so|libuuid\.so"
    r"|libgpg-error\.so)"
)
_DROPPED_DATA = re.compile(r"(^|/)PySide6/Qt/translations/")


#: What Babel knows of each locale that the app never reads: the names of languages,
#: territories, scripts, currencies, units and time zones, and phrases like "in 3 days".
#: Dates, times, numbers and plural rules stay. These names are 93 % of Babel's 32 MB.
BABEL_UNUSED_KEYS = frozenset({
    "languages", "territories", "scripts", "variants", "currency_names",
    "currency_names_plural", "currency_symbols", "currency_unit_patterns",
    "compact_currency_formats", "compact_decimal_formats", "unit_patterns",
    "unit_display_names", "compound_unit_patterns", "time_zones", "meta_zones", "date_fields",
})
_BABEL_LOCALE_FILE = re.compile(r"(^|/)babel/locale-data/([^/]+\.dat)$")


def slim_locale_file(source: Path, target: Path) -> None:
    """Copy one of Babel's locale files without :data:`BABEL_UNUSED_KEYS`."""
    with source.open("rb") as handle:
        data = pickle.load(handle)  # Babel's own installed file
    kept = {key: value for key, value in data.items() if key not in BABEL_UNUSED_KEYS}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))


def slim_babel_data(datas: Iterable[tuple[str, str, str]], folder: Path
                    ) -> list[tuple[str, str, str]]:
    """PyInstaller's data entries, Babel's locale files replaced by slim copies in ``folder``
    (every locale stays, so every system locale still reads its dates and numbers)."""
    slimmed = []
    for destination, source, kind in datas:
        match = _BABEL_LOCALE_FILE.search(_normal(destination))
        if match:
            target = folder / match.group(2)
            slim_locale_file(Path(source), target)
            source = str(target)
        slimmed.append((destination, source, kind))
    return slimmed


def _normal(destination: str) -> str:
    return destination.replace("\\", "/")


def keep_binary(destination: str) -> bool:
    """False for a Qt plugin or library the app cannot use."""
    return not _DROPPED_BINARIES.search(_normal(destination))


def keep_data(destination: str) -> bool:
    """False for data files the app never reads (Qt's translations)."""
    return not _DROPPED_DATA.search(_normal(destination))


def is_root(destination: str) -> bool:
    """True for what the app loads itself: Python, extension modules and Qt plugins.

    The other binaries are shared libraries, kept only while something needs them.
    """
    name = _normal(destination)
    if name.startswith("PySide6/Qt/plugins/") or name.startswith("libpython"):
        return True
    return not (name.startswith("PySide6/Qt/lib/") or "/" not in name)


def reachable(destinations: Iterable[tuple[str, str]],
              needed: Callable[[str], list[str]]) -> set[str]:
    """The destinations of the roots and every library they need, directly or not.

    ``destinations`` pairs each destination with its source file; ``needed`` lists the
    library names (DT_NEEDED) one source file asks for.
    """
    by_name: dict[str, list[tuple[str, str]]] = {}
    for destination, source in destinations:
        by_name.setdefault(_normal(destination).rsplit("/", 1)[-1], []).append(
            (destination, source))
    todo = [(d, s) for d, s in destinations if is_root(d)]
    kept = {d for d, _ in todo}
    while todo:
        _, source = todo.pop()
        for library in needed(source):
            for destination, library_source in by_name.get(library, []):
                if destination not in kept:
                    kept.add(destination)
                    todo.append((destination, library_source))
    return kept


def elf_needed(path: str) -> list[str]:
    """The DT_NEEDED entries of an ELF file, read with binutils' readelf (Linux builds)."""
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True,
                         check=False).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def bundled_submodule(name: str) -> bool:
    """Whether the spec collects this submodule of a dependency.

    Leaves out test suites and, of ``fhir.resources``, every FHIR version's models but R4's
    (the package's own top level holds R5's, some 150 modules).
    """
    parts = name.split(".")
    if any(part in ("tests", "test", "testing", "testsuite", "conftest") for part in parts):
        return False
    if name in EXCLUDED_MODULES or any(name.startswith(m + ".") for m in EXCLUDED_MODULES):
        return False
    if parts[:2] == ["fhir", "resources"] and len(parts) > 2:
        return parts[2] == "R4B"
    return True


def normal_name(name: str) -> str:
    """A distribution name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions(pyproject: Path) -> list[str]:
    """The app's dependencies and theirs, for this system, without extras (tests, docs)."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(text) for text in project["dependencies"]]
    seen: dict[str, str] = {}
    while wanted:
        requirement = wanted.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        key = normal_name(requirement.name)
        if key in seen or key in NOT_BUNDLED_DISTRIBUTIONS:
            continue
        try:
            seen[key] = metadata.distribution(requirement.name).metadata["Name"]
        except metadata.PackageNotFoundError:
            raise SystemExit(f"{requirement.name} is not installed: "
                             "pip install the app first") from None
        wanted.extend(Requirement(text) for text in metadata.requires(requirement.name) or [])
    return sorted(seen.values())


def import_names(distribution: str) -> list[str]:
    """The top-level modules a distribution installs."""
    found = {name for name, dists in metadata.packages_distributions().items()
             if distribution in dists and not name.startswith("_")}
    return sorted(found)


def app_metadata(pyproject: Path, copy_metadata: Callable[[str], list]) -> list:
    """The installed app's metadata for the bundle, if it matches this checkout's pyproject.

    Stops the build when the installed copy names other dependencies (reinstall it first);
    returns nothing when the app is not pip-installed (the self-test then skips that check).
    """
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    try:
        installed = metadata.requires(project["name"]) or []
    except metadata.PackageNotFoundError:
        print(f"{project['name']} is not pip-installed: --self-test will not check libraries")
        return []

    def names(lines: Iterable[str]) -> set[str]:
        requirements = (Requirement(line) for line in lines)
        return {normal_name(r.name) for r in requirements
                if r.marker is None or "extra" not in str(r.marker)}

    if names(installed) != names(project["dependencies"]):
        raise SystemExit(f"The installed {project['name']} is older than this checkout: "
                         "pip install '.[package]' first")
    return copy_metadata(project["name"])
