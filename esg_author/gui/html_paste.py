"""Clipboard HTML (Word, a web page, a PDF viewer) → section Markdown with only what a report's
text can hold: paragraphs, `####` headings, bold, italic, strike-through, lists, tables and web or
mail links. Scripts, styles, fonts, colours, images, classes and everything else are dropped, so
a paste never brings formatting the renderer would not print.

Word marks list paragraphs with `mso-list` styles and types the bullet itself inside a span
marked `mso-list:Ignore`; those become real list items at their `levelN`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from esg_author.gui.document_formats import HEADING_LEVEL
from esg_author.gui.markdown_inline import Atom, inline_markdown

_SKIPPED = {"script", "style", "head", "title", "template", "noscript", "object", "iframe", "svg", "math",
            "select", "textarea", "button"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
_BLOCKS = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote", "pre",
           "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "td",
           "th", "dl", "dt", "dd", "figure", "figcaption", "address", "center", "hr", "body", "html", "caption"}
_IMPLICIT_CLOSE = {"p": {"p"}, "li": {"li"}, "td": {"td", "th"}, "th": {"td", "th"}, "tr": {"tr", "td", "th"},
                   "dt": {"dt", "dd"}, "dd": {"dt", "dd"}}
_SCOPES = {"li": {"ul", "ol"}, "td": {"tr", "table"}, "th": {"tr", "table"}, "tr": {"table"},
           "p": {"div", "li", "td", "th", "blockquote", "section", "article", "body", "table"},
           "dt": {"dl"}, "dd": {"dl"}}
"""An implicit close never reaches past these: a nested list's <li> does not close the outer one."""
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_WORD_LEVEL = re.compile(r"level(\d+)")
_ORDERED_BULLET = re.compile(r"^\s*(\d+|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)]")


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    children: list[_Element | str] = field(default_factory=list)

    def style(self, name: str) -> str:
        for declaration in self.attrs.get("style", "").split(";"):
            key, _, value = declaration.partition(":")
            if key.strip().lower() == name:
                return value.strip().lower()
        return ""


@dataclass
class _List:
    ordered: bool
    items: list[list[_Unit]] = field(default_factory=list)


_Unit = tuple[str, list[Atom]] | _List | list[list[list[Atom]]]
"""("paragraph" | "heading", atoms), a list, or a table (rows of cells of atoms)."""


