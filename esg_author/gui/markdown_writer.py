"""QTextDocument → section Markdown, in the project's style.

The document is read as units: a paragraph or heading, a whole list, a table, a `:::` box, a quote
or a footnote definition, joined by one blank line. Each unit the reader loaded remembers its
Markdown source and the Markdown this writer produced for it then (PROP_ORIGINAL, PROP_CANONICAL).
While the unit still writes to that same Markdown the user has not changed it, and its source is
written back byte for byte: opening and saving a section never rewrites text nobody touched, so
translations of the other paragraphs do not go stale. A changed unit is written in the canonical
style: `**bold**`, `*italic*`, `-` and `1.` lists, `| a | b |` tables, `::: case Title` boxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument, QTextFrame, QTextList, QTextListFormat, QTextTable

from esg_author.core.model.tokens import token_text
from esg_author.core.render.markdown import CONTAINERS
from esg_author.gui.document_formats import (
    FOOTNOTE_CHIP,
    FRAME_FOOTNOTE,
    FRAME_QUOTE,
    LINE_BREAK,
    MALFORMED_CHIP,
    OBJECT_CHAR,
    PROP_CANONICAL,
    PROP_CONTAINER_INFO,
    PROP_FOOTNOTE_LABEL,
    PROP_FRAME_KIND,
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
    ROLE_RAW,
    ROLE_TITLE,
    block_role,
    chip_of,
    flag,
    frame_children,
    list_of,
    marks_of,
    text_string,
)
from esg_author.gui.markdown_inline import Atom, inline_markdown, link_destination

Unit = QTextBlock | QTextTable | QTextFrame | list[QTextBlock]
"""A paragraph-like block, a table, a box, or the blocks of one list (with its continuations)."""

_BULLET_ALTERNATIVE = {"-": "*", "*": "-", "+": "-"}
_ORDERED_ALTERNATIVE = {".": ")", ")": "."}


@dataclass
class _ListNode:
    qlist: QTextList
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Item:
    block: QTextBlock
    children: list[QTextBlock | _ListNode] = field(default_factory=list)


def chip_markdown(kind: str, target: str, year: int | None) -> str:
    if kind == FOOTNOTE_CHIP:
        return f"[^{target}]"
    if kind == MALFORMED_CHIP:
        return target
    return token_text(kind, target, year)


class MarkdownWriter:
    """Writes a QTextDocument (or one unit of it) as Markdown.

    use_originals=False always writes the canonical form (tests measure both)."""

    def __init__(self, use_originals: bool = True) -> None:
        self.use_originals = use_originals

    def document_markdown(self, document: QTextDocument) -> str:
        text = self._units_markdown(self.units(document.rootFrame()))
        return text + "\n" if text else ""

    def unit_markdown(self, unit: Unit) -> str:
        return self._unit(unit, avoid_marker="")[0]

    def selection_markdown(self, cursor: QTextCursor) -> str:
        """The Markdown of a selection (for copy): written from a copy of just those characters."""
        copy = QTextDocument()
        QTextCursor(copy).insertFragment(cursor.selection())
        return self.document_markdown(copy)

    # -- structure -----------------------------------------------------------------------

    def units(self, frame: QTextFrame) -> list[Unit]:
        """The units directly inside frame, in order; list blocks are grouped into one unit."""
        units: list[Unit] = []
        run: list[QTextBlock] = []
        run_list: QTextList | None = None
        for child in frame_children(frame):
            if isinstance(child, QTextFrame):
                if run:
                    units.append(run)
                    run, run_list = [], None
                units.append(child)
                continue
            block = child
            qlist = list_of(block)
            continues = block_role(block.blockFormat()) == ROLE_CONTINUATION and run
            if qlist is not None:
                top = run_list is not None and (qlist is run_list or qlist.format().indent() > run_list.format().indent())
                if run and not top:
                    units.append(run)
                    run = []
                if not run:
                    run_list = qlist
                run.append(block)
            elif continues:
                run.append(block)
            else:
                if run:
                    units.append(run)
                    run, run_list = [], None
                units.append(block)
        if run:
            units.append(run)
        return units

    def _units_markdown(self, units: list[Unit]) -> str:
        parts: list[str] = []
        previous_marker = ""
        for unit in units:
            text, marker = self._unit(unit, avoid_marker=previous_marker)
            if text:
                parts.append(text)
                previous_marker = marker
        return "\n\n".join(parts)

    def _unit(self, unit: Unit, avoid_marker: str) -> tuple[str, str]:
        """(markdown, list marker used or "") of one unit."""
        marker = ""
        if isinstance(unit, list):
            root = _list_tree(unit)
            marker = _list_marker(root.qlist, avoid_marker)
            canonical = self._list(root, marker)
            holder = root.qlist.format()
        elif isinstance(unit, QTextTable):
            canonical, holder = self._table(unit), unit.format()
        elif isinstance(unit, QTextFrame):
            canonical, holder = self._frame(unit), unit.frameFormat()
        else:
            canonical, holder = self._block(unit), unit.blockFormat()
        original = text_string(holder, PROP_ORIGINAL)
        if self.use_originals and original and text_string(holder, PROP_CANONICAL) == canonical:
            if not (marker and avoid_marker and marker != text_string(holder, PROP_LIST_MARKER)):
                return original, marker
        return canonical, marker

    # -- blocks --------------------------------------------------------------------------

    def _block(self, block: QTextBlock) -> str:
        role = block_role(block.blockFormat())
        if role == ROLE_RAW:
            return block.text().replace(LINE_BREAK, "\n").rstrip()
        level = block.blockFormat().headingLevel()
        atoms = block_atoms(block)
        if level:
            content = inline_markdown(atoms, line_starts=False, heading=True)
            return f"{'#' * level} {content}" if content else ""
        if role == ROLE_FIGURE:
            figure = self._figure(atoms)
            if figure is not None:
                return figure
        return inline_markdown(atoms)

    def _figure(self, atoms: list[Atom]) -> str | None:
        images = [i for i, a in enumerate(atoms) if a.kind == "unit" and a.text.startswith("![")]
        if not images:
            return None
        at = images[0]
        caption_atoms = atoms[at + 1:]
        if caption_atoms and caption_atoms[0].kind in ("soft", "hard"):
            caption_atoms = caption_atoms[1:]
        caption = inline_markdown(caption_atoms, line_starts=False)
        head = inline_markdown(atoms[:at])
        src_and_title = atoms[at].text.partition("](")[2]
        return f"{head}![{caption}]({src_and_title}"

    def _list(self, node: _ListNode, marker: str) -> str:
        fmt = node.qlist.format()
        tight = flag(fmt, PROP_LIST_TIGHT) and not any(
            isinstance(child, QTextBlock) for item in node.items for child in item.children)
        ordered = fmt.style() in (QTextListFormat.Style.ListDecimal, QTextListFormat.Style.ListLowerAlpha,
                                  QTextListFormat.Style.ListUpperAlpha, QTextListFormat.Style.ListLowerRoman,
                                  QTextListFormat.Style.ListUpperRoman)
        start = fmt.start() if ordered else 1
        items: list[str] = []
        for number, item in enumerate(node.items, start=start):
            bullet = f"{number}{marker}" if ordered else marker
            parts = [inline_markdown(block_atoms(item.block))]
            previous = ""
            for child in item.children:
                if isinstance(child, _ListNode):
                    child_marker = _list_marker(child.qlist, previous)
                    parts.append(self._list(child, child_marker))
                    previous = child_marker
                else:
                    parts.append(inline_markdown(block_atoms(child)))
                    previous = ""
            body = ("\n" if tight else "\n\n").join(part for part in parts[1:] if part)
            content = parts[0] + (("\n" if tight else "\n\n") + body if body else "")
            items.append(_indent(content, bullet + " ", " " * (len(bullet) + 1)).rstrip() if content else bullet)
        return ("\n" if tight else "\n\n").join(items)

    def _table(self, table: QTextTable) -> str:
        columns = table.columns()
        if table.rows() == 0 or columns == 0:
            return ""
        aligns = (text_string(table.format(), PROP_TABLE_ALIGNS).split(",") + [""] * columns)[:columns]
        rows = []
        for row in range(table.rows()):
            cells = []
            for column in range(columns):
                cell = table.cellAt(row, column)
                atoms: list[Atom] = []
                block = cell.firstCursorPosition().block()
                while block.isValid() and block.position() <= cell.lastCursorPosition().position():
                    if atoms:
                        atoms.append(Atom("text", " "))
                    atoms.extend(block_atoms(block))
                    block = block.next()
                for atom in atoms:
                    if atom.kind in ("soft", "hard"):
                        atom.kind, atom.text = "text", " "
                cells.append(inline_markdown(atoms, line_starts=False, in_table=True))
            rows.append("| " + " | ".join(cells) + " |")
        delimiter = "|" + "|".join({"left": ":--", "right": "--:", "center": ":-:"}.get(a, "---") for a in aligns) + "|"
        return "\n".join([rows[0], delimiter, *rows[1:]])

    def _frame(self, frame: QTextFrame) -> str:
        fmt = frame.frameFormat()
        kind = text_string(fmt, PROP_FRAME_KIND)
        units = self.units(frame)
        if kind == FRAME_QUOTE:
            body = self._units_markdown(units)
            return "\n".join(("> " + line) if line else ">" for line in body.split("\n")) if body else ">"
        if kind == FRAME_FOOTNOTE:
            body = self._units_markdown(units)
            label = text_string(fmt, PROP_FOOTNOTE_LABEL)
            return _indent(body, f"[^{label}]: ", "    ") if body else f"[^{label}]:"
        if kind not in CONTAINERS:  # a frame this schema does not know: keep its content
            return self._units_markdown(units)
        info = text_string(fmt, PROP_CONTAINER_INFO) or kind
        if kind == "case":
            title = ""
            if units and isinstance(units[0], QTextBlock) and block_role(units[0].blockFormat()) == ROLE_TITLE:
                title = _plain_text(units.pop(0))
            info = f"case {title}" if title else "case"
        marker = ":" * (3 + _container_depth(frame))
        body = self._units_markdown(units)
        return f"{marker} {info}\n{body}\n{marker}" if body else f"{marker} {info}\n{marker}"


# -- helpers -------------------------------------------------------------------------------

def block_atoms(block: QTextBlock) -> list[Atom]:
    atoms: list[Atom] = []
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        iterator += 1
        fmt = fragment.charFormat()
        marks = marks_of(fmt)
        link = (str(marks["href"]), str(marks["link_title"])) if marks["href"] else None
        common = {"strong": bool(marks["strong"]), "em": bool(marks["em"]), "strike": bool(marks["strike"]),
                  "code": bool(marks["code"]), "link": link}
        if flag(fmt, PROP_RAW_INLINE):
            atoms.append(Atom("unit", fragment.text(), verbatim=True, **common))  # type: ignore[arg-type]
            continue
        chip = chip_of(fmt)
        for char in fragment.text():
            if char == OBJECT_CHAR and chip is not None:
                atoms.append(Atom("unit", chip_markdown(*chip), **common))  # type: ignore[arg-type]
            elif char == OBJECT_CHAR and fmt.isImageFormat():
                image = fmt.toImageFormat()
                alt = text_string(fmt, PROP_IMAGE_ALT)
                src = link_destination(image.name(), text_string(fmt, PROP_IMAGE_TITLE))
                atoms.append(Atom("unit", f"![{alt}]({src})", **common))  # type: ignore[arg-type]
            elif char == LINE_BREAK:
                atoms.append(Atom("soft" if flag(fmt, PROP_SOFT_BREAK) else "hard", char))
            else:
                atoms.append(Atom("text", char, **common))  # type: ignore[arg-type]
    return atoms


def _plain_text(block: QTextBlock) -> str:
    """A box title: plain text on one line (the renderer prints it as text)."""
    parts = []
    for atom in block_atoms(block):
        parts.append(" " if atom.kind in ("soft", "hard") else atom.text)
    return " ".join("".join(parts).split())


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join([(first + lines[0]).rstrip()] + [(rest + line) if line else "" for line in lines[1:]])


def _container_depth(frame: QTextFrame) -> int:
    """How many `:::` boxes are nested inside frame: the outer fence must be longer than theirs."""
    depth = 0
    for child in frame.childFrames():
        if text_string(child.frameFormat(), PROP_FRAME_KIND) not in ("", FRAME_QUOTE, FRAME_FOOTNOTE):
            depth = max(depth, 1 + _container_depth(child))
        else:
            depth = max(depth, _container_depth(child))
    return depth


def _list_marker(qlist: QTextList, avoid: str) -> str:
    """The list's marker; the other one if the list before it used the same (they would merge)."""
    fmt = qlist.format()
    ordered = fmt.style() not in (QTextListFormat.Style.ListDisc, QTextListFormat.Style.ListCircle,
                                  QTextListFormat.Style.ListSquare)
    marker = text_string(fmt, PROP_LIST_MARKER) or ("." if ordered else "-")
    if ordered and marker not in _ORDERED_ALTERNATIVE:
        marker = "."
    if not ordered and marker not in _BULLET_ALTERNATIVE:
        marker = "-"
    if marker == avoid:
        marker = (_ORDERED_ALTERNATIVE if ordered else _BULLET_ALTERNATIVE)[marker]
    return marker


def _list_tree(blocks: list[QTextBlock]) -> _ListNode:
    """Rebuild the nesting of one list run from the indent of each block's list."""
    first_list = list_of(blocks[0])
    assert first_list is not None
    root = _ListNode(first_list)
    stack: list[tuple[int, _ListNode]] = [(first_list.format().indent(), root)]
    for block in blocks:
        qlist = list_of(block)
        if qlist is None:  # a continuation paragraph of the item at (or above) its indent
            indent = block.blockFormat().indent()
            while len(stack) > 1 and stack[-1][0] > indent:
                stack.pop()
            node = stack[-1][1]
            if node.items:
                node.items[-1].children.append(block)
            continue
        indent = qlist.format().indent()
        while len(stack) > 1 and stack[-1][0] > indent:
            stack.pop()
        level, node = stack[-1]
        if node.qlist is qlist or (len(stack) == 1 and level >= indent):
            node.items.append(_Item(block))
            continue
        if level >= indent:  # another list at the same depth: a sibling inside the parent item
            stack.pop()
            level, node = stack[-1]
        child = _ListNode(qlist, [_Item(block)])
        if node.items:
            node.items[-1].children.append(child)
        else:
            node.items.append(_Item(block))
            continue
        stack.append((indent, child))
    return root
