"""Section Markdown → QTextDocument, parsed exactly as the renderer parses it.

The parser is the renderer's own (render/markdown.py SectionMarkdown) with one change: footnote
definitions stay where they are written instead of moving to the end, so a definition nobody
references yet is kept too. Every construct becomes the representation in document_formats.py;
what has no WYSIWYG form here (code blocks, rules, lists holding tables or boxes) becomes a raw
block that shows and keeps its Markdown as written.

With record_originals the reader stores each unit's source and canonical Markdown (see
markdown_writer), after checking in a neutral context that both mean the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token
from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QImage,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrame,
    QTextImageFormat,
    QTextListFormat,
)

from esg_author.core.model.tokens import TextToken
from esg_author.core.render.markdown import SectionMarkdown
from esg_author.gui.document_formats import (
    FOOTNOTE_CHIP,
    FRAME_FOOTNOTE,
    FRAME_QUOTE,
    HEADING_LEVEL,
    LINE_BREAK,
    MALFORMED_CHIP,
    OBJECT_CHAR,
    PROP_CANONICAL,
    PROP_CONTAINER_INFO,
    PROP_FOOTNOTE_LABEL,
    PROP_IMAGE_ALT,
    PROP_IMAGE_TITLE,
    PROP_LIST_MARKER,
    PROP_LIST_TIGHT,
    PROP_ORIGINAL,
    PROP_RAW_INLINE,
    PROP_SOFT_BREAK,
    PROP_TABLE_ALIGNS,
    ROLE_CONTINUATION,
    ROLE_FIGURE,
    ROLE_PARAGRAPH,
    ROLE_RAW,
    ROLE_TITLE,
    alignment_flag,
    apply_marks,
    base_char_format,
    block_format,
    chip_format,
    frame_format,
    table_format,
    text_after_chip,
)
from esg_author.gui.markdown_writer import MarkdownWriter, Unit

ImageProvider = Callable[[str], QImage]
"""src of an image (`asset:NAME`) → the image to show."""

FIGURE_WIDTH = 480
INLINE_IMAGE_HEIGHT = 48
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")
_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)
_CONTEXT_BEFORE = "context\n\n"
_CONTEXT_AFTER = "\n\ncontext\n"
_MARK_TOKENS = {"strong_open": ("strong", 1), "strong_close": ("strong", -1), "em_open": ("em", 1),
                "em_close": ("em", -1), "s_open": ("strike", 1), "s_close": ("strike", -1)}
_BULLET_STYLES = (QTextListFormat.Style.ListDisc, QTextListFormat.Style.ListCircle, QTextListFormat.Style.ListSquare)


@dataclass
class _Node:
    kind: str  # the token type without _open
    token: Token
    children: list[_Node] = field(default_factory=list)


@dataclass
class _State:
    cursor: QTextCursor
    fresh: bool  # the cursor's block is empty and not yet used by any unit
    frame_kind: str = ""


def parse_tree(md: Any, text: str) -> list[_Node]:
    root: list[_Node] = []
    stack = [root]
    for token in md.parse(text):
        if token.nesting == 1:
            node = _Node(token.type.removesuffix("_open"), token)
            stack[-1].append(node)
            stack.append(node.children)
        elif token.nesting == -1:
            stack.pop()
        else:
            stack[-1].append(_Node(token.type, token))
    return root


def normalised_tokens(md: Any, text: str) -> list[tuple[Any, ...]]:
    """What a parse means, without how it was written (markers, line numbers, spacing)."""
    result: list[tuple[Any, ...]] = []
    for token in md.parse(text):
        for item in [token, *(token.children or [])]:
            if item.type == "inline":
                continue
            content = item.content if item.type in ("text", "code_inline", "fence", "code_block", "esg_token") else ""
            info = item.info.strip() if item.type == "fence" or item.type.startswith("container_") else ""
            meta = tuple(sorted((k, str(v)) for k, v in (item.meta or {}).items() if k in ("label", "kind", "arg")))
            entry = (item.type, item.tag, item.nesting, tuple(sorted(item.attrs.items())), content, info, meta,
                     item.hidden)
            if result and entry[0] == "text" and result[-1][0] == "text":
                previous = result.pop()
                entry = (*previous[:4], previous[4] + content, *previous[5:])
            result.append(entry)
    return result


class MarkdownReader:
    def __init__(self, image_for: ImageProvider | None = None) -> None:
        self._md = SectionMarkdown().md
        self._md.disable("footnote_tail")
        self._image_for = image_for
        self._writer = MarkdownWriter(use_originals=False)
        self._record = False
        self._lines: list[str] = []
        self._document: QTextDocument | None = None

    def read(self, markdown: str, document: QTextDocument, record_originals: bool = True) -> None:
        """Replace document's content with markdown (not an undoable step: a new text is loaded)."""
        document.clear()
        self.insert(QTextCursor(document), markdown, record_originals)

    def insert(self, cursor: QTextCursor, markdown: str, record_originals: bool = False) -> None:
        """Insert markdown at cursor. In a block that already has text, a first paragraph joins
        it at the cursor and the other units follow it as blocks of their own."""
        text = markdown.replace("\r\n", "\n").replace("\r", "\n")
        self._record = record_originals
        self._lines = text.split("\n")
        self._document = cursor.document()
        nodes = parse_tree(self._md, text)
        if not record_originals:
            nodes = self._with_footnote_references(text, nodes)
        fresh = cursor.block().length() == 1
        if not fresh and nodes and nodes[0].kind == "paragraph":
            self._inline(cursor, _inline_children(nodes[0]), text_after_chip(cursor.charFormat()))
            nodes = nodes[1:]
        if nodes and not fresh and not cursor.atBlockEnd():
            cursor.insertBlock()
            cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        self._units(_State(cursor, fresh), nodes, 0, len(self._lines), record=self._record)

    def _with_footnote_references(self, text: str, nodes: list[_Node]) -> list[_Node]:
        """A pasted `[^1]` whose definition stays behind (in the text it was copied from, or
        in this document) is still a footnote reference: parse as if it were defined here."""
        defined = set(_FOOTNOTE_DEFINITION.findall(text))
        missing = sorted(set(_FOOTNOTE_REFERENCE.findall(text)) - defined)
        if not missing:
            return nodes
        lines = len(self._lines)
        parsed = parse_tree(self._md, text + "\n\n" + "\n\n".join(f"[^{label}]: -" for label in missing))
        return [node for node in parsed if not (node.kind == "footnote_reference" and node.token.map
                                                and node.token.map[0] >= lines)]

    def insert_inline(self, cursor: QTextCursor, markdown: str) -> None:
        """Insert only the text of markdown, with its emphasis, links and chips, on one line (into a
        table cell or a caption): its paragraphs, headings, items and cells joined by spaces."""
        self._document = cursor.document()
        base = text_after_chip(cursor.charFormat())
        first = True
        for token in self._md.parse(markdown.replace("\r\n", "\n").replace("\r", "\n")):
            if token.type == "esg_block":
                children = [Token("esg_token", "", 0, content=token.content,
                                  meta={"token": TextToken(token.meta["kind"], token.meta["arg"], None, 0, 0)})]
            elif token.type in ("inline", "esg_figure"):
                children = [c for c in token.children or [] if c.type not in ("softbreak", "hardbreak")]
            else:
                continue
            if not children:
                continue
            if not first:
                cursor.insertText(" ", base)
            first = False
            self._inline(cursor, children, base)

    # -- units ---------------------------------------------------------------------------

    def _units(self, state: _State, nodes: list[_Node], lo: int, hi: int, record: bool) -> None:
        spans = _spans(nodes, lo, hi, self._lines) if record else [None] * len(nodes)
        for node, span in zip(nodes, spans, strict=True):
            unit = self._unit(state, node, span)
            if record and span is not None and unit is not None:
                self._remember(unit, "\n".join(self._lines[span[0]:span[1]]))

    def _unit(self, state: _State, node: _Node, span: tuple[int, int] | None) -> Unit | None:
        kind = node.kind
        if kind == "paragraph":
            block = self._start_block(state, ROLE_PARAGRAPH)
            self._inline(state.cursor, _inline_children(node), base_char_format(ROLE_PARAGRAPH, 0, state.frame_kind))
            return block
        if kind == "heading":
            level = int(node.token.tag[1:]) if node.token.tag[1:].isdigit() else HEADING_LEVEL
            block = self._start_block(state, ROLE_PARAGRAPH, level)
            self._inline(state.cursor, _inline_children(node), base_char_format(ROLE_PARAGRAPH, level))
            return block
        if kind == "esg_block":
            block = self._start_block(state, ROLE_PARAGRAPH)
            meta = node.token.meta
            state.cursor.insertText(OBJECT_CHAR, chip_format(meta["kind"], meta["arg"], None))
            return block
        if kind == "esg_figure":
            return self._figure(state, node.token)
        if kind in ("bullet_list", "ordered_list") and _simple_list(node):
            return self._list(state, node, 1)
        if kind == "table":
            return self._table(state, node)
        if kind.startswith("container_") or kind in ("blockquote", "footnote_reference"):
            return self._frame(state, node, span)
        return self._raw(state, node, span)

    def _start_block(self, state: _State, role: str, level: int = 0, indent: int = 0) -> QTextBlock:
        fmt = block_format(role, level, state.frame_kind)
        if indent:
            fmt.setIndent(indent)
        if state.fresh:
            state.cursor.setBlockFormat(fmt)
        else:
            state.cursor.insertBlock(fmt)
        state.cursor.setBlockCharFormat(base_char_format(role, level, state.frame_kind))
        state.fresh = False
        return state.cursor.block()

    def _after(self, state: _State, frame: QTextFrame) -> None:
        state.cursor.setPosition(frame.lastPosition())
        state.cursor.movePosition(QTextCursor.MoveOperation.NextBlock)
        state.fresh = True

    def _figure(self, state: _State, token: Token) -> Unit:
        block = self._start_block(state, ROLE_FIGURE)
        src = str(token.attrs.get("src", ""))
        image = self._image(src, FIGURE_WIDTH, None)
        image.setProperty(PROP_IMAGE_TITLE, str(token.attrs.get("title") or ""))
        state.cursor.insertImage(image)
        state.cursor.insertText(LINE_BREAK, base_char_format(ROLE_FIGURE))
        self._inline(state.cursor, token.children or [], base_char_format(ROLE_FIGURE))
        return block

    def _image(self, src: str, max_width: int | None, max_height: int | None) -> QTextImageFormat:
        fmt = QTextImageFormat()
        fmt.setName(src)
        if self._image_for is not None:
            image = self._image_for(src)
            if self._document is not None and not image.isNull():
                self._document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(src), image)
                width, height = float(image.width()), float(image.height())
                scale = min(1.0, (max_width or width) / width if width else 1.0,
                            (max_height or height) / height if height else 1.0)
                fmt.setWidth(width * scale)
                fmt.setHeight(height * scale)
        return fmt

    def _list(self, state: _State, node: _Node, depth: int) -> Unit:
        ordered = node.kind == "ordered_list"
        fmt = QTextListFormat()
        fmt.setStyle(QTextListFormat.Style.ListDecimal if ordered else _BULLET_STYLES[(depth - 1) % 3])
        fmt.setIndent(depth)
        if ordered:
            fmt.setStart(int(node.token.attrs.get("start", 1)))
        first_paragraphs = [item.children[0] for item in node.children if item.children]
        fmt.setProperty(PROP_LIST_TIGHT, all(p.token.hidden for p in first_paragraphs))
        fmt.setProperty(PROP_LIST_MARKER, node.token.markup)
        qlist = None
        blocks = []
        for item in node.children:
            children = item.children or []
            block = self._start_block(state, ROLE_PARAGRAPH)
            if children and children[0].kind == "paragraph":
                self._inline(state.cursor, _inline_children(children[0]),
                             base_char_format(ROLE_PARAGRAPH, 0, state.frame_kind))
                children = children[1:]
            if qlist is None:
                qlist = state.cursor.createList(fmt)
            else:
                qlist.add(block)
            blocks.append(block)
            for child in children:
                if child.kind == "paragraph":
                    self._start_block(state, ROLE_CONTINUATION, indent=depth)
                    self._inline(state.cursor, _inline_children(child),
                                 base_char_format(ROLE_PARAGRAPH, 0, state.frame_kind))
                else:
                    self._list(state, child, depth + 1)
        return blocks

    def _table(self, state: _State, node: _Node) -> Unit:
        rows = [row for section in node.children for row in section.children]
        header = rows[0].children if rows else []
        columns = max(1, len(header))
        aligns = [_alignment(cell.token) for cell in header]
        if not state.fresh:  # a table inserted at the end of a block starts after it
            state.cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        fmt = table_format(columns)
        fmt.setProperty(PROP_TABLE_ALIGNS, ",".join(aligns))
        table = state.cursor.insertTable(max(1, len(rows)), columns, fmt)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row.children[:columns]):
                cursor = table.cellAt(r, c).firstCursorPosition()
                cell_format = block_format()
                cell_format.setBottomMargin(0)
                cell_format.setAlignment(alignment_flag(aligns[c]))
                cursor.setBlockFormat(cell_format)
                base = base_char_format(ROLE_PARAGRAPH)
                if r == 0:
                    base.setFontWeight(700)
                cursor.setBlockCharFormat(base)
                self._inline(cursor, _inline_children(cell), base)
        self._after(state, table)
        return table

    def _frame(self, state: _State, node: _Node, span: tuple[int, int] | None) -> Unit:
        if node.kind == "blockquote":
            kind = FRAME_QUOTE
        elif node.kind == "footnote_reference":
            kind = FRAME_FOOTNOTE
        else:
            kind = node.kind.removeprefix("container_")
        fmt = frame_format(kind)
        info = node.token.info.strip()
        if kind == FRAME_FOOTNOTE:
            fmt.setProperty(PROP_FOOTNOTE_LABEL, str(node.token.meta.get("label", "")))
        elif kind != FRAME_QUOTE:
            fmt.setProperty(PROP_CONTAINER_INFO, info)
        if not state.fresh:
            state.cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        frame = state.cursor.insertFrame(fmt)
        inner = _State(QTextCursor(frame.firstCursorPosition()), fresh=True, frame_kind=kind)
        if kind == "case":
            self._start_block(inner, ROLE_TITLE)
            inner.cursor.insertText(info.partition(" ")[2].strip(), base_char_format(ROLE_TITLE))
        # Units inside a `:::` box are written unindented, so each keeps its own source too.
        nested = self._record and span is not None and kind not in (FRAME_QUOTE, FRAME_FOOTNOTE)
        lo, hi = (span[0] + 1, _closing_line(self._lines, span)) if span is not None else (0, 0)
        self._units(inner, node.children, lo, hi, record=nested)
        self._after(state, frame)
        return frame

    def _raw(self, state: _State, node: _Node, span: tuple[int, int] | None) -> Unit:
        if span is not None:
            source = "\n".join(self._lines[span[0]:span[1]])
        else:
            token = node.token
            source = (f"{token.markup}{token.info}\n{token.content}{token.markup}" if token.type == "fence"
                      else token.content or token.markup)
        if node.kind == "fence" and not _fence_closed(source, node.token.markup):
            source = source.rstrip("\n") + "\n" + node.token.markup  # it ran to the end of the text
        block = self._start_block(state, ROLE_RAW)
        fmt = base_char_format(ROLE_RAW)
        fmt.setProperty(PROP_RAW_INLINE, True)
        state.cursor.insertText(source.rstrip("\n").replace("\n", LINE_BREAK), fmt)
        return block

    # -- inline --------------------------------------------------------------------------

    def _inline(self, cursor: QTextCursor, children: list[Token], base: QTextCharFormat) -> None:
        marks = {"strong": 0, "em": 0, "strike": 0}
        link: tuple[str, str] | None = None

        def fmt(code: bool = False) -> QTextCharFormat:
            return apply_marks(QTextCharFormat(base), strong=marks["strong"] > 0, em=marks["em"] > 0,
                               strike=marks["strike"] > 0, code=code, href=link[0] if link else "",
                               link_title=link[1] if link else "")

        for token in children:
            kind = token.type
            if kind == "text":
                self._text(cursor, token.content, fmt())
            elif kind in ("softbreak", "hardbreak"):
                brk = fmt()
                if kind == "softbreak":
                    brk.setProperty(PROP_SOFT_BREAK, True)
                cursor.insertText(LINE_BREAK, brk)
            elif kind in _MARK_TOKENS:
                name, step = _MARK_TOKENS[kind]
                marks[name] = max(0, marks[name] + step)
            elif kind == "code_inline":
                self._text(cursor, token.content, fmt(code=True))
            elif kind == "link_open":
                link = (str(token.attrs.get("href", "")), str(token.attrs.get("title") or ""))
            elif kind == "link_close":
                link = None
            elif kind == "image":
                image = self._image(str(token.attrs.get("src", "")), None, INLINE_IMAGE_HEIGHT)
                image.setProperty(PROP_IMAGE_ALT, token.content)
                image.setProperty(PROP_IMAGE_TITLE, str(token.attrs.get("title") or ""))
                cursor.insertImage(image)
            elif kind == "esg_token":
                token_meta = token.meta.get("token")
                if isinstance(token_meta, TextToken):
                    chip = chip_format(token_meta.kind, token_meta.target, token_meta.year, base=fmt())
                else:  # a malformed [[…]]: shown as a red chip and written back as it was
                    chip = chip_format(MALFORMED_CHIP, token.content, None, base=fmt())
                cursor.insertText(OBJECT_CHAR, chip)
            elif kind == "footnote_ref":
                cursor.insertText(OBJECT_CHAR, chip_format(FOOTNOTE_CHIP, str(token.meta.get("label", "")), None,
                                                        base=fmt()))
            elif token.content:  # a construct this editor does not know: keep its source
                raw = fmt()
                raw.setProperty(PROP_RAW_INLINE, True)
                cursor.insertText(token.content, raw)

    def _text(self, cursor: QTextCursor, text: str, fmt: QTextCharFormat) -> None:
        # A U+2028 typed into the source is text, not one of the editor's line breaks.
        for index, part in enumerate(text.split(LINE_BREAK)):
            if index:
                raw = QTextCharFormat(fmt)
                raw.setProperty(PROP_RAW_INLINE, True)
                cursor.insertText(LINE_BREAK, raw)
            if part:
                cursor.insertText(part, fmt)

    # -- originals -----------------------------------------------------------------------

    def _remember(self, unit: Unit, original: str) -> None:
        canonical = self._writer.unit_markdown(unit)
        # An original that starts indented could join a list written before it.
        if original == canonical or original[:1].isspace() or not self._same_meaning(original, canonical):
            return
        if isinstance(unit, list):
            qlist = unit[0].textList()  # a list block: never null
            fmt = qlist.format()
            fmt.setProperty(PROP_ORIGINAL, original)
            fmt.setProperty(PROP_CANONICAL, canonical)
            qlist.setFormat(fmt)
        elif isinstance(unit, QTextFrame):
            frame_fmt = unit.frameFormat()
            frame_fmt.setProperty(PROP_ORIGINAL, original)
            frame_fmt.setProperty(PROP_CANONICAL, canonical)
            unit.setFrameFormat(frame_fmt)
        else:
            cursor = QTextCursor(unit)
            extra = QTextBlockFormat()
            extra.setProperty(PROP_ORIGINAL, original)
            extra.setProperty(PROP_CANONICAL, canonical)
            cursor.mergeBlockFormat(extra)

    def _same_meaning(self, original: str, canonical: str) -> bool:
        return (normalised_tokens(self._md, _CONTEXT_BEFORE + original + _CONTEXT_AFTER)
                == normalised_tokens(self._md, _CONTEXT_BEFORE + canonical + _CONTEXT_AFTER))


