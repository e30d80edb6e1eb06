"""The Markdown of one paragraph's characters: emphasis, links, code, chips, images and breaks.

CommonMark decides whether `**` opens or closes from the characters beside it ("flanking"). Two
cases matter for editing and are handled here instead of producing text that prints the stars:

- spaces at the edge of a bold run move outside it (`**bold **x` would not close);
- Chinese punctuation beside a delimiter: `**「持份者」**的` does not close, because the closing
  `**` follows punctuation and precedes a letter. The letter is then written as a character
  reference (`**「持份者」**&#30340;`), which reads the same, prints the same and makes the
  delimiter flank. Text as the user wrote it in the Markdown source is kept by the writer's
  originals, so this only appears where the user applied the formatting in the editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace

_ENTITY_LIKE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ORDERED_MARKER = re.compile(r"[0-9]{1,9}[.)]")
_MARK_ORDER = ("link", "strong", "em", "strike")
_DELIMITERS = {"strong": "**", "em": "*", "strike": "~~"}


@dataclass
class Atom:
    """One character of text, or one thing written as a unit (chip, image, break, verbatim text)."""

    kind: str  # "text" | "unit" | "soft" | "hard"
    text: str
    strong: bool = False
    em: bool = False
    strike: bool = False
    code: bool = False
    link: tuple[str, str] | None = None  # (href, title)
    verbatim: bool = False  # a "unit" written as is; "text" atoms are escaped

    def marks(self) -> set[str]:
        found = {name for name in ("strong", "em", "strike") if getattr(self, name)}
        if self.link is not None:
            found.add("link")
        return found


@dataclass
class _Piece:
    kind: str  # "text" | "delim" | "other" | "newline"
    text: str
    opens: bool = False
    closes: bool = False
    entity: bool = False
    escaped: list[str] = field(default_factory=list)


def inline_markdown(atoms: list[Atom], *, line_starts: bool = True, in_table: bool = False,
                    heading: bool = False) -> str:
    """Markdown for a run of atoms. line_starts: protect the start of each line from being read
    as a list, heading or quote marker (off in table cells and headings)."""
    atoms = _trim_lines(atoms)
    _tighten_marks(atoms)
    pieces = _pieces(atoms)
    _fix_flanking(pieces)
    text = _render(pieces, line_starts=line_starts, in_table=in_table)
    if heading and text.endswith("#") and not text.endswith("\\#"):
        text = text[:-1] + "\\#"  # a trailing # would be read as the closing sequence
    return text


def _trim_lines(atoms: list[Atom]) -> list[Atom]:
    """Markdown drops spaces at the start and end of lines, and two spaces before a line end make
    a hard break: drop them here so the text means what it shows."""
    result: list[Atom] = []
    at_line_start = True
    for atom in atoms:
        if atom.kind == "text" and atom.text in " \t" and at_line_start:
            continue
        if atom.kind in ("soft", "hard"):
            while result and result[-1].kind == "text" and result[-1].text in " \t":
                result.pop()
            at_line_start = True
        else:
            at_line_start = False
        result.append(atom)
    while result and ((result[-1].kind == "text" and result[-1].text in " \t") or result[-1].kind in ("soft", "hard")):
        result.pop()
    return result


def _tighten_marks(atoms: list[Atom]) -> None:
    """Emphasis never starts or ends on a space or a line break (it would not parse)."""
    for name in ("strong", "em", "strike"):
        index = 0
        while index < len(atoms):
            if not getattr(atoms[index], name):
                index += 1
                continue
            end = index
            while end < len(atoms) and getattr(atoms[end], name):
                end += 1
            start, stop = index, end
            while start < stop and _is_blank(atoms[start]):
                setattr(atoms[start], name, False)
                start += 1
            while stop > start and _is_blank(atoms[stop - 1]):
                setattr(atoms[stop - 1], name, False)
                stop -= 1
            index = end


def _is_blank(atom: Atom) -> bool:
    return atom.kind in ("soft", "hard") or (atom.kind == "text" and isWhiteSpace(ord(atom.text)))


def _pieces(atoms: list[Atom]) -> list[_Piece]:
    pieces: list[_Piece] = []
    stack: list[str] = []  # open marks, innermost last; "link" stands for the current link
    current_link: tuple[str, str] | None = None
    index = 0
    while index < len(atoms):
        atom = atoms[index]
        wanted = atom.marks()
        # Close from the innermost mark outwards until every mark left open is still wanted.
        keep = 0
        while keep < len(stack) and stack[keep] in wanted and (stack[keep] != "link" or atom.link == current_link):
            keep += 1
        for mark in reversed(stack[keep:]):
            pieces.append(_close_piece(mark, current_link))
        del stack[keep:]
        if "link" not in stack:
            current_link = None
        for mark in sorted(wanted - set(stack), key=lambda m: (-_extent(atoms, index, m), _MARK_ORDER.index(m))):
            if mark == "link":
                current_link = atom.link
                pieces.append(_Piece("other", "["))
            else:
                pieces.append(_Piece("delim", _DELIMITERS[mark], opens=True))
            stack.append(mark)
        if atom.code and atom.kind == "text":
            end = index
            while (end < len(atoms) and atoms[end].code and atoms[end].kind == "text"
                   and atoms[end].marks() == wanted and atoms[end].link == atom.link):
                end += 1
            pieces.append(_Piece("other", _code_span("".join(a.text for a in atoms[index:end]))))
            index = end
            continue
        if atom.kind == "text":
            pieces.append(_Piece("text", atom.text))
        elif atom.kind == "soft":
            pieces.append(_Piece("newline", "\n"))
        elif atom.kind == "hard":
            pieces.append(_Piece("newline", "\\\n"))
        else:
            pieces.append(_Piece("other", atom.text))
        index += 1
    for mark in reversed(stack):
        pieces.append(_close_piece(mark, current_link))
    return pieces


def _extent(atoms: list[Atom], index: int, mark: str) -> int:
    end = index
    link = atoms[index].link
    while end < len(atoms) and mark in atoms[end].marks() and (mark != "link" or atoms[end].link == link):
        end += 1
    return end - index


def _close_piece(mark: str, link: tuple[str, str] | None) -> _Piece:
    if mark == "link":
        href, title = link or ("", "")
        return _Piece("other", "](" + link_destination(href, title) + ")")
    return _Piece("delim", _DELIMITERS[mark], closes=True)


def link_destination(href: str, title: str = "") -> str:
    if not href or re.search(r"[\s<>]", href) or href.count("(") != href.count(")"):
        destination = "<" + href.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>") + ">"
    else:
        destination = href.replace("\\", "\\\\")
    if title:
        destination += ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return destination


def _code_span(code: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    if code.startswith("`") or code.endswith("`") or (code.startswith(" ") and code.endswith(" ") and code.strip()):
        code = f" {code} "
    return f"{fence}{code}{fence}"


def _fix_flanking(pieces: list[_Piece]) -> None:
    index = 0
    while index < len(pieces):
        if pieces[index].kind != "delim":
            index += 1
            continue
        end = index
        while end < len(pieces) and pieces[end].kind == "delim" and pieces[end].text[0] == pieces[index].text[0]:
            end += 1
        run = pieces[index:end]
        before = pieces[index - 1] if index > 0 else None
        after = pieces[end] if end < len(pieces) else None
        prev_char = _edge_char(before, last=True)
        next_char = _edge_char(after, last=False)
        if any(p.opens for p in run) and not _left_flanking(prev_char, next_char) and _encodable(before) \
                and not _blank(next_char):
            assert before is not None
            before.entity = True
            prev_char = ";"
        if any(p.closes for p in run) and not _right_flanking(prev_char, next_char) and _encodable(after) \
                and not _blank(prev_char):
            assert after is not None
            after.entity = True
        index = end


def _edge_char(piece: _Piece | None, last: bool) -> str | None:
    if piece is None or piece.kind == "newline":
        return None
    if piece.entity:
        return ";" if last else "&"
    return piece.text[-1] if last else piece.text[0]


def _encodable(piece: _Piece | None) -> bool:
    return piece is not None and piece.kind == "text" and not _blank(piece.text)


def _blank(char: str | None) -> bool:
    return char is None or isWhiteSpace(ord(char))


def _punct(char: str | None) -> bool:
    return char is not None and (isPunctChar(char) or isMdAsciiPunct(ord(char)))


def _left_flanking(prev_char: str | None, next_char: str | None) -> bool:
    return not _blank(next_char) and (not _punct(next_char) or _blank(prev_char) or _punct(prev_char))


def _right_flanking(prev_char: str | None, next_char: str | None) -> bool:
    return not _blank(prev_char) and (not _punct(prev_char) or _blank(next_char) or _punct(next_char))


def _render(pieces: list[_Piece], *, line_starts: bool, in_table: bool) -> str:
    out: list[str] = []
    line_start = True
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if piece.kind != "text":
            out.append(piece.text)
            line_start = piece.kind == "newline"
            index += 1
            continue
        end = index
        while end < len(pieces) and pieces[end].kind == "text":
            end += 1
        out.append(_escape_run(pieces[index:end], line_start and line_starts, in_table))
        line_start = False
        index = end
    return "".join(out)


def _escape_run(pieces: list[_Piece], at_line_start: bool, in_table: bool) -> str:
    chars = [p.text for p in pieces]
    text = "".join(chars)
    out: list[str] = []
    for i, (char, piece) in enumerate(zip(chars, pieces, strict=True)):
        if piece.entity:
            out.append(f"&#{ord(char)};")
            continue
        prev = chars[i - 1] if i > 0 else ""
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if char in "\\`*[]~|" or (char == "<" and (nxt.isalpha() or nxt in "/!?")):
            out.append("\\" + char)
        elif char == "_" and not (prev.isalnum() and nxt.isalnum()):
            out.append("\\_")
        elif char == "&" and _ENTITY_LIKE.match(text, i):
            out.append("\\&")
        else:
            out.append(char)
    escaped = "".join(out)
    if at_line_start and not in_table:
        escaped = _escape_line_start(escaped)
    return escaped


def _escape_line_start(text: str) -> str:
    if not text:
        return text
    if text[0] in "#>+=-":
        return "\\" + text
    if text.startswith(":::"):
        return "\\" + text
    match = _ORDERED_MARKER.match(text)
    if match:
        end = match.end() - 1
        return text[:end] + "\\" + text[end:]
    return text
