"""Section text cut into translation segments, and the inline codes a translator must keep.

A section body (Markdown, see docs/content-syntax.md) is split into *parts*: structure a
translator never sees (blank lines, list markers, table pipes and separator rows, `:::` lines,
`[[table:…]]`/`[[index:…]]` lines, fenced code) and *segments* to translate (paragraphs, list
items, headings, table cells, quotes, footnote texts, case-box titles). Joining the parts gives
back the body character for character, so a body can be re-assembled from translated segments
with its structure intact.

Inside a segment, esg-author tokens, link and image targets, inline code, URLs, e-mail addresses
and emphasis markers are *inline codes*: exchange formats show them as placeholders (XLIFF) or
list them (PO, XLSX), and an import compares them with the source's.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from esg_author.core.model.tokens import (
    ANY_TOKEN_PATTERN,
    CONTAINER_KINDS,
    block_token_of_line,
    container_fence,
    is_container_close,
)

# -- inline codes ---------------------------------------------------------------------------

# Any [[…]] counts as a token, also a malformed one: a translator must keep it either way.
_INLINE_RE = re.compile(
    rf"(?P<token>{ANY_TOKEN_PATTERN})"
    r"|(?P<code>(?P<ticks>`+).+?(?P=ticks))"
    r"|(?P<fnref>\[\^[^\]\s]+\])"
    r"|(?P<autolink><(?:https?://|mailto:)[^<>\s]+>|<[\w.+-]+@[\w-]+(?:\.[\w-]+)+>)"
    r"|(?P<linkend>\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\))"
    r"|(?P<imgopen>!\[)"
    r"|(?P<linkopen>\[)"
    r"|(?P<url>(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+[A-Za-z0-9/_\-#=])"
    r"|(?P<email>[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)"
    r"|(?P<escape>\\[\\`*_{}\[\]()#+\-.!|~<>])"
    r"|(?P<marker>\*\*|~~|\*)"
)

_STANDALONE = ("token", "code", "fnref", "autolink", "url", "email", "escape")


@dataclass(frozen=True)
class InlineCode:
    """A piece of markup inside a segment. kind: "ph" (standalone), "open" or "close" (a pair)."""

    id: int
    kind: str
    text: str
    pair: int | None = None  # the id shared by an open/close pair


Inline = list[str | InlineCode]


def inline_parts(text: str) -> Inline:
    """A segment's text as plain-text runs and inline codes, in order."""
    parts: Inline = []
    position = 0
    next_id = 1
    open_stack: list[tuple[str, int, int]] = []  # (marker or "[", index in parts, pair id)
    for match in _INLINE_RE.finditer(text):
        if match.start() > position:
            parts.append(text[position:match.start()])
        kind = match.lastgroup or ""
        if kind == "ticks":
            kind = "code"
        value = match.group(0)
        if kind in _STANDALONE:
            parts.append(InlineCode(next_id, "ph", value))
            next_id += 1
        elif kind in ("imgopen", "linkopen"):
            open_stack.append(("[", len(parts), next_id))
            parts.append(InlineCode(next_id, "open", value, next_id))
            next_id += 1
        elif kind == "linkend":
            opener = next((entry for entry in reversed(open_stack) if entry[0] == "["), None)
            if opener is None:
                parts.append(InlineCode(next_id, "ph", value))
            else:
                open_stack.remove(opener)
                parts.append(InlineCode(next_id, "close", value, opener[2]))
            next_id += 1
        else:  # emphasis marker: the same marker opens and closes
            opener = next((entry for entry in reversed(open_stack) if entry[0] == value), None)
            if opener is None:
                open_stack.append((value, len(parts), next_id))
                parts.append(InlineCode(next_id, "open", value, next_id))
            else:
                open_stack.remove(opener)
                parts.append(InlineCode(next_id, "close", value, opener[2]))
            next_id += 1
        position = match.end()
    if position < len(text):
        parts.append(text[position:])
    # An opener never closed (a lone "[" or "*") is plain punctuation to keep, not a pair.
    for _marker, index, _pair in open_stack:
        code = parts[index]
        assert isinstance(code, InlineCode)
        parts[index] = InlineCode(code.id, "ph", code.text) if code.text != "[" else code.text
    return _merge_text(parts)


def _merge_text(parts: Inline) -> Inline:
    merged: Inline = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return merged


def codes_of(text: str) -> list[InlineCode]:
    return [p for p in inline_parts(text) if isinstance(p, InlineCode)]


# Per-language images (chart.zh-Hant.svg, chart.en.svg) are the same code in every language.
_ASSET_LANG_RE = re.compile(r"(asset:[^)\s\"]*?)\.(zh-Hant|zh-Hans|en)\.")
_ASSET_RE = re.compile(r"asset:([^)\s\"]+)")


def code_texts(text: str) -> Counter[str]:
    """The inline codes of a text as a multiset of their texts (what an import compares)."""
    return Counter(_ASSET_LANG_RE.sub(r"\1.{lang}.", code.text) for code in codes_of(text))