# -- structure helpers ---------------------------------------------------------------------

def _inline_children(node: _Node) -> list[Token]:
    for child in node.children:
        if child.kind == "inline":
            return child.token.children or []
    return []


def _simple_list(node: _Node) -> bool:
    """Whether every item holds paragraphs and lists only, starting with a paragraph or empty."""
    for item in node.children:
        for index, child in enumerate(item.children):
            if child.kind == "paragraph":
                continue
            if child.kind in ("bullet_list", "ordered_list") and index > 0 and _simple_list(child):
                continue
            return False
    return True


def _alignment(token: Token) -> str:
    style = str(token.attrs.get("style", ""))
    return style.removeprefix("text-align:") if style.startswith("text-align:") else ""


def _fence_closed(source: str, markup: str) -> bool:
    lines = source.rstrip("\n").split("\n")
    return len(lines) > 1 and lines[-1].strip().startswith(markup) and set(lines[-1].strip()) == {markup[0]}


def _closing_line(lines: list[str], span: tuple[int, int]) -> int:
    """The line of a box's closing `:::` (or the end of its span when it was never closed)."""
    end = span[1]
    while end > span[0] + 1 and not lines[end - 1].strip():
        end -= 1
    last = lines[end - 1].strip() if end > span[0] + 1 else ""
    return end - 1 if last and set(last) == {":"} else end


