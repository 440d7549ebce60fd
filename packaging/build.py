"""Build the packaged app with one command: ``python packaging/build.py``.

Run it with a Python that has the app and PyInstaller installed
(``pip install '.[package]'``). It makes, in ``packaging/dist/``:

- on every system: ``nbcompanion/``, one folder with its own Python and Qt
  (on macOS also ``Neuroblastoma Companion.app``), from ``packaging/nbcompanion.spec``;
- on Linux: ``nbcompanion-VERSION-linux-ARCH.tar.gz`` (portable: unpack, double-click
  ``nbcompanion``) and ``nbcompanion_VERSION_ARCH.deb`` (menu entry, icon, AppStream data);
- on Windows and macOS: a ``.zip`` of the folder (or of the .app).

PyInstaller's work folder is kept between builds (``--work``, by default in the user's cache
folder, so a fresh checkout on the same machine reuses it).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
APP_ID = "org.nbcompanion.NeuroblastomaCompanion"
MAINTAINER = "Neuroblastoma Companion developers <nbcompanion@example.invalid>"

#: What the bundle takes from the system rather than carrying (see bundle_rules.py): the C
#: library, OpenGL/EGL, the X connection and the two xcb helpers Qt's wheel does not ship,
#: C++ runtime, fonts and their configuration.
DEB_DEPENDS = [
    "libc6 (>= 2.35)", "libstdc++6", "libgcc-s1", "libexpat1", "libegl1", "libgl1",
    "libxcb1", "libxcb-icccm4", "libxcb-keysyms1", "fontconfig-config",
    # Left to the system (bundle_rules: the AppImage exclude list's base libraries).
    "libx11-6", "libx11-xcb1", "libfontconfig1", "libfreetype6", "zlib1g", "libuuid1",
    "libgpg-error0",
    "fonts-dejavu-core | fonts-liberation2 | fonts-noto-core",
]
#: For a Wayland session; without them Qt uses X11 (XWayland) instead.
DEB_RECOMMENDS = ["libwayland-client0", "libwayland-cursor0", "libwayland-egl1"]


def version() -> str:
    """The app's version, from pyproject.toml."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"]


def default_work_dir() -> Path:
    """PyInstaller's work folder, in the user's cache so fresh checkouts reuse it."""
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "nbcompanion-packaging" / "work"


def folder_size(path: Path) -> int:
    """Bytes in the files under ``path`` (symlinks not followed)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def make_icon(target: Path, image_format: str) -> Path:
    """Draw the app's SVG icon into ``target`` (.ico for Windows, .icns for macOS) with Qt."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["nbcompanion-build"])
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(ROOT / "resources" / "icons" / "nbcompanion.svg")).render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target), image_format):
        raise SystemExit(f"Qt could not write the {image_format} icon {target}")
    return target


