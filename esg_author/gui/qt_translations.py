"""Qt's own texts (the buttons of file dialogs and message boxes) in the interface language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

QT_TRANSLATION_LOCALES = {"zh-Hant": "zh_TW", "zh-Hans": "zh_CN"}
"""Qt ships no zh_HK catalog: Traditional Chinese uses Taiwan's, the nearest to Hong Kong's."""


class QtTranslations(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._translator: QTranslator | None = None

    def install(self, lang: str) -> None:
        """Replace the Qt catalog installed for the last language by this language's (none for English)."""
        app = QCoreApplication.instance()
        if app is None:
            return
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        qt_locale = QT_TRANSLATION_LOCALES.get(lang)
        if qt_locale is None:
            return
        translator = QTranslator(self)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(QLocale(qt_locale), "qtbase", "_", folder):
            app.installTranslator(translator)
            self._translator = translator