def _spans(nodes: list[_Node], lo: int, hi: int, lines: list[str]) -> list[tuple[int, int] | None]:
    """The source lines of each sibling unit: from its first line to the next unit's first line
    (or the end of the parent), without blank lines at either end. Units the parser gives no line
    numbers (figures, block tokens) lie between their neighbours."""
    starts: list[int | None] = [node.token.map[0] if node.token.map else None for node in nodes]
    spans: list[tuple[int, int] | None] = []
    for index, _node in enumerate(nodes):
        start = starts[index]
        if start is None:
            if index == 0:
                start = lo
            else:
                start = _own_end(nodes[index - 1], lines)
        if index + 1 < len(nodes):
            end = starts[index + 1]
            if end is None and starts[index] is not None:
                end = _own_end(nodes[index], lines)
        else:
            end = hi
        if start is None or end is None:
            spans.append(None)
            continue
        while start < end and not lines[start].strip():
            start += 1
        while end > start and not lines[end - 1].strip():
            end -= 1
        spans.append((start, end) if start < end else None)
    return spans


def _own_end(node: _Node, lines: list[str]) -> int | None:
    if not node.token.map:
        return None
    end = node.token.map[1]
    if node.kind.startswith("container_") and end < len(lines) and set(lines[end].strip()) == {":"}:
        end += 1  # the container's map stops before its closing line
    return end
