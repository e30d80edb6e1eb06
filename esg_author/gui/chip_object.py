"""Chips: a `[[kpi:…]]`, `[[ref:…]]`, `[[table:…]]`/`[[index:…]]` token or a footnote reference
drawn as one rounded label.

A chip is one object-replacement character (document_formats.chip_format), so the cursor steps
over it in one move, Backspace deletes all of it, undo restores all of it and nothing can be
typed inside it. What it shows comes from a labeler the window supplies (the KPI value formatted
in the section's language, the section number and title); without one it shows the token.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPointF, QRectF, QSizeF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPen,
    QPyTextObject,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QApplication

from esg_author.core.i18n.catalogs import N_
from esg_author.core.i18n.ui import _
from esg_author.core.model.tokens import BLOCK_KINDS
from esg_author.gui.document_formats import FOOTNOTE_CHIP, MALFORMED_CHIP, chip_of

ChipLabeler = Callable[[str, str, "int | None", str], "tuple[str, str] | None"]
"""(kind, target, year, lang) → (label, tooltip), or None when the project has no such target."""

_PADDING = 5.0
_COLOURS = {  # background, border, text
    "kpi": ("#e3f0fb", "#8bb8e0", "#0b4a7a"),
    "ref": ("#e6f4ea", "#8dc39a", "#1e5e2c"),
    "table": ("#efeaf8", "#b3a2d6", "#4a3780"),
    "index": ("#efeaf8", "#b3a2d6", "#4a3780"),
    "unknown": ("#fde8e8", "#d64545", "#a11212"),
}
UNKNOWN_TOOLTIP = N_("{token}: the project has no such target")
MALFORMED_TOOLTIP = N_("{token} is not a token")
FOOTNOTE_TOOLTIP = N_("Footnote {label}")
BLOCK_CAPTIONS = {"table": N_("KPI table"), "index": N_("Content index")}


def default_chip_label(kind: str, target: str, year: int | None, _lang: str) -> tuple[str, str]:
    """Shows the token itself: `kpi:emp.total@2024`."""
    text = f"{kind}:{target}@{year}" if year else f"{kind}:{target}"
    return text, f"[[{text}]]"


class ChipObject(QPyTextObject):
    """Draws the chips of one editor's document; register it on the document's layout.
    (QPyTextObject is PySide6's QObject + QTextObjectInterface: a Python class deriving from
    both is not recognised by the layout, which asks for the interface through qobject_cast.)"""

    def __init__(self, labeler: ChipLabeler | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.labeler: ChipLabeler = labeler or default_chip_label
        self.lang = "en"
        self.selection = (0, 0)  # document positions [start, end) drawn as selected
        self._cache: dict[tuple[str, str, int | None], tuple[str, str, bool]] = {}

    def clear_cache(self) -> None:
        """Forget every label (the KPIs or sections they show have changed)."""
        self._cache.clear()

    def label(self, kind: str, target: str, year: int | None) -> tuple[str, str, bool]:
        """(text, tooltip, known) of a chip."""
        key = (kind, target, year)
        if key not in self._cache:
            self._cache[key] = self._resolve(kind, target, year)
        return self._cache[key]

    def _resolve(self, kind: str, target: str, year: int | None) -> tuple[str, str, bool]:
        if kind == FOOTNOTE_CHIP:
            return target, _(FOOTNOTE_TOOLTIP).format(label=target), True
        if kind == MALFORMED_CHIP:
            return target, _(MALFORMED_TOOLTIP).format(token=target), False
        token = f"[[{kind}:{target}@{year}]]" if year else f"[[{kind}:{target}]]"
        resolved = self.labeler(kind, target, year, self.lang)
        if resolved is None:
            return token, _(UNKNOWN_TOOLTIP).format(token=token), False
        return resolved[0], resolved[1], True

    # -- QTextObjectInterface ------------------------------------------------------------

    def intrinsicSize(self, doc: QTextDocument, _pos: int, fmt: QTextFormat) -> QSizeF:
        chip = chip_of(fmt)
        if chip is None:
            return QSizeF(0, 0)
        font = self._font(doc, fmt, chip[0])
        metrics = QFontMetricsF(font)
        text = self.label(*chip)[0]
        if chip[0] == FOOTNOTE_CHIP:  # raised: as tall as the line's ascent, drawn at its top
            return QSizeF(metrics.horizontalAdvance(text) + 4, QFontMetricsF(doc.defaultFont()).ascent())
        if chip[0] in BLOCK_KINDS:  # a card standing for the whole table or index
            width = max(metrics.horizontalAdvance(text), metrics.horizontalAdvance(_(BLOCK_CAPTIONS[chip[0]])))
            return QSizeF(max(width + 4 * _PADDING, min(doc.textWidth() * 0.6, 480.0)), 2 * metrics.height() + 12)
        return QSizeF(metrics.horizontalAdvance(text) + 2 * _PADDING + 2, metrics.height())

    def drawObject(self, painter: QPainter, rect: QRectF, doc: QTextDocument, pos: int,
                   fmt: QTextFormat) -> None:
        chip = chip_of(fmt)
        if chip is None:
            return
        kind = chip[0]
        text, _tooltip, known = self.label(*chip)
        font = self._font(doc, fmt, kind)
        metrics = QFontMetricsF(font)
        selected = self.selection[0] <= pos < self.selection[1]
        palette = QApplication.palette()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        box = rect.adjusted(1, 0.5, -1, -0.5)
        if kind == FOOTNOTE_CHIP:
            if selected:
                painter.fillRect(box, palette.color(QPalette.ColorRole.Highlight))
            colour = palette.color(QPalette.ColorRole.HighlightedText) if selected else QColor("#1a5fb4")
            painter.setPen(colour)
            painter.drawText(QPointF(box.left() + 1, box.top() + metrics.ascent()), text)
            painter.restore()
            return
        background, border, ink = _COLOURS.get(kind, _COLOURS["kpi"]) if known else _COLOURS["unknown"]
        if selected:
            background = palette.color(QPalette.ColorRole.Highlight).name()
            ink = palette.color(QPalette.ColorRole.HighlightedText).name()
        painter.setPen(QPen(QColor(border), 1))
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(box, 4, 4)
        if kind in BLOCK_KINDS:
            painter.setPen(QColor(ink if selected else "#6b6480"))
            painter.drawText(QPointF(box.left() + 2 * _PADDING, box.top() + 4 + metrics.ascent()),
                             _(BLOCK_CAPTIONS[kind]))
            painter.setPen(QColor(ink))
            painter.drawText(QPointF(box.left() + 2 * _PADDING, box.top() + 6 + metrics.height() + metrics.ascent()),
                             text)
            painter.restore()
            return
        painter.setPen(QColor(ink))
        baseline = box.top() + (box.height() - metrics.height()) / 2 + metrics.ascent()
        painter.drawText(QPointF(box.left() + _PADDING - 1, baseline), text)
        painter.restore()

    @staticmethod
    def _font(doc: QTextDocument, fmt: QTextFormat, kind: str) -> QFont:
        font = QFont(doc.defaultFont())
        char_format = fmt.toCharFormat()
        if char_format.fontWeight() >= QFont.Weight.Bold:
            font.setBold(True)
        adjustment = char_format.intProperty(QTextFormat.Property.FontSizeAdjustment) \
            if char_format.hasProperty(QTextFormat.Property.FontSizeAdjustment) else 0
        size = font.pointSizeF() * (1.2 ** adjustment)
        if kind == FOOTNOTE_CHIP:
            size *= 0.75
        elif kind not in BLOCK_KINDS:
            size *= 0.92  # a chip's label sits inside the line's height
        font.setPointSizeF(max(6.0, size))
        font.setItalic(False)
        font.setUnderline(False)
        font.setStrikeOut(char_format.fontStrikeOut())
        return font

