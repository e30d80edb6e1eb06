"""The text syntax esg-author adds to Markdown, parsed in one place.

- inline tokens `[[kpi:ID]]`, `[[kpi:ID@YEAR]]` and `[[ref:ID]]`;
- block tokens `[[table:ID]]` and `[[index:FRAMEWORK]]`, which stand alone on their line;
- any other `[[…]]` is a *malformed* token: the renderer marks it and the checks report it;
- container blocks `::: case TITLE`, `::: highlights`, `::: signature`, `::: note` … `:::`;
- the id grammar shared by section, KPI, table and framework ids (`is_valid_id`).

The renderer (render/markdown.py), the checks, the translation segments (i18n/segments.py), the
workbook import and the content indices all read the text through this module, so they agree
on what is a token. As in the renderer, a token inside inline code or a fenced code block is
code, not a token, and a backslash before `[[` makes it text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from esg_author.core.errors import ModelError

INLINE_KINDS = ("kpi", "ref")
BLOCK_KINDS = ("table", "index")
TOKEN_KINDS = (*INLINE_KINDS, *BLOCK_KINDS)
CONTAINER_KINDS = ("case", "highlights", "signature", "note")

# -- ids ----------------------------------------------------------------------------------------

MAX_ID_LENGTH = 64
ID_PATTERN = r"[A-Za-z][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+)*"
"""An id: ASCII letters, digits, `_` and `-`, in parts joined by single dots (`energy.solar`,
`env-emissions`, `gri-2021`, `A1.2`), at most MAX_ID_LENGTH characters. It starts with a letter:
ids are typed into and read back from Excel cells, which turn `1.10` into 1.1 and `305-1` into a
date. No part is empty, so an id never starts or ends with a dot or contains `..` (section ids
become file names in project bundles)."""
_ID_RE = re.compile(rf"{ID_PATTERN}\Z")


def is_valid_id(value: object) -> bool:
    """Whether value can be the id of a section, KPI, KPI table or framework."""
    return isinstance(value, str) and len(value) <= MAX_ID_LENGTH and _ID_RE.match(value) is not None


def check_id(value: object, what: str = "id") -> str:
    """Return value if is_valid_id(value); raise ModelError naming `what` ("KPI id") if not."""
    if not is_valid_id(value):
        raise ModelError(f"{value!r} is not a valid {what}: start with a letter and use letters, digits, _ and -, "
                         f"in parts separated by single dots (such as energy.solar), at most {MAX_ID_LENGTH} "
                         "characters")
    assert isinstance(value, str)
    return value


# -- tokens ---------------------------------------------------------------------------------------

ANY_TOKEN_PATTERN = r"\[\[[^\[\]\n]*\]\]"
"""Every `[[…]]` on one line, well-formed or not: a translator keeps it, the renderer marks it."""
ANY_TOKEN_RE = re.compile(ANY_TOKEN_PATTERN)
TOKEN_RE = re.compile(rf"\[\[({'|'.join(TOKEN_KINDS)}):({ID_PATTERN})(?:@(\d{{4}}))?\]\]")
"""A well-formed token's shape (the year is only valid on kpi: see parse_token)."""
_PARTS_RE = re.compile(r"\[\[(?P<kind>[^:\]]*)(?P<colon>:?)(?P<target>[^@\]]*)(?:@(?P<year>[^\]]*))?\]\]\Z")


@dataclass(frozen=True)
class TextToken:
    kind: str  # one of TOKEN_KINDS
    target: str  # the KPI, section, table or framework id
    year: int | None  # [[kpi:ID@2023]]
    start: int  # character span in the text
    end: int
    alone_on_line: bool = False  # only spaces around it on its line

    @property
    def is_block(self) -> bool:
        """A [[table:…]] or [[index:…]] standing alone on its line: rendered as a block."""
        return self.kind in BLOCK_KINDS and self.alone_on_line

    @property
    def text(self) -> str:
        return token_text(self.kind, self.target, self.year)


MALFORMED_PROBLEMS = ("shape", "kind", "id", "year", "year-not-kpi")