def build_bundle(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; returns the one-folder bundle."""
    work.mkdir(parents=True, exist_ok=True)
    # The spec looks for these beside it (Linux menus use the SVG itself).
    if sys.platform == "win32":
        make_icon(HERE / "build" / "nbcompanion.ico", "ICO")
    elif sys.platform == "darwin":
        make_icon(HERE / "build" / "nbcompanion.icns", "ICNS")
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--workpath", str(work), "--distpath", str(dist),
                    str(HERE / "nbcompanion.spec")], check=True, cwd=ROOT)
    bundle = dist / "nbcompanion"
    # PyInstaller links every bundled Qt library into the top folder, including the ones
    # the spec dropped afterwards: remove those dangling links.
    for link in bundle.rglob("*"):
        if link.is_symlink() and not link.exists():
            link.unlink()
    return bundle


def make_tarball(bundle: Path, dist: Path, ver: str, arch: str) -> Path:
    """The portable archive: one folder to unpack anywhere in the home folder."""
    name = f"nbcompanion-{ver}-linux-{arch}"
    target = dist / f"{name}.tar.gz"
    readme = (
        "Neuroblastoma Companion — portable version\n\n"
        "Unpack this folder anywhere in your home folder and open the program\n"
        "'nbcompanion' inside it (double-click it, or type ./nbcompanion).\n"
        "Your child's record is kept in ~/.local/share/nbcompanion/, not in this folder,\n"
        "so you can delete or replace this folder without losing it.\n\n"
        "To check that everything works: ./nbcompanion --self-test\n")
    notes = dist / "README.txt"
    notes.write_text(readme, encoding="utf-8")
    try:
        with tarfile.open(target, "w:gz", compresslevel=6) as archive:
            archive.add(bundle, arcname=name)
            archive.add(notes, arcname=f"{name}/README.txt")
            archive.add(ROOT / "resources" / "icons" / "nbcompanion.svg",
                        arcname=f"{name}/nbcompanion.svg")
    finally:
        notes.unlink()
    return target


def make_deb(bundle: Path, dist: Path, work: Path, ver: str) -> Path:
    """A .deb with the bundle in /opt, a command, a menu entry, the icon and AppStream data.

    It has no maintainer scripts: dpkg's triggers refresh the menu and icon caches, and
    removing the package touches nothing in the family's home folder.
    """
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    stage = work.parent / "deb" / f"nbcompanion_{ver}_{arch}"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(bundle, stage / "opt" / "nbcompanion", symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / "nbcompanion").symlink_to("../../opt/nbcompanion/nbcompanion")
    share = stage / "usr" / "share"
    _copy(HERE / "linux" / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    _copy(ROOT / "resources" / "icons" / "nbcompanion.svg",
          share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg")
    metainfo = (HERE / "linux" / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    metainfo = metainfo.replace("@VERSION@", ver).replace(
        "@DATE@", datetime.date.today().isoformat())
    (share / "metainfo").mkdir(parents=True)
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(metainfo, encoding="utf-8")
    docs = share / "doc" / "nbcompanion"
    docs.mkdir(parents=True)
    (docs / "copyright").write_text(
        "Neuroblastoma Caregiver Companion — MIT License.\n"
        "The reference text is the NCI PDQ summary 'Neuroblastoma Treatment (PDQ®)–Patient\n"
        "Version', shown whole as NCI's 'Permission to Use This Summary' allows.\n"
        "The bundled Python, Qt (LGPLv3, via PySide6) and libraries keep their own licenses;\n"
        "their license files are in /opt/nbcompanion/_internal.\n", encoding="utf-8")
    size_kib = folder_size(stage) // 1024
    control = stage / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: nbcompanion\nVersion: {ver}\nSection: misc\nPriority: optional\n"
        f"Architecture: {arch}\nMaintainer: {MAINTAINER}\nInstalled-Size: {size_kib}\n"
        f"Depends: {', '.join(DEB_DEPENDS)}\nRecommends: {', '.join(DEB_RECOMMENDS)}\n"
        "Description: Neuroblastoma Companion: reference summary and private care record\n"
        " For families of a child with neuroblastoma: the NCI PDQ summary\n"
        " 'Neuroblastoma Treatment' to read and search, and the child's care record\n"
        " (tests, treatment, visits, diary, medicines, questions) kept only on this\n"
        " computer, with PDF visit summaries for the clinic. It makes no network\n"
        " connections. Removing the package leaves the record in\n"
        " ~/.local/share/nbcompanion/.\n", encoding="utf-8")
    target = dist / f"nbcompanion_{ver}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z6", "--build", str(stage),
                    str(target)], check=True, stdout=subprocess.DEVNULL)
    return target


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def make_zip(dist: Path, ver: str) -> Path:
    """Windows and macOS: a .zip of the folder (of the .app on macOS)."""
    system = "macos" if sys.platform == "darwin" else "windows"
    app = dist / "Neuroblastoma Companion.app"
    source = app if app.exists() else dist / "nbcompanion"
    base = dist / f"nbcompanion-{ver}-{system}-{platform.machine().lower()}"
    return Path(shutil.make_archive(str(base), "zip", source.parent, source.name))


def main(argv: list[str] | None = None) -> int:
    """Build everything this system can build; prints what was made and how big."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=HERE / "dist",
                        help="where the bundle and packages go (default: packaging/dist)")
    parser.add_argument("--work", type=Path, default=default_work_dir(),
                        help="PyInstaller's work folder, kept between builds")
    parser.add_argument("--no-deb", action="store_true", help="skip the .deb (Linux)")
    args = parser.parse_args(argv)
    ver = version()
    started = time.perf_counter()
    bundle = build_bundle(args.dist, args.work)
    made = [bundle]
    if sys.platform.startswith("linux"):
        made.append(make_tarball(bundle, args.dist, ver, platform.machine()))
        if not args.no_deb and shutil.which("dpkg-deb"):
            made.append(make_deb(bundle, args.dist, args.work, ver))
    else:
        made.append(make_zip(args.dist, ver))
    for path in made:
        size = folder_size(path) if path.is_dir() else path.stat().st_size
        print(f"{size / 1e6:7.1f} MB  {path}")
    print(f"Built in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
