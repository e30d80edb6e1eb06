"""The WYSIWYG editor of one section's text in one language.

It shows the section's Markdown as formatted text (markdown_reader), gives it back as Markdown
(markdown_writer) and keeps tokens as chips (chip_object). Keystrokes are undone by the widget's
own QTextDocument undo; the window commits the text to the project (one undo step per pause)
from `markdown_changed`, and calls `set_markdown` when the project's text changes under it (an
undo in the project, a translation import), which also starts a new local undo history.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import unquote

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, Signal, Slot
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from esg_author.core.i18n.catalogs import N_
from esg_author.core.i18n.ui import _
from esg_author.core.model.names import check_asset_name
from esg_author.core.model.tokens import BLOCK_KINDS, CONTAINER_KINDS, token_text
from esg_author.gui import text_editing as edits
from esg_author.gui.chip_object import ChipLabeler, ChipObject
from esg_author.gui.document_formats import (
    CHIP_OBJECT_TYPE,
    FOOTNOTE_CHIP,
    HEADING_LEVEL,
    LINE_BREAK,
    MONOSPACE,
    OBJECT_CHAR,
    ROLE_FIGURE,
    ROLE_PARAGRAPH,
    ROLE_RAW,
    ROLE_TITLE,
    base_char_format,
    block_format,
    block_role,
    chip_format,
    chip_of,
    table_at,
    text_after_chip,
)
from esg_author.gui.editor_clipboard import EditorClipboard
from esg_author.gui.editor_painting import missing_image, paint_frame_captions
from esg_author.gui.markdown_inline import Atom, inline_markdown, link_destination
from esg_author.gui.markdown_reader import MarkdownReader
from esg_author.gui.markdown_writer import MarkdownWriter

logger = logging.getLogger(__name__)

AssetData = Callable[[str], "bytes | None"]
"""Asset name → its bytes (None when the project has no such asset)."""

READING_POINT_SIZE = 11.0
"""Section text is read for long stretches: never smaller than this, whatever the UI font."""
NO_FIND_FLAGS = QTextDocument.FindFlag(0)
MISSING_IMAGE = N_("Image not in the project: {name}")
RAW_TOOLTIP = N_("Markdown the editor shows as written")

_FONTS = {  # the CJK face a language's glyph forms come from, then the system's usual ones
    "zh-Hant": ["Noto Sans CJK TC", "Noto Sans CJK HK", "PingFang TC", "Microsoft JhengHei"],
    "zh-Hans": ["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei"],
    "en": ["Noto Sans", "Segoe UI", "Helvetica Neue", "Noto Sans CJK TC"],
}


class SectionEditor(QTextEdit):
    markdown_changed = Signal(str)
    """The user changed the text: its new Markdown (not emitted by set_markdown)."""
    chip_activated = Signal(str, str, object)
    """A chip was double-clicked: kind, target and year (None) — e.g. to open the KPI."""
    source_mode_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, chip_labeler: ChipLabeler | None = None,
                 asset_data: AssetData | None = None, lang: str = "en") -> None:
        super().__init__(parent)
        self._asset_data = asset_data
        self._reader = MarkdownReader(image_for=self._image_for)
        self._writer = MarkdownWriter()
        self.chips = ChipObject(chip_labeler, self)
        self._clipboard = EditorClipboard(self._reader, self._writer, self.chips)
        self.document().documentLayout().registerHandler(CHIP_OBJECT_TYPE, self.chips)
        self._quiet = 0
        self._last_markdown = ""
        self._source = QPlainTextEdit(self)
        self._source.setFont(QFont(MONOSPACE[0]))
        self._source.setObjectName("markdown-source")
        self._source.hide()
        self._source_start = ""
        self.setAcceptRichText(True)
        self.document().setDocumentMargin(12)
        self.set_language(lang)
        self.document().contentsChanged.connect(self._on_contents_changed)
        self._source.textChanged.connect(self._on_source_changed)
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self.selectionChanged.connect(self._on_selection_changed)

    # -- content -----------------------------------------------------------------------

    def set_markdown(self, text: str) -> None:
        """Show text; starts a new undo history. The cursor stays where it was, as near as it can."""
        position = self.textCursor().position()
        with self._silence():
            document = self.document()
            document.setUndoRedoEnabled(False)
            self._reader.read(text, document)
            document.setUndoRedoEnabled(True)  # also empties the history
            document.setModified(False)
            if self._source.isVisible():
                self._source.setPlainText(text)
                self._source_start = text
        cursor = self.textCursor()
        cursor.setPosition(min(position, max(0, self.document().characterCount() - 1)))
        self.setTextCursor(cursor)
        self._last_markdown = self.markdown()

    def markdown(self) -> str:
        if self.is_source_mode():
            return self._source.toPlainText()
        return self._writer.document_markdown(self.document())

    def set_language(self, lang: str) -> None:
        """The section's language: chip labels and the CJK glyph forms follow it."""
        self.chips.lang = lang
        self.chips.clear_cache()
        font = QFont(self.document().defaultFont())
        available = set(QFontDatabase.families())
        families = [f for f in _FONTS.get(lang, _FONTS["en"]) if f in available]
        if families:
            font.setFamilies(families)
        font.setPointSizeF(max(font.pointSizeF(), READING_POINT_SIZE))
        self.document().setDefaultFont(font)
        self.refresh_chips()

    def refresh_chips(self) -> None:
        """Relabel every chip (the KPIs, sections or tables they show have changed)."""
        self.chips.clear_cache()
        document = self.document()
        document.markContentsDirty(0, document.characterCount())

    def clear_undo_history(self) -> None:
        self.document().clearUndoRedoStacks()

    # -- formatting actions --------------------------------------------------------------

    @Slot()
    def toggle_bold(self) -> None:
        self._toggle_mark("strong")

    @Slot()
    def toggle_italic(self) -> None:
        self._toggle_mark("em")

    @Slot()
    def toggle_strikethrough(self) -> None:
        self._toggle_mark("strike")

    def _toggle_mark(self, mark: str) -> None:
        cursor = self.textCursor()
        on = not edits.has_mark(cursor, mark, self.currentCharFormat())
        if not cursor.hasSelection():  # the mark applies to what is typed next
            block = cursor.block()
            self.setCurrentCharFormat(edits.with_mark(self.currentCharFormat(), edits.base_format_of(block), mark, on))
            return
        with self._edit() as edit:
            edit.setPosition(cursor.selectionStart())
            edit.setPosition(cursor.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
            edits.set_mark(edit, mark, on)

    @Slot()
    def toggle_heading(self) -> None:
        level = 0 if self.textCursor().blockFormat().headingLevel() else HEADING_LEVEL
        self.set_heading(level)

    def set_heading(self, level: int) -> None:
        """Make the selected paragraphs `####` headings (level 4), or paragraphs again (0)."""
        with self._edit(self.textCursor()) as edit:
            edits.set_heading(edit, level)

    @Slot()
    def toggle_bullet_list(self) -> None:
        with self._edit(self.textCursor()) as edit:
            edits.toggle_list(edit, ordered=False)

    @Slot()
    def toggle_numbered_list(self) -> None:
        with self._edit(self.textCursor()) as edit:
            edits.toggle_list(edit, ordered=True)

    @Slot()
    def indent(self) -> None:
        with self._edit(self.textCursor()) as edit:
            edits.change_list_depth(edit, 1)

    @Slot()
    def outdent(self) -> None:
        with self._edit(self.textCursor()) as edit:
            edits.change_list_depth(edit, -1)

    def insert_table(self, rows: int = 3, columns: int = 2) -> None:
        cursor = self.textCursor()
        with self._edit(cursor) as edit:
            if edits.insert_table(edit, rows, columns) is not None:
                cursor.setPosition(edit.position())
        self.setTextCursor(cursor)

    @Slot()
    def add_row(self) -> None:
        with self._edit(self.textCursor()) as edit:
            edits.add_row(edit)

    @Slot()
    def add_column(self) -> None:
        with self._edit(self.textCursor()) as edit:
            edits.add_column(edit)

    @Slot()
    def remove_row(self) -> None:
        with self._edit(self.textCursor()) as edit:
            edits.remove_row(edit)

    @Slot()
    def remove_column(self) -> None:
        with self._edit(self.textCursor()) as edit:
            edits.remove_column(edit)

    def insert_image(self, asset_name: str, caption: str = "") -> None:
        """A figure (the asset's image with its caption) after the current paragraph."""
        check_asset_name(asset_name)
        label = inline_markdown([Atom("text", c) for c in " ".join(caption.split())], line_starts=False)
        self._insert_blocks(f"![{label}]({link_destination('asset:' + asset_name)})")

    def insert_container(self, kind: str, title: str = "") -> None:
        """A `:::` box (case, highlights, signature, note) around the selected paragraphs, or an
        empty one after the current paragraph."""
        if kind not in CONTAINER_KINDS:
            raise ValueError(f"unknown box kind {kind!r}; use one of {', '.join(CONTAINER_KINDS)}")
        cursor = self.textCursor()
        body = self._writer.selection_markdown(cursor).strip("\n") if cursor.hasSelection() else ""
        title = " ".join(title.split()) if kind == "case" else ""
        with self._edit(cursor) as edit:
            if cursor.hasSelection():
                edit.removeSelectedText()
            self._fresh_block(edit)
            start = edit.position()
            marker = ":" * (3 + body.count("\n:::"))  # longer than any box it now holds
            self._reader.insert(edit, f"{marker} {kind} {title}".rstrip() + f"\n{body}\n{marker}")
            frame = edits.frame_after(self.document(), start)
            if frame is not None:
                inside = QTextCursor(frame.lastCursorPosition())
                if kind == "case" and not body:  # room for the box's text under its title
                    inside.insertBlock(block_format(ROLE_PARAGRAPH, 0, kind), base_char_format(ROLE_PARAGRAPH))
                if kind == "case" and not title:
                    inside.setPosition(frame.firstPosition())
                cursor.setPosition(inside.position())
        self.setTextCursor(cursor)

    def insert_footnote(self) -> str:
        """A footnote reference at the cursor and its (empty) definition at the end of the text,
        where the cursor goes; returns the new label."""
        document = self.document()
        label = edits.next_footnote_label(document)
        cursor = self.textCursor()
        with self._edit(cursor) as edit:
            edit.insertText(OBJECT_CHAR, chip_format(FOOTNOTE_CHIP, label, None,
                                                     base=text_after_chip(self.currentCharFormat())))
            edit.movePosition(QTextCursor.MoveOperation.End)
            self._fresh_block(edit)
            start = edit.position()
            self._reader.insert(edit, f"[^{label}]: ")
            frame = edits.frame_after(self.document(), start)
            if frame is not None:
                cursor.setPosition(frame.firstPosition())
        self.setTextCursor(cursor)
        return label

    def insert_chip(self, kind: str, target: str, year: int | None = None) -> None:
        """A token as a chip: a KPI value or cross-reference at the cursor, a KPI table or content
        index as a paragraph of its own. Raises ModelError for a kind or id that is not valid."""
        token_text(kind, target, year)
        cursor = self.textCursor()
        with self._edit(cursor) as edit:
            edit.setPosition(cursor.selectionStart())
            edit.setPosition(cursor.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
            if kind in BLOCK_KINDS:
                edit.removeSelectedText()
                self._fresh_block(edit)
                edit.insertText(OBJECT_CHAR, chip_format(kind, target, year))
                edit.insertBlock(block_format(ROLE_PARAGRAPH, 0, edits.frame_kind_of(edit.block())),
                                 base_char_format(ROLE_PARAGRAPH))
            else:
                base = text_after_chip(self.currentCharFormat())
                edit.insertText(OBJECT_CHAR, chip_format(kind, target, year, base=base))
            cursor.setPosition(edit.position())
        self.setTextCursor(cursor)

    @Slot()
    def paste_plain_text(self) -> None:
        mime = QApplication.clipboard().mimeData()
        if mime is not None and mime.hasText():
            cursor = self.textCursor()
            with self._edit(cursor) as edit:
                self._clipboard.insert_plain(edit, mime.text(), self.currentCharFormat())
                cursor.setPosition(edit.position())
            self.setTextCursor(cursor)

    # -- source view ---------------------------------------------------------------------

    def is_source_mode(self) -> bool:
        return not self._source.isHidden()

    @Slot(bool)
    def set_source_mode(self, on: bool) -> None:
        """Show the Markdown as plain text (on) or go back to the formatted view, which reads the
        source again if it changed (one undo step in the formatted view)."""
        if on == self.is_source_mode():
            return
        if on:
            text = self.markdown()
            with self._silence():
                self._source.setPlainText(text)
            self._source_start = text
            self._source.setGeometry(self.rect())
            self._source.show()
            self._source.raise_()
            self._source.setFocus()
        else:
            text = self._source.toPlainText()
            self._source.hide()
            if text != self._source_start:
                with self._edit() as edit:
                    edit.select(QTextCursor.SelectionType.Document)
                    edit.removeSelectedText()
                    self._reader.insert(edit, text, record_originals=True)
            self.setFocus()
        self.source_mode_changed.emit(on)

    @Slot()
    def toggle_source_mode(self) -> None:
        self.set_source_mode(not self.is_source_mode())

    # -- find and replace ----------------------------------------------------------------

    def find(self, text: str, flags: QTextDocument.FindFlag = NO_FIND_FLAGS) -> bool:  # type: ignore[override]
        """Select the next match (the previous one with FindBackward), wrapping around."""
        widget: QTextEdit | QPlainTextEdit = self._source if self.is_source_mode() else self
        base = QPlainTextEdit if widget is self._source else QTextEdit
        if not text:
            return False
        if base.find(widget, text, flags):
            return True
        cursor = widget.textCursor()
        backward = bool(flags & QTextDocument.FindFlag.FindBackward)
        cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
        widget.setTextCursor(cursor)
        return base.find(widget, text, flags)

    def replace_all(self, old: str, new: str, flags: QTextDocument.FindFlag = NO_FIND_FLAGS) -> int:
        """Replace every match of old (in the view shown) as one undo step; returns how many."""
        if not old:
            return 0
        document = self._source.document() if self.is_source_mode() else self.document()
        flags &= ~QTextDocument.FindFlag.FindBackward
        count = 0
        position = QTextCursor(document)
        edit = QTextCursor(document)
        with self._silence():
            edit.beginEditBlock()
            while True:
                found = document.find(old, position, flags)
                if found.isNull():
                    break
                first = QTextCursor(document)
                first.setPosition(found.selectionStart() + 1)
                found.insertText(new, text_after_chip(first.charFormat()))
                count += 1
                position = found
            edit.endEditBlock()
        if count:
            self._emit_if_changed()
        return count

    # -- Qt overrides: keys, mouse, clipboard, painting ----------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        cursor = self.textCursor()
        table = table_at(cursor)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not modifiers & Qt.KeyboardModifier.ShiftModifier:
            if table is not None:  # the same column of the next row, as in a spreadsheet
                self._move_in_table(cursor, rows=1, columns=0)
                return
            if self._handle_enter(cursor):
                return
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and table is not None:
            self._move_in_table(cursor, rows=0, columns=-1 if key == Qt.Key.Key_Backtab else 1)
            return
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and edits.list_of(cursor.block()) is not None:
            (self.outdent if key == Qt.Key.Key_Backtab else self.indent)()
            return
        if event.matches(QKeySequence.StandardKey.Paste) and modifiers & Qt.KeyboardModifier.ShiftModifier:
            self.paste_plain_text()
            return
        super().keyPressEvent(event)

    def _handle_enter(self, cursor: QTextCursor) -> bool:
        block = cursor.block()
        role = block_role(block.blockFormat())
        if role == ROLE_RAW:  # one raw block holds all its lines
            cursor.insertText(LINE_BREAK)
            return True
        if edits.leave_empty_list_item(cursor):
            return True
        heading_end = block.blockFormat().headingLevel() and cursor.atBlockEnd()
        if role in (ROLE_TITLE, ROLE_FIGURE) or heading_end:
            frame_kind = edits.frame_kind_of(block)
            cursor.insertBlock(block_format(ROLE_PARAGRAPH, 0, frame_kind), base_char_format(ROLE_PARAGRAPH))
            self.setTextCursor(cursor)
            self.setCurrentCharFormat(base_char_format(ROLE_PARAGRAPH, 0, frame_kind))
            return True
        return False

    def _move_in_table(self, cursor: QTextCursor, rows: int, columns: int) -> None:
        table = table_at(cursor)
        assert table is not None
        cell = table.cellAt(cursor)
        row, column = cell.row() + rows, cell.column() + columns
        if column >= table.columns():
            row, column = row + 1, 0
        elif column < 0:
            row, column = row - 1, table.columns() - 1
        if row < 0:
            return
        if row >= table.rows():
            with self._edit():
                table.appendRows(1)
        cursor.setPosition(table.cellAt(row, column).firstPosition())
        self.setTextCursor(cursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        hit = self._chip_at(event.position().toPoint())
        if hit is not None and event.button() == Qt.MouseButton.LeftButton and not event.modifiers():
            cursor = self.textCursor()
            cursor.setPosition(hit[0])
            cursor.setPosition(hit[0] + 1, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self._chip_at(event.position().toPoint())
        if hit is not None:
            self.chip_activated.emit(*hit[1])
            return
        super().mouseDoubleClickEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            point = event.pos()  # type: ignore[attr-defined]
            hit = self._chip_at(self.viewport().mapFrom(self, point))
            if hit is not None:
                QToolTip.showText(event.globalPos(), self.chips.label(*hit[1])[1], self)  # type: ignore[attr-defined]
                return True
            block = self.cursorForPosition(self.viewport().mapFrom(self, point)).block()
            if block_role(block.blockFormat()) == ROLE_RAW:
                QToolTip.showText(event.globalPos(), _(RAW_TOOLTIP), self)  # type: ignore[attr-defined]
                return True
        return super().event(event)

    def createMimeDataFromSelection(self) -> QMimeData:
        return self._clipboard.mime_for(self.textCursor(), self.document().defaultFont())

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return self._clipboard.can_insert(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        cursor = self.textCursor()
        with self._edit(cursor) as edit:
            self._clipboard.insert(edit, source, self.currentCharFormat())
            cursor.setPosition(edit.position())
        self.setTextCursor(cursor)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.translate(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())
        paint_frame_captions(painter, self.document())
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._source.setGeometry(self.rect())

    # -- helpers -------------------------------------------------------------------------

    def _edit(self, cursor: QTextCursor | None = None) -> _EditBlock:
        return _EditBlock(self, cursor)

    def _silence(self) -> _Silence:
        return _Silence(self)

    def _on_contents_changed(self) -> None:
        if not self._quiet:
            self._emit_if_changed()

    def _on_source_changed(self) -> None:
        if not self._quiet and self.is_source_mode():
            self._emit_if_changed()

    def _emit_if_changed(self) -> None:
        text = self.markdown()
        if text != self._last_markdown:
            self._last_markdown = text
            self.markdown_changed.emit(text)

    def _on_cursor_moved(self) -> None:
        # Text typed right after a chip takes the chip's emphasis, never its object.
        fmt = self.textCursor().charFormat()
        if chip_of(fmt) is not None and not self.textCursor().hasSelection():
            self.setCurrentCharFormat(text_after_chip(fmt))

    def _on_selection_changed(self) -> None:
        cursor = self.textCursor()
        self.chips.selection = (cursor.selectionStart(), cursor.selectionEnd())
        self.viewport().update()

    def _chip_at(self, point: QPoint) -> tuple[int, tuple[str, str, int | None]] | None:
        """The chip under a viewport point: (document position, (kind, target, year))."""
        document_point = QPointF(point) + QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        hit = self.document().documentLayout().hitTest(document_point, Qt.HitTestAccuracy.ExactHit)
        if hit < 0:
            return None
        for position in (hit, hit - 1):
            if position < 0:
                continue
            cursor = QTextCursor(self.document())
            cursor.setPosition(position)
            cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
            chip = chip_of(cursor.charFormat()) if cursor.selectedText() == OBJECT_CHAR else None
            if chip is not None:
                start = self.cursorRect(_at(self.document(), position)).left()
                end = self.cursorRect(_at(self.document(), position + 1)).left()
                if min(start, end) - 1 <= point.x() <= max(start, end) + 1:
                    return position, chip
        return None

    def _image_for(self, src: str) -> QImage:
        name = src.removeprefix("asset:")
        data = None
        if self._asset_data is not None and src.startswith("asset:"):
            data = self._asset_data(name) or self._asset_data(unquote(name))
        image = QImage.fromData(data) if data else QImage()
        if image.isNull():
            image = missing_image(_(MISSING_IMAGE).format(name=unquote(name)))
        return image

    def _fresh_block(self, cursor: QTextCursor) -> None:
        """Put cursor in an empty paragraph after the current one (the current one if empty)."""
        if cursor.block().length() > 1:
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            kind = edits.frame_kind_of(cursor.block())
            cursor.insertBlock(block_format(ROLE_PARAGRAPH, 0, kind), base_char_format(ROLE_PARAGRAPH, 0, kind))

    def _insert_blocks(self, markdown: str) -> None:
        cursor = self.textCursor()
        with self._edit(cursor) as edit:
            self._fresh_block(edit)
            self._reader.insert(edit, markdown)
            cursor.setPosition(edit.position())
        self.setTextCursor(cursor)


class _EditBlock:
    """One undo step, and one markdown_changed at its end."""

    def __init__(self, editor: SectionEditor, cursor: QTextCursor | None) -> None:
        self.editor = editor
        self.cursor = QTextCursor(cursor) if cursor is not None else QTextCursor(editor.document())

    def __enter__(self) -> QTextCursor:
        self.editor._quiet += 1
        self.cursor.beginEditBlock()
        return self.cursor

    def __exit__(self, *exc: object) -> None:
        self.cursor.endEditBlock()
        self.editor._quiet -= 1
        if not self.editor._quiet:
            self.editor._emit_if_changed()


class _Silence:
    def __init__(self, editor: SectionEditor) -> None:
        self.editor = editor

    def __enter__(self) -> None:
        self.editor._quiet += 1

    def __exit__(self, *exc: object) -> None:
        self.editor._quiet -= 1


def _at(document: QTextDocument, position: int) -> QTextCursor:
    cursor = QTextCursor(document)
    cursor.setPosition(position)
    return cursor