@dataclass(frozen=True)
class MalformedToken:
    """A `[[…]]` that is not a token. problem is one of MALFORMED_PROBLEMS:
    shape (no `kind:`), kind (not kpi/ref/table/index), id (target not a valid id),
    year (not four digits), year-not-kpi (a year on a token other than kpi)."""

    text: str
    start: int
    end: int
    problem: str
    kind: str = ""  # as written, when there is one
    target: str = ""


def parse_token(raw: str, start: int = 0, alone_on_line: bool = False) -> TextToken | MalformedToken:
    """One `[[…]]` (as matched by ANY_TOKEN_RE) as a token, or as a malformed one saying why."""
    end = start + len(raw)
    parts = _PARTS_RE.match(raw)
    if parts is None or not parts.group("colon"):
        return MalformedToken(raw, start, end, "shape")
    kind, target, year = parts.group("kind"), parts.group("target"), parts.group("year")
    if kind not in TOKEN_KINDS:
        return MalformedToken(raw, start, end, "kind", kind, target)
    if not is_valid_id(target):
        return MalformedToken(raw, start, end, "id", kind, target)
    if year is not None:
        if kind != "kpi":
            return MalformedToken(raw, start, end, "year-not-kpi", kind, target)
        if not re.fullmatch(r"\d{4}", year):
            return MalformedToken(raw, start, end, "year", kind, target)
    return TextToken(kind, target, int(year) if year is not None else None, start, end, alone_on_line)


# Read left to right as the renderer does: fenced code, inline code and backslash escapes are
# text, and whichever of a code span and a token starts first wins.
_SCAN_RE = re.compile(
    r"^(?P<fence>[ ]{0,3}(?P<marks>(?P<char>[`~])(?P=char){2,}))[^\n]*(?:\n|\Z)"  # a code fence opens
    r"(?:.*?^[ ]{0,3}(?P=marks)(?P=char)*[ \t]*$|.*\Z)"  # … to its closing fence or the end
    r"|(?P<ticks>`+)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)"  # a code span, not over a blank line
    r"|`+"  # backticks that close nothing are text
    r"|\\[\\\[]"  # an escaped backslash or bracket
    rf"|(?P<token>{ANY_TOKEN_PATTERN})",
    re.MULTILINE | re.DOTALL,
)


def scan_tokens(text: str) -> list[TextToken | MalformedToken]:
    """Every `[[…]]` of text outside code, in order, well-formed or malformed, with exact spans."""
    found: list[TextToken | MalformedToken] = []
    for match in _SCAN_RE.finditer(text):
        if match.group("token") is None:
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        alone = not text[line_start:match.start()].strip() and not text[match.end():line_end].strip()
        found.append(parse_token(match.group("token"), match.start(), alone))
    return found


def find_tokens(text: str) -> list[TextToken]:
    """Every well-formed token of `text`, in order, with its character span."""
    return [token for token in scan_tokens(text) if isinstance(token, TextToken)]


def find_malformed_tokens(text: str) -> list[MalformedToken]:
    return [token for token in scan_tokens(text) if isinstance(token, MalformedToken)]


def block_token_of_line(line: str) -> TextToken | None:
    """The block token a line holds alone ("[[table:env]]", spaces around allowed), else None."""
    stripped = line.strip()
    if not (stripped.startswith("[[") and ANY_TOKEN_RE.fullmatch(stripped)):
        return None
    token = parse_token(stripped, line.index("[["), alone_on_line=True)
    return token if isinstance(token, TextToken) and token.is_block else None


def token_text(kind: str, target: str, year: int | None = None) -> str:
    """How a token is written: token_text("kpi", "ghg.total", 2024) == "[[kpi:ghg.total@2024]]"."""
    if kind not in TOKEN_KINDS:
        raise ModelError(f"unknown token kind {kind!r}; use one of {', '.join(TOKEN_KINDS)}")
    check_id(target, f"{kind} id")
    if year is None:
        return f"[[{kind}:{target}]]"
    if kind != "kpi":
        raise ModelError(f"only a kpi token takes a year, not [[{kind}:…]]")
    if not isinstance(year, int) or isinstance(year, bool) or not 1000 <= year <= 9999:
        raise ModelError(f"{year!r} is not a four-digit year")
    return f"[[{kind}:{target}@{year}]]"


