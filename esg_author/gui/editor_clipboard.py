"""What the section editor puts on the clipboard and how it pastes.

Copy puts three formats on the clipboard: the selection's Markdown (MARKDOWN_MIME, chips as
tokens: a paste into any section editor restores them), and plain text and HTML with each chip's
label, for other applications. Paste takes, in that order: this editor's Markdown; HTML, reduced
to what section text can hold (html_paste); plain text, in which tokens become chips. Where only a
line fits (a table cell, a caption, a box title, Markdown kept as written) only the text is pasted.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor, QTextDocument

from esg_author.core.model.tokens import find_tokens
from esg_author.gui.chip_object import ChipObject
from esg_author.gui.document_formats import (
    FOOTNOTE_CHIP,
    OBJECT_CHAR,
    ROLE_FIGURE,
    ROLE_RAW,
    ROLE_TITLE,
    block_role,
    chip_format,
    chip_of,
    table_at,
    text_after_chip,
)
from esg_author.gui.html_paste import HtmlToMarkdown
from esg_author.gui.markdown_reader import MarkdownReader
from esg_author.gui.markdown_writer import MarkdownWriter, chip_markdown

MARKDOWN_MIME = "application/x-esg-author-markdown"
"""Clipboard format of a copy from a section editor: the selection's Markdown, chips as tokens."""


class EditorClipboard:
    def __init__(self, reader: MarkdownReader, writer: MarkdownWriter, chips: ChipObject) -> None:
        self.reader = reader
        self.writer = writer
        self.chips = chips
        self._html = HtmlToMarkdown()

    @staticmethod
    def can_insert(source: QMimeData) -> bool:
        return source.hasFormat(MARKDOWN_MIME) or source.hasHtml() or source.hasText()

    def mime_for(self, cursor: QTextCursor, font: QFont) -> QMimeData:
        mime = QMimeData()
        mime.setData(MARKDOWN_MIME, self.writer.selection_markdown(cursor).encode("utf-8"))
        shown = QTextDocument()
        shown.setDefaultFont(font)
        QTextCursor(shown).insertFragment(cursor.selection())
        self.chips_to_text(shown, labels=True)
        mime.setText(shown.toPlainText())
        mime.setHtml(shown.toHtml())
        return mime

    def insert(self, cursor: QTextCursor, source: QMimeData, typing: QTextCharFormat) -> None:
        """Paste source at cursor (inside the caller's edit block)."""
        if source.hasFormat(MARKDOWN_MIME):
            self.insert_markdown(cursor, bytes(source.data(MARKDOWN_MIME).data()).decode("utf-8", "replace"), typing)
        elif source.hasHtml():
            self.insert_markdown(cursor, self._html.convert(source.html()), typing)
        elif source.hasText():
            self.insert_plain(cursor, source.text(), typing)

    def insert_markdown(self, cursor: QTextCursor, markdown: str, typing: QTextCharFormat) -> None:
        cursor.removeSelectedText()
        role = block_role(cursor.block().blockFormat())
        if role == ROLE_RAW:
            self.insert_plain(cursor, markdown, typing, tokens=False)
        elif role == ROLE_TITLE:  # a box title is plain text: tokens stay tokens
            scratch = QTextDocument()
            self.reader.read(markdown, scratch, record_originals=False)
            self.chips_to_text(scratch, labels=False)
            self.insert_plain(cursor, scratch.toPlainText(), typing, single_line=True, tokens=False)
        elif table_at(cursor) is not None or role == ROLE_FIGURE:
            self.reader.insert_inline(cursor, markdown)
        else:
            self.reader.insert(cursor, markdown)

    def insert_plain(self, cursor: QTextCursor, text: str, typing: QTextCharFormat, *, single_line: bool = False,
                     tokens: bool = True) -> None:
        """Insert text as typed; tokens in it (say, from a translation file) become chips."""
        cursor.removeSelectedText()
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = [" ".join(text.split())] if single_line or table_at(cursor) is not None else text.split("\n")
        base = text_after_chip(typing)
        for index, line in enumerate(lines):
            if index:
                cursor.insertBlock()
            position = 0
            for token in find_tokens(line) if tokens else []:
                cursor.insertText(line[position:token.start], base)
                cursor.insertText(OBJECT_CHAR, chip_format(token.kind, token.target, token.year, base=base))
                position = token.end
            cursor.insertText(line[position:], base)

    def chips_to_text(self, document: QTextDocument, labels: bool) -> None:
        """Replace each chip of a copy by the label it shows (labels) or by its token."""
        cursor = QTextCursor(document)
        while True:
            cursor = document.find(OBJECT_CHAR, cursor)
            if cursor.isNull():
                return
            chip = chip_of(cursor.charFormat())
            if chip is None:
                continue
            shows_label = labels and chip[0] != FOOTNOTE_CHIP
            text = self.chips.label(*chip)[0] if shows_label else chip_markdown(*chip)
            cursor.insertText(text, text_after_chip(cursor.charFormat()))