def retarget_assets(text: str, from_lang: str, to_lang: str, assets: Collection[str]) -> str:
    """Point links to per-language images (chart.zh-Hant.svg) at the to_lang copy, if there is one."""
    def swap(match: re.Match[str]) -> str:
        name = match.group(1).replace(f".{from_lang}.", f".{to_lang}.")
        return f"asset:{name}" if name in assets else match.group(0)

    return _ASSET_RE.sub(swap, text)


def code_differences(source: str, target: str) -> tuple[list[str], list[str]]:
    """(codes of the source missing or changed in the translation, codes only the translation
    has), each quoted, with a count when it is more than one: "`[[kpi:a]]` (2×)"."""
    expected, found = code_texts(source), code_texts(target)

    def shown(codes: Counter[str]) -> list[str]:
        return [_quote(text) + (f" ({count}×)" if count > 1 else "") for text, count in sorted(codes.items())]

    return shown(expected - found), shown(found - expected)


def compare_codes(source: str, target: str) -> list[str]:
    """Human-readable differences between the inline codes of a source and its translation."""
    missing, unexpected = code_differences(source, target)
    return [f"missing or changed {code}" for code in missing] + [f"unexpected {code}" for code in unexpected]


def _quote(text: str) -> str:
    return f"`{text}`" if "`" not in text else repr(text)


# Spans OpenCC must never see: tokens, code, link/image targets, URLs, e-mail addresses.
PROTECTED_RE = re.compile(
    r"^(?P<fence>```|~~~)[^\n]*\n.*?^(?P=fence)[ \t]*$"
    rf"|{ANY_TOKEN_PATTERN}"
    r"|(?P<ticks>`+).+?(?P=ticks)"
    r"|\[\^[^\]\s]+\]"
    r"|<(?:https?://|mailto:)[^<>\s]+>|<[\w.+-]+@[\w-]+(?:\.[\w-]+)+>"
    r"|\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
    r"|(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+[A-Za-z0-9/_\-#=]"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
    rf"|^[ ]{{0,3}}:{{3,}}[ \t]*(?:{'|'.join(CONTAINER_KINDS)})?(?=[ \t]|$)",
    re.MULTILINE | re.DOTALL,
)


# -- blocks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One translatable piece of a section body."""

    index: int  # 0-based position among the body's segments
    kind: str  # paragraph | heading | item | cell | quote | footnote | case-title
    text: str


@dataclass(frozen=True)
class SegmentedBody:
    parts: tuple[str | Segment, ...]

    @property
    def segments(self) -> list[Segment]:
        return [p for p in self.parts if isinstance(p, Segment)]

    def structure(self) -> tuple[str, ...]:
        """What must be equal for two bodies to be translations segment by segment."""
        return tuple(p.kind if isinstance(p, Segment) else " ".join(p.split()) for p in self.parts)

    def assemble(self, texts: dict[int, str] | list[str]) -> str:
        """The body with every segment replaced by texts[index] (missing indexes keep theirs)."""
        lookup = dict(enumerate(texts)) if isinstance(texts, list) else texts
        return "".join(p if isinstance(p, str) else lookup.get(p.index, p.text) for p in self.parts)

    def text(self) -> str:
        return self.assemble({})


_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING_RE = re.compile(r"^([ \t]{0,3}#{1,6}[ \t]+)(.*?)([ \t]+#+)?([ \t]*)$")
_ITEM_RE = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)(.*)$")
_QUOTE_RE = re.compile(r"^([ \t]{0,3}>[ \t]?)(.*)$")
_FOOTNOTE_RE = re.compile(r"^(\[\^[^\]]+\]:[ \t]*)(.*)$")
_TABLE_RE = re.compile(r"^[ \t]*\|")
_SEPARATOR_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_RULE_RE = re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_INDENT_RE = re.compile(r"^([ \t]*)(.*)$")


def is_translatable(text: str) -> bool:
    """Whether a piece of text has words in it once codes, numbers and punctuation are removed."""
    plain = "".join(p for p in inline_parts(text) if isinstance(p, str))
    return any(unicodedata.category(ch).startswith("L") for ch in plain)


