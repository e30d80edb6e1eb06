"""How a section's Markdown is represented in a QTextDocument: the one schema shared by the reader,
the writer, the chips and the editor.

Meaning lives in user properties, never in looks: a heading is drawn bold without being `**bold**`,
a caption is grey without being anything, so the writer reads only the properties listed here.

- characters: `**strong**` (PROP_STRONG), `*em*` (italic), `~~strike~~` (strike-out), `` `code` ``
  (PROP_CODE), links (anchor href + PROP_LINK_TITLE), source line breaks (U+2028 with PROP_SOFT_BREAK;
  without it a U+2028 is a hard break), chips (one U+FFFC with CHIP_OBJECT_TYPE and PROP_CHIP_*),
  inline images (QTextImageFormat, PROP_IMAGE_ALT/TITLE) and text kept verbatim (PROP_RAW_INLINE);
- blocks: PROP_BLOCK_ROLE (paragraph, heading by heading level, figure, case title, list
  continuation, raw Markdown), and for whole units PROP_ORIGINAL/PROP_CANONICAL (see the writer);
- frames: PROP_FRAME_KIND (a `:::` container, a quote or a footnote definition) and its details;
- lists: PROP_LIST_TIGHT and PROP_LIST_MARKER; tables: PROP_TABLE_ALIGNS.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextFrame,
    QTextFrameFormat,
    QTextList,
    QTextTable,
    QTextTableFormat,
)

from esg_author.core.render.markdown import CONTAINERS
from esg_author.gui.none_refcount import guard_none_refcount

guard_none_refcount()  # every module that edits documents imports this one

_USER = int(QTextFormat.Property.UserProperty)

# -- character properties
PROP_STRONG = _USER + 1
PROP_CODE = _USER + 2
PROP_SOFT_BREAK = _USER + 3
PROP_RAW_INLINE = _USER + 4
PROP_LINK_TITLE = _USER + 5
PROP_IMAGE_ALT = _USER + 6
PROP_IMAGE_TITLE = _USER + 7
PROP_CHIP_KIND = _USER + 8
PROP_CHIP_TARGET = _USER + 9
PROP_CHIP_YEAR = _USER + 10
# -- block, frame, list and table properties
PROP_BLOCK_ROLE = _USER + 20
PROP_ORIGINAL = _USER + 21
PROP_CANONICAL = _USER + 22
PROP_FRAME_KIND = _USER + 23
PROP_CONTAINER_INFO = _USER + 24
PROP_FOOTNOTE_LABEL = _USER + 25
PROP_LIST_TIGHT = _USER + 26
PROP_LIST_MARKER = _USER + 27
PROP_TABLE_ALIGNS = _USER + 28

CHIP_OBJECT_TYPE = int(QTextFormat.ObjectTypes.UserObject) + 1
OBJECT_CHAR = "\ufffc"
LINE_BREAK = "\u2028"

ROLE_PARAGRAPH = "paragraph"
ROLE_FIGURE = "figure"
ROLE_TITLE = "title"  # the title line of a `::: case` box
ROLE_CONTINUATION = "continuation"  # a further paragraph of a list item
ROLE_RAW = "raw"  # Markdown with no WYSIWYG form here, kept as typed

FRAME_QUOTE = "quote"
FRAME_FOOTNOTE = "footnote"
FRAME_KINDS = (*CONTAINERS, FRAME_QUOTE, FRAME_FOOTNOTE)

FOOTNOTE_CHIP = "footnote"
"""Chip kind of a footnote reference `[^label]` (the other chip kinds are the token kinds)."""
MALFORMED_CHIP = "malformed"
"""Chip kind of a `[[…]]` that is not a token; its target is the text as written."""

HEADING_LEVEL = 4
"""Section text uses `####` for run-in headings (docs/content-syntax.md)."""

MONOSPACE = ["DejaVu Sans Mono", "Menlo", "Consolas", "monospace"]
LINK_COLOUR = QColor("#1a5fb4")
MUTED_COLOUR = QColor("#5e6670")
_FRAME_STYLES = {  # background, border
    "case": ("#eef6f4", "#7fb3a8"),
    "note": ("#f3f3f1", "#c8c8c2"),
    "highlights": ("#fbf6e6", "#e0cf94"),
    "signature": ("#ffffff", "#ffffff"),
    FRAME_QUOTE: ("#f6f7f9", "#d5d9df"),
    FRAME_FOOTNOTE: ("#ffffff", "#d5d9df"),
}


# -- structure ----------------------------------------------------------------------------------
# These ask a question whose answer is never null first: PySide6 6.12 on Python 3.11 loses a
# reference to None at every null it returns (see none_refcount.py, which guards the process).

def list_of(block: QTextBlock) -> QTextList | None:
    """The list a block belongs to (None outside a list)."""
    return block.textList() if block.blockFormat().objectIndex() >= 0 else None


def frame_children(frame: QTextFrame) -> Iterator[QTextBlock | QTextFrame]:
    """The blocks and frames directly inside frame, in document order."""
    iterator = frame.begin()
    while not iterator.atEnd():
        block = iterator.currentBlock()
        yield block if block.isValid() else iterator.currentFrame()
        iterator += 1


def table_at(cursor: QTextCursor) -> QTextTable | None:
    """The table whose cell the cursor is in."""
    frame = cursor.currentFrame()
    return frame if isinstance(frame, QTextTable) else None


def block_role(block_format: QTextBlockFormat) -> str:
    return text_string(block_format, PROP_BLOCK_ROLE) or ROLE_PARAGRAPH


def text_string(fmt: QTextFormat, prop: int) -> str:
    return fmt.stringProperty(prop) if fmt.hasProperty(prop) else ""


def flag(fmt: QTextFormat, prop: int) -> bool:
    return fmt.hasProperty(prop) and fmt.boolProperty(prop)


def is_chip(fmt: QTextFormat) -> bool:
    return fmt.objectType() == CHIP_OBJECT_TYPE


def chip_format(kind: str, target: str, year: int | None, base: QTextCharFormat | None = None) -> QTextCharFormat:
    """The format of the one object character that stands for a token or a footnote reference."""
    fmt = QTextCharFormat(base) if base is not None else QTextCharFormat()
    fmt.setObjectType(CHIP_OBJECT_TYPE)
    if kind != FOOTNOTE_CHIP:  # a footnote mark sits on the baseline and draws itself raised
        fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignBaseline)
    fmt.setProperty(PROP_CHIP_KIND, kind)
    fmt.setProperty(PROP_CHIP_TARGET, target)
    fmt.setProperty(PROP_CHIP_YEAR, year or 0)
    return fmt


def chip_of(fmt: QTextFormat) -> tuple[str, str, int | None] | None:
    """(kind, target, year) of a chip format, None for any other format."""
    if not is_chip(fmt):
        return None
    year = fmt.intProperty(PROP_CHIP_YEAR) if fmt.hasProperty(PROP_CHIP_YEAR) else 0
    return text_string(fmt, PROP_CHIP_KIND), text_string(fmt, PROP_CHIP_TARGET), year or None


def text_after_chip(fmt: QTextCharFormat) -> QTextCharFormat:
    """The format for text typed next to a chip: its emphasis, not its object."""
    clean = QTextCharFormat(fmt)
    clean.setObjectType(int(QTextFormat.ObjectTypes.NoObject))
    for prop in (PROP_CHIP_KIND, PROP_CHIP_TARGET, PROP_CHIP_YEAR):
        clean.clearProperty(prop)
    return clean


# -- looks ---------------------------------------------------------------------------------------

def base_char_format(role: str, heading_level: int = 0, frame_kind: str = "") -> QTextCharFormat:
    """The look of plain text in a block of this role; marks are merged on top of it."""
    fmt = QTextCharFormat()
    if heading_level:
        fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, max(1, 5 - heading_level))
    elif role == ROLE_TITLE:
        fmt.setFontWeight(QFont.Weight.Bold)
    elif role == ROLE_FIGURE:
        fmt.setForeground(QBrush(MUTED_COLOUR))
        fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, -1)
    elif role == ROLE_RAW:
        fmt.setFontFamilies(MONOSPACE)
        fmt.setForeground(QBrush(MUTED_COLOUR))
    if frame_kind == FRAME_FOOTNOTE:
        fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, -1)
    return fmt


def block_format(role: str = ROLE_PARAGRAPH, heading_level: int = 0, frame_kind: str = "") -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(6)
    if role != ROLE_PARAGRAPH:
        fmt.setProperty(PROP_BLOCK_ROLE, role)
    if heading_level:
        fmt.setHeadingLevel(heading_level)
        fmt.setTopMargin(8)
    if role == ROLE_FIGURE:
        fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    elif role == ROLE_RAW:
        fmt.setBackground(QBrush(QColor("#f4f4f4")))
        fmt.setNonBreakableLines(True)
    elif role == ROLE_TITLE:
        fmt.setBottomMargin(4)
    if frame_kind == "signature":
        fmt.setAlignment(Qt.AlignmentFlag.AlignRight)
    return fmt


def frame_format(kind: str) -> QTextFrameFormat:
    fmt = QTextFrameFormat()
    fmt.setProperty(PROP_FRAME_KIND, kind)
    background, border = _FRAME_STYLES.get(kind, ("#ffffff", "#d5d9df"))
    fmt.setBackground(QBrush(QColor(background)))
    fmt.setBorderBrush(QBrush(QColor(border)))
    fmt.setBorder(0 if kind == "signature" else 1)
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    # Room above the box for its caption (drawn by the editor) and beside it for a footnote label.
    fmt.setPadding(8)
    fmt.setTopMargin(16)
    fmt.setBottomMargin(6)
    if kind == FRAME_FOOTNOTE:
        fmt.setLeftMargin(24)
        fmt.setBorder(0)
        fmt.setPadding(2)
        fmt.setTopMargin(4)
    return fmt


def table_format(columns: int) -> QTextTableFormat:
    fmt = QTextTableFormat()
    fmt.setBorderCollapse(True)
    fmt.setBorder(1)
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)  # not Qt's default 3-D outset
    fmt.setBorderBrush(QBrush(QColor("#b9c0c8")))
    fmt.setCellPadding(4)
    fmt.setCellSpacing(0)
    fmt.setHeaderRowCount(1)
    fmt.setTopMargin(6)
    fmt.setBottomMargin(8)
    fmt.setProperty(PROP_TABLE_ALIGNS, ",".join([""] * columns))
    return fmt


def alignment_flag(align: str) -> Qt.AlignmentFlag:
    return {"left": Qt.AlignmentFlag.AlignLeft, "right": Qt.AlignmentFlag.AlignRight,
            "center": Qt.AlignmentFlag.AlignHCenter}.get(align, Qt.AlignmentFlag.AlignLeft)


def apply_marks(fmt: QTextCharFormat, strong: bool = False, em: bool = False, strike: bool = False,
                code: bool = False, href: str = "", link_title: str = "") -> QTextCharFormat:
    """Add marks, each with its meaning and its look, to a character format."""
    if strong:
        fmt.setProperty(PROP_STRONG, True)
        fmt.setFontWeight(QFont.Weight.Bold)
    if em:
        fmt.setFontItalic(True)
    if strike:
        fmt.setFontStrikeOut(True)
    if code:
        fmt.setProperty(PROP_CODE, True)
        fmt.setFontFamilies(MONOSPACE)
        fmt.setBackground(QBrush(QColor("#f0f0f0")))
    if href:
        fmt.setAnchor(True)
        fmt.setAnchorHref(href)
        fmt.setForeground(QBrush(LINK_COLOUR))
        fmt.setFontUnderline(True)
        if link_title:
            fmt.setProperty(PROP_LINK_TITLE, link_title)
    return fmt


def marks_of(fmt: QTextCharFormat) -> dict[str, object]:
    """The marks a character carries, as keyword arguments for apply_marks."""
    return {"strong": flag(fmt, PROP_STRONG), "em": fmt.fontItalic(), "strike": fmt.fontStrikeOut(),
            "code": flag(fmt, PROP_CODE), "href": fmt.anchorHref() if fmt.isAnchor() else "",
            "link_title": text_string(fmt, PROP_LINK_TITLE)}


def restyled(fmt: QTextCharFormat, role: str, heading_level: int = 0, frame_kind: str = "") -> QTextCharFormat:
    """fmt's marks and object on the look of another block role (a paragraph made a heading …)."""
    new = apply_marks(base_char_format(role, heading_level, frame_kind), **marks_of(fmt))  # type: ignore[arg-type]
    chip = chip_of(fmt)
    if chip is not None:
        return chip_format(*chip, base=new)
    if fmt.isImageFormat():
        return fmt
    if flag(fmt, PROP_SOFT_BREAK):
        new.setProperty(PROP_SOFT_BREAK, True)
    if flag(fmt, PROP_RAW_INLINE):
        new.setProperty(PROP_RAW_INLINE, True)
    return new