def rename_target(text: str, kind: str, old: str, new: str) -> str:
    """text with every `kind` token naming `old` rewritten to name `new` (a year is kept).

    Tokens inside code and malformed tokens are left alone, and so is everything else, character
    for character, so an editor's undo and a translation's fingerprint see only the renamed ids.
    """
    token_text(kind, new)  # raises ModelError for a bad kind or new id
    pieces: list[str] = []
    position = 0
    for token in find_tokens(text):
        if token.kind == kind and token.target == old:
            pieces.append(text[position:token.start])
            pieces.append(token_text(kind, new, token.year))
            position = token.end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


# -- containers ------------------------------------------------------------------------------------

_FENCE_RE = re.compile(r"(?P<indent>[ ]{0,3})(?P<colons>:{3,})(?P<params>[^\n]*)\Z")
_CLOSE_RE = re.compile(r"[ ]{0,3}(?P<colons>:{3,})[ \t]*\Z")
_CODE_FENCE_RE = re.compile(r"[ ]{0,3}(?P<fence>(?P<char>[`~])(?P=char){2,})")


@dataclass(frozen=True)
class ContainerFence:
    """An opening `:::` line: its colons, kind and the arguments after the kind (a case title)."""

    colons: int
    kind: str
    arguments: str


def container_fence(line: str) -> ContainerFence | None:
    """The opening fence a line is (`::: case Our title`), or None. As markdown-it's container
    plugin reads it: three or more colons, then the kind as the first space-separated word."""
    match = _FENCE_RE.match(line.rstrip("\r\n"))
    if match is None:
        return None
    params = match.group("params").strip()
    kind, _, arguments = params.partition(" ")
    if kind not in CONTAINER_KINDS:
        return None
    return ContainerFence(len(match.group("colons")), kind, arguments.strip())


def is_container_close(line: str, colons: int = 3) -> bool:
    """Whether a line closes a container opened with `colons` colons (as many or more, alone)."""
    match = _CLOSE_RE.match(line.rstrip("\r\n"))
    return match is not None and len(match.group("colons")) >= colons


@dataclass(frozen=True)
class ContainerBlock:
    """A `::: kind …` … `:::` block. Spans are character offsets in the text, lines without their
    line ending; close is None for a container left open, which runs to the end of the text (or of the
    container it is in)."""

    kind: str
    arguments: str
    open_start: int
    open_end: int
    content_start: int
    content_end: int
    close_start: int | None
    close_end: int | None
    depth: int = 0  # 0 for a container at the top, 1 inside another one …


_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|[\r\n])|[^\r\n]+\Z")


def find_containers(text: str) -> list[ContainerBlock]:
    """Every container block of text in document order (outer before inner). Containers inside
    fenced code are code; one inside another closes at the first fence long enough to close it."""
    lines: list[tuple[int, str]] = []
    offset = 0
    for match in _LINE_RE.finditer(text):
        lines.append((offset, match.group(0)))
        offset = match.end()
    found: list[ContainerBlock] = []
    _containers_in(lines, 0, len(lines), len(text), 0, found)
    return found


def _containers_in(lines: list[tuple[int, str]], first: int, last: int, end_offset: int, depth: int,
                   found: list[ContainerBlock]) -> None:
    i = first
    while i < last:
        offset, line = lines[i]
        content = line.rstrip("\r\n")
        code = _CODE_FENCE_RE.match(content)
        if code is not None:  # skip to the closing code fence
            fence = code.group("fence")
            i += 1
            while i < last and not re.match(rf"[ ]{{0,3}}{re.escape(fence)}{re.escape(fence[0])}*[ \t]*\Z",
                                            lines[i][1].rstrip("\r\n")):
                i += 1
            i += 1
            continue
        fence = container_fence(content)
        if fence is None:
            i += 1
            continue
        close = i + 1
        while close < last and not is_container_close(lines[close][1], fence.colons):
            close += 1
        content_start = offset + len(line)
        if close < last:
            close_offset, close_line = lines[close]
            block = ContainerBlock(fence.kind, fence.arguments, offset, offset + len(content), content_start,
                                   close_offset, close_offset, close_offset + len(close_line.rstrip("\r\n")), depth)
        else:
            block = ContainerBlock(fence.kind, fence.arguments, offset, offset + len(content), content_start,
                                   end_offset, None, None, depth)
        found.append(block)
        _containers_in(lines, i + 1, close, block.content_end, depth + 1, found)
        i = close + 1

