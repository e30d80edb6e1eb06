"""What the section editor draws besides the text: the caption of each box (Case study, Note …),
the label of each footnote definition, and the stand-in for an image the project does not have."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QTextDocument, QTextFrame

from esg_author.core.i18n.catalogs import N_
from esg_author.core.i18n.ui import _
from esg_author.gui.document_formats import (
    FRAME_FOOTNOTE,
    FRAME_QUOTE,
    MUTED_COLOUR,
    PROP_FOOTNOTE_LABEL,
    PROP_FRAME_KIND,
    frame_children,
    text_string,
)

FRAME_CAPTIONS = {
    "case": N_("Case study"),
    "highlights": N_("Highlights"),
    "signature": N_("Signature"),
    "note": N_("Note"),
    FRAME_QUOTE: N_("Quotation"),
}


def paint_frame_captions(painter: QPainter, document: QTextDocument) -> None:
    """Draw in document coordinates (the caller translates by the scroll position)."""
    font = QFont(document.defaultFont())
    font.setPointSizeF(font.pointSizeF() * 0.8)
    painter.setFont(font)
    painter.setPen(MUTED_COLOUR)
    layout = document.documentLayout()
    stack = [document.rootFrame()]
    while stack:
        for child in frame_children(stack.pop()):
            if not isinstance(child, QTextFrame):
                continue
            stack.append(child)
            fmt = child.frameFormat()
            kind = text_string(fmt, PROP_FRAME_KIND)
            rect = layout.frameBoundingRect(child)
            if kind == FRAME_FOOTNOTE:
                label = text_string(fmt, PROP_FOOTNOTE_LABEL)
                # In the frame's left margin, right against its text.
                box = QRectF(rect.left(), rect.top() + fmt.topMargin() + fmt.padding(), fmt.leftMargin() - 4, 20)
                painter.drawText(box, Qt.AlignmentFlag.AlignRight, label)
            elif kind in FRAME_CAPTIONS:
                painter.drawText(QPointF(rect.left() + fmt.leftMargin() + 2, rect.top() + fmt.topMargin() - 4),
                                 _(FRAME_CAPTIONS[kind]))


def missing_image(text: str) -> QImage:
    image = QImage(360, 120, QImage.Format.Format_ARGB32)
    image.fill(QColor("#f4f4f4"))
    painter = QPainter(image)
    painter.setPen(QColor("#d64545"))
    painter.drawRect(0, 0, 359, 119)
    painter.drawText(QRectF(8, 8, 344, 104), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
    painter.end()
    return image
