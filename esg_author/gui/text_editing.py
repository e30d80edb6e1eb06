"""Formatting and structure edits on a section document, as the editor's actions perform them.

Each function changes the document through one QTextCursor, keeps the schema of
document_formats.py (meaning in properties, looks derived from them) and leaves the undo
grouping to the caller (one edit block per action).
"""

from __future__ import annotations

from PySide6.QtGui import (
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrame,
    QTextList,
    QTextListFormat,
    QTextTable,
)

from esg_author.gui.document_formats import (
    FOOTNOTE_CHIP,
    PROP_FOOTNOTE_LABEL,
    PROP_FRAME_KIND,
    PROP_LIST_TIGHT,
    PROP_RAW_INLINE,
    PROP_SOFT_BREAK,
    PROP_TABLE_ALIGNS,
    ROLE_CONTINUATION,
    ROLE_FIGURE,
    ROLE_PARAGRAPH,
    ROLE_RAW,
    ROLE_TITLE,
    apply_marks,
    base_char_format,
    block_format,
    block_role,
    chip_format,
    chip_of,
    flag,
    frame_children,
    list_of,
    marks_of,
    table_at,
    table_format,
    text_string,
)

MARKS = ("strong", "em", "strike")
_BULLETS = (QTextListFormat.Style.ListDisc, QTextListFormat.Style.ListCircle, QTextListFormat.Style.ListSquare)
_FIXED_ROLES = (ROLE_TITLE, ROLE_FIGURE, ROLE_RAW)
"""Blocks that keep their role: a box title, a figure, Markdown kept as written."""


# -- where a block is --------------------------------------------------------------------

def frame_kind_of(block: QTextBlock) -> str:
    return text_string(QTextCursor(block).currentFrame().frameFormat(), PROP_FRAME_KIND)


def in_table(block: QTextBlock) -> bool:
    return table_at(QTextCursor(block)) is not None


def base_format_of(block: QTextBlock) -> QTextCharFormat:
    """The look of unmarked text in this block (a table's header row is bold)."""
    cursor = QTextCursor(block)
    fmt = base_char_format(block_role(block.blockFormat()), block.blockFormat().headingLevel(), frame_kind_of(block))
    table = table_at(cursor)
    if table is not None and table.cellAt(cursor).row() == 0:
        fmt.setFontWeight(700)
    return fmt


def frame_after(document: QTextDocument, position: int) -> QTextFrame | None:
    """The first frame (at any depth) that starts after position."""
    found: QTextFrame | None = None
    stack = [document.rootFrame()]
    while stack:
        for child in frame_children(stack.pop()):
            if isinstance(child, QTextFrame):
                if child.firstPosition() > position and (found is None or child.firstPosition() < found.firstPosition()):
                    found = child
                stack.append(child)
    return found


def selected_blocks(cursor: QTextCursor) -> list[QTextBlock]:
    document = cursor.document()
    block = document.findBlock(cursor.selectionStart())
    last = document.findBlock(cursor.selectionEnd())
    blocks = []
    while block.isValid():
        blocks.append(block)
        if block == last:
            break
        block = block.next()
    return blocks


# -- marks -----------------------------------------------------------------------------------

def _ranges(cursor: QTextCursor) -> list[tuple[int, int, QTextCharFormat, QTextBlock]]:
    """(start, end, format, block) of every fragment piece inside the selection."""
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    pieces = []
    for block in selected_blocks(cursor):
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            iterator += 1
            lo, hi = max(start, fragment.position()), min(end, fragment.position() + fragment.length())
            if lo < hi and not fragment.charFormat().isImageFormat():
                pieces.append((lo, hi, fragment.charFormat(), block))
    return pieces


def has_mark(cursor: QTextCursor, mark: str, typing_format: QTextCharFormat) -> bool:
    """Whether the selection (or, without one, the typing format) carries mark everywhere."""
    if not cursor.hasSelection():
        return bool(marks_of(typing_format)[mark])
    pieces = _ranges(cursor)
    return bool(pieces) and all(marks_of(fmt)[mark] for _lo, _hi, fmt, _block in pieces)


def with_mark(fmt: QTextCharFormat, base: QTextCharFormat, mark: str | None, on: bool) -> QTextCharFormat:
    """fmt re-derived on base, with one mark switched on or off (None: marks unchanged)."""
    marks = marks_of(fmt)
    if mark is not None:
        marks[mark] = on
    new = apply_marks(QTextCharFormat(base), **marks)  # type: ignore[arg-type]
    chip = chip_of(fmt)
    if chip is not None:
        return chip_format(*chip, base=new)
    for prop in (PROP_SOFT_BREAK, PROP_RAW_INLINE):
        if flag(fmt, prop):
            new.setProperty(prop, True)
    return new


