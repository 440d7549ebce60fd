"""Qt's translation calls (``tr``, ``QCoreApplication.translate``) answered from our catalog.

The core translates with :func:`nbcompanion.i18n._`; the UI with Qt's own ``self.tr(...)``
or, outside a QObject, :func:`tr` below. :class:`CatalogTranslator` hands every Qt lookup to
the same gettext catalog, so one catalog per language serves both (and the pseudo-language
reaches every widget). Qt's own words (the "OK" and "Cancel" of standard buttons, the
context menu of a text field) come from the ``qtbase`` catalog Qt ships, loaded beside ours.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from nbcompanion import i18n

#: The context Qt files our module-level strings under (classes use their own names).
CONTEXT = "nbcompanion"

class CatalogTranslator(QTranslator):
    """A QTranslator that looks every message up in the gettext catalog of :mod:`i18n`."""

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        """``source_text`` in the current language (as it is when the catalog lacks it).

        A Python override cannot hand Qt a "not found", so this translator is consulted
        last: Qt's own catalog, installed after it, answers Qt's own words first.
        """
        return i18n._(source_text) if source_text else source_text

    def isEmpty(self) -> bool:
        """Never empty: it answers for every message the catalog holds."""
        return False


_installed: list[QTranslator] = []


def install(language: str | None = None) -> str:
    """Switch the whole app to ``language`` (None: the system's); returns the one in use.

    Call after the QApplication exists; widgets built afterwards show the new language.
    """
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install translations after creating the QApplication")
    chosen = i18n.use_language(language)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if chosen == "en":
        return chosen  # the source text is English: nothing to look up
    ours = CatalogTranslator(app)
    app.installTranslator(ours)
    _installed.append(ours)
    if chosen != i18n.PSEUDO:
        # Installed last, so asked first: it answers only Qt's own contexts.
        qt_catalog = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_catalog.load(QLocale(chosen), "qtbase", "_", folder):
            app.installTranslator(qt_catalog)
            _installed.append(qt_catalog)
    return chosen


def tr(text: str) -> str:
    """``text`` in the current language, for UI code outside a QObject (and for lupdate-style
    extraction, Babel's keyword ``tr``)."""
    return QCoreApplication.translate(CONTEXT, text) if text else text