class _TreeBuilder(HTMLParser):
    """A forgiving HTML tree: unclosed paragraphs, list items and cells close themselves."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("root", {})
        self._stack = [self.root]
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping or tag in _SKIPPED:
            if tag not in _VOID:
                self._skipping += 1
            return
        closes = _IMPLICIT_CLOSE.get(tag, set())
        for index in range(len(self._stack) - 1, 0, -1):
            open_tag = self._stack[index].tag
            if open_tag in closes:
                del self._stack[index:]
                break
            if open_tag in _SCOPES.get(tag, ()):
                break
        element = _Element(tag, {k: v or "" for k, v in attrs})
        self._stack[-1].children.append(element)
        if tag not in _VOID:
            self._stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and not self._skipping and self._stack[-1].tag == tag:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag in _SKIPPED or tag not in _VOID:
                self._skipping -= 1
            return
        for index in range(len(self._stack) - 1, 0, -1):
            if self._stack[index].tag == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._stack[-1].children.append(data)


class HtmlToMarkdown:
    """Converts one clipboard HTML text to Markdown (convert is reentrant)."""

    def convert(self, html: str) -> str:
        builder = _TreeBuilder()
        builder.feed(html)
        builder.close()
        return "\n\n".join(part for part in (_unit_markdown(u) for u in self._units(builder.root, {})) if part)

    def _units(self, element: _Element, marks: dict[str, object]) -> list[_Unit]:
        marks = _marks_for(element, marks)
        units: list[_Unit] = []
        atoms: list[Atom] = []

        def flush() -> None:
            if any((a.kind == "text" and a.text.strip()) or a.kind == "unit" for a in atoms):
                units.append(("paragraph", list(atoms)))
            atoms.clear()

        word_items: list[tuple[int, bool, list[Atom]]] = []

        def flush_word_list() -> None:
            if word_items:
                units.append(_word_list(word_items))
                word_items.clear()

        for child in element.children:
            if isinstance(child, str) or (child.tag not in _BLOCKS and not _has_block(child)):
                if not (isinstance(child, str) and not child.strip()):
                    flush_word_list()
                self._inline(child, atoms, marks)
                continue
            flush()
            level = _word_list_level(child)
            if level:
                word_items.append((level, _word_list_ordered(child), self._inline_atoms(child, marks)))
                continue
            flush_word_list()
            tag = child.tag
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                units.append(("heading", self._inline_atoms(child, marks)))
            elif tag in ("ul", "ol"):
                units.append(self._list(child, marks))
            elif tag == "table":
                units.append(self._table(child, marks))
            elif tag == "hr":
                continue
            else:
                units.extend(self._units(child, marks))
        flush()
        flush_word_list()
        return units

    def _list(self, element: _Element, marks: dict[str, object]) -> _List:
        result = _List(element.tag == "ol")
        loose: list[Atom] = []
        for child in element.children:
            if isinstance(child, _Element) and child.tag == "li":
                result.items.append(self._units(child, marks))
            elif isinstance(child, _Element) and child.tag in ("ul", "ol"):
                if result.items:
                    result.items[-1].append(self._list(child, marks))
                else:
                    result.items.append([self._list(child, marks)])
            else:
                self._inline(child, loose, marks)
        if any(a.kind == "text" and a.text.strip() for a in loose):
            result.items.append([("paragraph", loose)])
        return result

    def _table(self, element: _Element, marks: dict[str, object]) -> list[list[list[Atom]]]:
        rows: list[list[list[Atom]]] = []

        def walk(node: _Element) -> None:
            for child in node.children:
                if not isinstance(child, _Element):
                    continue
                if child.tag == "tr":
                    cells: list[list[Atom]] = []
                    for cell in child.children:
                        if isinstance(cell, _Element) and cell.tag in ("td", "th"):
                            cells.append(self._inline_atoms(cell, marks))
                            span = cell.attrs.get("colspan", "1")
                            cells.extend([] for _ in range(min(int(span) if span.isdigit() else 1, 50) - 1))
                    rows.append(cells)
                elif child.tag in ("thead", "tbody", "tfoot"):
                    walk(child)

        walk(element)
        return rows

    def _inline_atoms(self, element: _Element, marks: dict[str, object]) -> list[Atom]:
        """The text of an element and everything in it, block structure flattened to spaces."""
        atoms: list[Atom] = []
        self._inline(element, atoms, marks)
        return atoms

    def _inline(self, node: _Element | str, atoms: list[Atom], marks: dict[str, object]) -> None:
        if isinstance(node, str):
            text = re.sub(r"\s+", " ", node.replace("\u00a0", " "))
            for char in text:
                if char == " " and atoms and atoms[-1].kind == "text" and atoms[-1].text == " ":
                    continue
                atoms.append(Atom("text", char, strong=bool(marks.get("strong")), em=bool(marks.get("em")),
                                  strike=bool(marks.get("strike")), link=marks.get("link")))  # type: ignore[arg-type]
            return
        tag = node.tag
        if tag == "br":
            atoms.append(Atom("hard", "\n"))
            return
        if tag == "img" or (tag == "span" and node.style("mso-list") == "ignore"):
            return  # images are project assets; Word's typed bullets become list items
        inner = _marks_for(node, marks)
        if tag in _BLOCKS and atoms and atoms[-1].text != " ":
            atoms.append(Atom("text", " "))
        for child in node.children:
            self._inline(child, atoms, inner)
        if tag in _BLOCKS:
            atoms.append(Atom("text", " "))


def _marks_for(node: _Element, marks: dict[str, object]) -> dict[str, object]:
    """The marks inside node: its tag and its inline style, which may also switch a mark off
    (Google Docs wraps a whole copy in <b style="font-weight:normal">)."""
    tag = node.tag
    inner = dict(marks)
    weight = node.style("font-weight")
    if tag in ("b", "strong"):
        inner["strong"] = True
    if weight:
        inner["strong"] = weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)
    if tag in ("i", "em") or node.style("font-style") == "italic":
        inner["em"] = True
    elif node.style("font-style") == "normal":
        inner["em"] = False
    if tag in ("s", "strike", "del") or "line-through" in node.style("text-decoration"):
        inner["strike"] = True
    if tag == "a":
        href = node.attrs.get("href", "").strip()
        inner["link"] = (href, node.attrs.get("title", "")) if href.lower().startswith(_LINK_SCHEMES) else None
    return inner


def _has_block(element: _Element) -> bool:
    return any(isinstance(c, _Element) and (c.tag in _BLOCKS or _has_block(c)) for c in element.children)


def _word_list_level(element: _Element) -> int:
    if element.tag != "p":
        return 0
    style = element.style("mso-list")
    match = _WORD_LEVEL.search(style) if style and style != "ignore" else None
    return int(match.group(1)) if match else 0


def _word_list_ordered(element: _Element) -> bool:
    for child in element.children:
        if isinstance(child, _Element):
            if child.tag == "span" and child.style("mso-list") == "ignore":
                return bool(_ORDERED_BULLET.match(_text_of(child)))
            if _word_list_ordered(child):
                return True
    return False


def _text_of(element: _Element) -> str:
    return "".join(c if isinstance(c, str) else _text_of(c) for c in element.children)


def _word_list(items: list[tuple[int, bool, list[Atom]]]) -> _List:
    root = _List(items[0][1])
    stack: list[tuple[int, _List]] = [(items[0][0], root)]
    for level, ordered, atoms in items:
        while len(stack) > 1 and stack[-1][0] > level:
            stack.pop()
        if level > stack[-1][0] and stack[-1][1].items:
            nested = _List(ordered)
            stack[-1][1].items[-1].append(nested)
            stack.append((level, nested))
        stack[-1][1].items.append([("paragraph", atoms)])
    return root


def _unit_markdown(unit: _Unit) -> str:
    if isinstance(unit, _List):
        return _list_markdown(unit)
    if isinstance(unit, list):
        return _table_markdown(unit)
    kind, atoms = unit
    if kind == "heading":
        text = inline_markdown(atoms, line_starts=False, heading=True)
        return f"{'#' * HEADING_LEVEL} {text}" if text else ""
    return inline_markdown(atoms)


def _list_markdown(lst: _List) -> str:
    lines: list[str] = []
    for number, item in enumerate(lst.items, start=1):
        marker = f"{number}." if lst.ordered else "-"
        parts = [p for p in (_unit_markdown(u) for u in item) if p]
        body = "\n".join(parts)
        indent = " " * (len(marker) + 1)
        text_lines = body.split("\n") if body else [""]
        lines.append((marker + " " + text_lines[0]).rstrip())
        lines.extend(indent + line if line else "" for line in text_lines[1:])
    return "\n".join(lines)


def _table_markdown(rows: list[list[list[Atom]]]) -> str:
    rows = [row for row in rows if row]
    if not rows:
        return ""
    columns = max(len(row) for row in rows)
    out = []
    for row in rows:
        cells = []
        for atoms in row + [[]] * (columns - len(row)):
            flat = [Atom("text", " ") if a.kind in ("soft", "hard") else a for a in atoms]
            cells.append(inline_markdown(flat, line_starts=False, in_table=True))
        out.append("| " + " | ".join(cells) + " |")
    out.insert(1, "|" + "---|" * columns)
    return "\n".join(out)
