"""The one translation function for user-visible text, and the language it translates into.

The Qt-free core marks its sentences with ``_()`` (translate now) or ``N_()`` (a constant,
translated where it is shown); the UI uses Qt's ``tr``/``QCoreApplication.translate``,
which :mod:`nbcompanion.ui.translate` routes to the same catalog. So there is one catalog
per language: ``nbcompanion/locale/<lang>/LC_MESSAGES/nbcompanion.mo``, made with Babel's
standard tools (``scripts/catalogs.sh``: extract → update → compile).

``use_language("pseudo")`` switches on a pseudo-language that wraps and accents every
string ("Save" → "[Ŝàvé]"), so a test can see any visible English left untranslated.

The reference text (the PDQ summary) is the publisher's and never passes through here.
"""

from __future__ import annotations

import gettext
import os
import re
from pathlib import Path

DOMAIN = "nbcompanion"
LOCALE_DIR = Path(__file__).parent / "locale"
PSEUDO = "pseudo"

_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķĺɱñöþʠŕšţûṽŵẋýžÀßÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŜŢÛṼŴẊÝŽ",
)
#: What a pseudo-translation must leave alone: placeholders ({name}, {0:g}, %s, %1), HTML
#: tags and entities, and the words inside them, so the translated text still works.
_KEEP = re.compile(r"\{[^{}]*\}|%\d|%[sdif]|<[^<>]*>|&[a-zA-Z]+;|&#\d+;")

PSEUDO_OPEN, PSEUDO_CLOSE = "[", "]"


def pseudo(text: str) -> str:
    """``text`` in the pseudo-language: accented and wrapped in brackets ("[Ŝàvé]")."""
    if not text:
        return text
    parts: list[str] = []
    last = 0
    for match in _KEEP.finditer(text):
        parts.append(text[last:match.start()].translate(_ACCENTS))
        parts.append(match.group(0))
        last = match.end()
    parts.append(text[last:].translate(_ACCENTS))
    return PSEUDO_OPEN + "".join(parts) + PSEUDO_CLOSE


class PseudoTranslations(gettext.NullTranslations):
    """Every message pseudo-translated (see :func:`pseudo`)."""

    def gettext(self, message: str) -> str:
        """The pseudo-translation of ``message``."""
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """The pseudo-translation of the singular or plural form."""
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        """The pseudo-translation of ``message`` (the context does not change it)."""
        return pseudo(message)


_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _(message: str) -> str:
    """``message`` in the current language ("" stays "": gettext would give the header)."""
    return _translations.gettext(message) if message else message


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet (constants, tables)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural sentence for ``count``, in the current language."""
    return _translations.ngettext(singular, plural, count)


def language() -> str:
    """The code of the language text is shown in ("en", "de", "pseudo", …)."""
    return _language


def available_languages() -> list[str]:
    """Languages with a compiled catalog, besides English (which needs none)."""
    if not LOCALE_DIR.is_dir():
        return []
    return sorted(path.parent.parent.name
                  for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))


def system_language() -> str:
    """The language asked for: NBCOMPANION_LANGUAGE (e.g. "pseudo", for translators and
    tests), else the system's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); "en" when none is."""
    for name in ("NBCOMPANION_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").split(":")[0]
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value.split(".")[0]
    return "en"


def use_language(code: str | None = None) -> str:
    """Show text in ``code`` (None: the system's language); returns the language in use.

    A language without a catalog falls back to English, sentence by sentence.
    """
    global _translations, _language
    code = code or system_language()
    if code == PSEUDO:
        _translations, _language = PseudoTranslations(), PSEUDO
        return _language
    found = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    _translations = found
    _language = code if type(found) is not gettext.NullTranslations else "en"
    return _language