def set_mark(cursor: QTextCursor, mark: str, on: bool) -> None:
    document = cursor.document()
    for lo, hi, fmt, block in _ranges(cursor):
        piece = QTextCursor(document)
        piece.setPosition(lo)
        piece.setPosition(hi, QTextCursor.MoveMode.KeepAnchor)
        piece.setCharFormat(with_mark(fmt, base_format_of(block), mark, on))


def restyle_block(block: QTextBlock) -> None:
    """Re-derive every character's look from the block's (new) role, keeping its marks."""
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    base = base_format_of(block)
    for lo, hi, fmt, _block in _ranges(cursor):
        piece = QTextCursor(block.document())
        piece.setPosition(lo)
        piece.setPosition(hi, QTextCursor.MoveMode.KeepAnchor)
        piece.setCharFormat(with_mark(fmt, base, None, False))
    cursor = QTextCursor(block)
    cursor.setBlockCharFormat(base)


# -- headings and lists ----------------------------------------------------------------------

def _editable(block: QTextBlock) -> bool:
    return block_role(block.blockFormat()) not in _FIXED_ROLES and not in_table(block)


def set_heading(cursor: QTextCursor, level: int) -> None:
    """Make the selected blocks headings of level (0: paragraphs); list items leave their list."""
    for block in selected_blocks(cursor):
        if not _editable(block):
            continue
        qlist = list_of(block)
        if qlist is not None:
            qlist.remove(block)
        QTextCursor(block).setBlockFormat(block_format(ROLE_PARAGRAPH, level, frame_kind_of(block)))
        restyle_block(block)


def is_ordered(qlist: QTextList) -> bool:
    return qlist.format().style() not in _BULLETS


def _new_list_format(ordered: bool, depth: int) -> QTextListFormat:
    fmt = QTextListFormat()
    fmt.setStyle(QTextListFormat.Style.ListDecimal if ordered else _BULLETS[(depth - 1) % 3])
    fmt.setIndent(depth)
    fmt.setProperty(PROP_LIST_TIGHT, True)
    return fmt


def toggle_list(cursor: QTextCursor, ordered: bool) -> None:
    """Selected paragraphs become items of a (bullet or numbered) list, joining a list of that
    kind just before them; if they all are such items already they become paragraphs."""
    blocks = [b for b in selected_blocks(cursor) if _editable(b)]
    if not blocks:
        return
    if all((q := list_of(b)) is not None and is_ordered(q) == ordered for b in blocks):
        for block in blocks:
            _leave_list(block)
        return
    previous = list_of(blocks[0].previous()) if blocks[0].previous().isValid() else None
    target = previous if previous is not None and is_ordered(previous) == ordered \
        and previous.format().indent() == 1 else None
    for block in blocks:
        qlist = list_of(block)
        if qlist is not None:
            qlist.remove(block)
        QTextCursor(block).setBlockFormat(block_format(ROLE_PARAGRAPH, 0, frame_kind_of(block)))
        restyle_block(block)
        if target is None:
            target = QTextCursor(block).createList(_new_list_format(ordered, 1))
        else:
            target.add(block)


def _leave_list(block: QTextBlock) -> None:
    qlist = list_of(block)
    if qlist is not None:
        qlist.remove(block)
    QTextCursor(block).setBlockFormat(block_format(ROLE_PARAGRAPH, 0, frame_kind_of(block)))


def change_list_depth(cursor: QTextCursor, step: int) -> bool:
    """Indent (step 1) or outdent (step -1) the selected list items; False if none could move.
    An item is only indented under an item before it; outdented from the top level it leaves the list."""
    moved = False
    for block in selected_blocks(cursor):
        qlist = list_of(block)
        if qlist is None:
            continue
        depth = qlist.format().indent() + step
        previous = block.previous()
        if step > 0 and not (previous.isValid() and (p := list_of(previous)) is not None
                             and p.format().indent() >= depth - 1):
            continue
        qlist.remove(block)
        if depth < 1:
            QTextCursor(block).setBlockFormat(block_format(ROLE_PARAGRAPH, 0, frame_kind_of(block)))
            moved = True
            continue
        target = _list_at_depth_before(block, depth)
        fmt = block.blockFormat()
        fmt.setIndent(0)
        QTextCursor(block).setBlockFormat(fmt)
        if target is None:
            QTextCursor(block).createList(_new_list_format(is_ordered(qlist), depth))
        else:
            target.add(block)
        moved = True
    return moved