def split_body(body: str) -> SegmentedBody:
    """Cut a Markdown body into structure and segments (see the module docstring)."""
    builder = _Builder()
    lines = _LINE_RE.findall(body)
    i = 0
    while i < len(lines):
        line = lines[i]
        content, newline = _strip_newline(line)
        if not content.strip() or _RULE_RE.match(content) or block_token_of_line(content):
            builder.structure(line)
        elif _FENCE_RE.match(content):
            fence = _FENCE_RE.match(content).group(1)  # type: ignore[union-attr]
            builder.structure(line)
            i += 1
            while i < len(lines):
                builder.structure(lines[i])
                if lines[i].strip().startswith(fence):
                    break
                i += 1
        elif fence := container_fence(content):
            if fence.kind == "case" and fence.arguments:  # a case box's title is printed: translated
                start = content.index(fence.arguments, content.index(fence.kind) + len(fence.kind))
                end = start + len(fence.arguments)
                builder.structure(content[:start])
                builder.segment("case-title", fence.arguments, content[end:] + newline)
            else:
                builder.structure(line)
        elif is_container_close(content):
            builder.structure(line)
        elif match := _HEADING_RE.match(content):
            builder.structure(match.group(1))
            builder.segment("heading", match.group(2), (match.group(3) or "") + match.group(4) + newline)
        elif _TABLE_RE.match(content):
            if _SEPARATOR_RE.match(content):
                builder.structure(line)
            else:
                _split_table_row(builder, content, newline)
        elif match := _FOOTNOTE_RE.match(content):
            builder.structure(match.group(1))
            i = _paragraph(builder, lines, i, match.group(2) + newline, "footnote")
        elif match := _ITEM_RE.match(content):
            builder.structure(match.group(1))
            i = _paragraph(builder, lines, i, match.group(2) + newline, "item")
        elif match := _QUOTE_RE.match(content):
            builder.structure(match.group(1))
            builder.segment("quote", match.group(2), newline)
        else:
            indent = _INDENT_RE.match(content)
            assert indent is not None
            builder.structure(indent.group(1))
            i = _paragraph(builder, lines, i, indent.group(2) + newline, "paragraph")
        i += 1
    return SegmentedBody(tuple(builder.parts))


# Markdown's line endings only (\n, \r\n, \r): str.splitlines would also split at \x0b, \x0c,
# \u2028 … which the renderer keeps inside a line, so segments would not match the rendered text.
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|[\r\n])|[^\r\n]+$")


def _strip_newline(line: str) -> tuple[str, str]:
    stripped = line.rstrip("\r\n")
    return stripped, line[len(stripped):]


def _starts_block(content: str) -> bool:
    return bool(not content.strip() or _FENCE_RE.match(content) or container_fence(content)
                or is_container_close(content) or _HEADING_RE.match(content) or _TABLE_RE.match(content)
                or _ITEM_RE.match(content) or _QUOTE_RE.match(content) or _FOOTNOTE_RE.match(content)
                or block_token_of_line(content) or _RULE_RE.match(content))


def _paragraph(builder: _Builder, lines: list[str], i: int, first: str, kind: str) -> int:
    """A segment of the first line plus the lines that continue it; returns the last line used."""
    text = first
    while i + 1 < len(lines) and not _starts_block(_strip_newline(lines[i + 1])[0]):
        i += 1
        text += lines[i]
    body, newline = _strip_newline(text)
    trailing = len(body) - len(body.rstrip(" \t"))
    if trailing:  # two trailing spaces are a hard break in Markdown; keep them as structure
        builder.segment(kind, body[:len(body) - trailing], body[len(body) - trailing:] + newline)
    else:
        builder.segment(kind, body, newline)
    return i


def _split_table_row(builder: _Builder, content: str, newline: str) -> None:
    cells = _cell_spans(content)
    position = 0
    for start, end in cells:
        cell = content[start:end]
        stripped = cell.strip()
        lead = len(cell) - len(cell.lstrip())
        if stripped and is_translatable(stripped):
            builder.structure(content[position:start + lead])
            builder.segment("cell", stripped, "")
            position = start + lead + len(stripped)
    builder.structure(content[position:] + newline)


def _cell_spans(row: str) -> list[tuple[int, int]]:
    """(start, end) of each cell between unescaped pipes, ignoring pipes inside code and tokens."""
    spans: list[tuple[int, int]] = []
    start = None
    i = 0
    while i < len(row):
        ch = row[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            close = row.find("`", i + 1)
            i = close + 1 if close > 0 else i + 1
            continue
        if row.startswith("[[", i):
            close = row.find("]]", i)
            i = close + 2 if close > 0 else i + 2
            continue
        if ch == "|":
            if start is not None:
                spans.append((start, i))
            start = i + 1
        i += 1
    if start is not None and row[start:].strip():
        spans.append((start, len(row)))
    return spans


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str | Segment] = []
        self.count = 0

    def structure(self, text: str) -> None:
        if not text:
            return
        if self.parts and isinstance(self.parts[-1], str):
            self.parts[-1] += text
        else:
            self.parts.append(text)

    def segment(self, kind: str, text: str, after: str) -> None:
        if text.strip() and is_translatable(text):
            self.parts.append(Segment(self.count, kind, text))
            self.count += 1
        else:
            self.structure(text)
        self.structure(after)


# -- normalisation and hashes -------------------------------------------------------------------


def normalise(text: str) -> str:
    """The form fingerprints are taken of: NFC, LF line ends, no trailing spaces, no blank runs."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def segment_hash(text: str) -> str:
    """Eight hex digits identifying a source segment's wording (part of the unit id)."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:8]