def _list_at_depth_before(block: QTextBlock, depth: int) -> QTextList | None:
    """The list at depth that the items just before block belong to, if they go that deep."""
    previous = block.previous()
    while previous.isValid():
        qlist = list_of(previous)
        if qlist is None:
            if block_role(previous.blockFormat()) != ROLE_CONTINUATION:
                return None
        elif qlist.format().indent() == depth:
            return qlist
        elif qlist.format().indent() < depth:
            return None
        previous = previous.previous()
    return None


def leave_empty_list_item(cursor: QTextCursor) -> bool:
    """Enter on an empty item ends the list there (outdents a nested one), as word processors do."""
    block = cursor.block()
    qlist = list_of(block)
    if qlist is None or block.length() > 1:
        return False
    return change_list_depth(cursor, -1)


# -- tables ----------------------------------------------------------------------------------

def insert_table(cursor: QTextCursor, rows: int, columns: int) -> QTextTable | None:
    """A table after the current paragraph (never inside another table); the cursor goes to its
    first cell. The first row is the header."""
    if table_at(cursor) is not None or rows < 1 or columns < 1:
        return None
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    table = cursor.insertTable(rows, columns, table_format(columns))
    for row in range(rows):
        for column in range(columns):
            cell = table.cellAt(row, column).firstCursorPosition()
            fmt = block_format()
            fmt.setBottomMargin(0)
            cell.setBlockFormat(fmt)
            cell.setBlockCharFormat(base_format_of(cell.block()))
    cursor.setPosition(table.cellAt(0, 0).firstPosition())
    return table


def _aligns(table: QTextTable) -> list[str]:
    columns = table.columns()
    return (text_string(table.format(), PROP_TABLE_ALIGNS).split(",") + [""] * columns)[:columns]


def _set_aligns(table: QTextTable, aligns: list[str]) -> None:
    fmt = table.format()
    fmt.setProperty(PROP_TABLE_ALIGNS, ",".join(aligns))
    table.setFormat(fmt)


def add_row(cursor: QTextCursor) -> bool:
    table = table_at(cursor)
    if table is None:
        return False
    table.insertRows(table.cellAt(cursor).row() + 1, 1)
    return True


def add_column(cursor: QTextCursor) -> bool:
    table = table_at(cursor)
    if table is None:
        return False
    column = table.cellAt(cursor).column()
    aligns = _aligns(table)
    table.insertColumns(column + 1, 1)
    _set_aligns(table, [*aligns[:column + 1], "", *aligns[column + 1:]])
    header = table.cellAt(0, column + 1).firstCursorPosition()
    header.setBlockCharFormat(base_format_of(header.block()))
    return True


def remove_row(cursor: QTextCursor) -> bool:
    """Remove the cursor's row; removing a table's only row removes the table."""
    table = table_at(cursor)
    if table is None:
        return False
    if table.rows() == 1:
        _remove_table(cursor, table)
    else:
        table.removeRows(table.cellAt(cursor).row(), 1)
    return True


def remove_column(cursor: QTextCursor) -> bool:
    table = table_at(cursor)
    if table is None:
        return False
    if table.columns() == 1:
        _remove_table(cursor, table)
        return True
    column = table.cellAt(cursor).column()
    aligns = _aligns(table)
    table.removeColumns(column, 1)
    _set_aligns(table, aligns[:column] + aligns[column + 1:])
    return True


def _remove_table(cursor: QTextCursor, table: QTextTable) -> None:
    cursor.setPosition(table.firstPosition() - 1)
    cursor.setPosition(table.lastPosition() + 1, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()


# -- footnotes -------------------------------------------------------------------------------

def footnote_labels(document: QTextDocument) -> set[str]:
    """Every footnote label used by a reference or a definition."""
    labels: set[str] = set()
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            chip = chip_of(iterator.fragment().charFormat())
            iterator += 1
            if chip is not None and chip[0] == FOOTNOTE_CHIP:
                labels.add(chip[1])
        block = block.next()
    stack = [document.rootFrame()]
    while stack:
        frame = stack.pop()
        for child in frame_children(frame):
            if not isinstance(child, QTextBlock):
                labels.add(text_string(child.frameFormat(), PROP_FOOTNOTE_LABEL))
                stack.append(child)
    labels.discard("")
    return labels


def next_footnote_label(document: QTextDocument) -> str:
    used = footnote_labels(document)
    number = 1
    while str(number) in used:
        number += 1
    return str(number)
