"""Section text (Markdown) to HTML blocks.

markdown-it-py with raw HTML disabled, plus tables, footnotes and the esg-author extensions:
`[[kpi:ID]]`, `[[kpi:ID@YEAR]]` and `[[ref:SECTION-ID]]` inline; `[[table:ID]]` and
`[[index:FRAMEWORK]]` alone on their line become blocks the template renders from data;
`::: case|highlights|signature|note` containers; an image alone in a paragraph becomes a figure.
The token grammar is core/model/tokens.py's, so the checks and the translation segments see the
same tokens; a malformed `[[…]]` is marked and reported like an unresolved one.

What a token means is decided by a TokenResolver supplied by the caller, so this module knows
nothing about projects; unresolved tokens are rendered as visible markers and reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any, Protocol

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from esg_author.core.i18n.catalogs import N_
from esg_author.core.model.tokens import (
    ANY_TOKEN_RE,
    CONTAINER_KINDS,
    ID_PATTERN,
    MalformedToken,
    TextToken,
    block_token_of_line,
    parse_token,
    scan_tokens,
)

CONTAINERS = CONTAINER_KINDS
_BLOCK_MARKER = "\x00esg-block:{kind}:{arg}:{start}:{end}\x00"
_BLOCK_SPLIT_RE = re.compile(f"\x00esg-block:(table|index):({ID_PATTERN}):(-1|\\d+):(-1|\\d+)\x00")


class TokenResolver(Protocol):
    """Turns esg-author tokens into HTML for one section in one language."""

    def kpi_html(self, kpi_id: str, year: int | None) -> str | None: ...

    def ref_html(self, section_id: str) -> str | None: ...

    def asset_url(self, name: str) -> str | None: ...

    def container_title(self, kind: str, title: str) -> str: ...


@dataclass(frozen=True)
class Block:
    """A piece of a rendered section: HTML, or a KPI table / content index to render from data.
    start/end: the character span of a table or index token in the section text."""

    kind: str  # "html" | "table" | "index"
    html: str = ""
    ref: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class TokenProblem:
    """A token (or image) that cannot be printed. message is the English text; template and
    params are the same as a translatable message; start/end its span in the section text."""

    kind: str  # "kpi" | "ref" | "table" | "index" | "asset" | "token" (a malformed [[…]])
    target: str  # the id, the image source, or the malformed token as written
    message: str
    template: str = ""
    params: Mapping[str, str | int] = field(default_factory=dict)
    start: int | None = None
    end: int | None = None

    @property
    def rule(self) -> str:
        return f"token.{self.kind}"


def _problem(kind: str, target: str, template: str, params: dict[str, str | int],
             span: tuple[int, int] | None) -> TokenProblem:
    start, end = span if span is not None else (None, None)
    return TokenProblem(kind, target, template.format(**params), template, params, start, end)


MALFORMED_MESSAGES = {
    "shape": N_("{token} is not a token: write [[kpi:ID]], [[kpi:ID@YEAR]], [[ref:ID]], [[table:ID]] or "
                "[[index:FRAMEWORK]]"),
    "kind": N_("{token} is not a token: “{kind}” is not one of kpi, ref, table and index"),
    "id": N_("{token} is not a token: “{id}” is not a valid id (a letter first, then letters, digits, _ and -, "
             "in parts separated by single dots)"),
    "year": N_("{token} is not a token: a year has four digits, as in [[kpi:ID@2024]]"),
    "year-not-kpi": N_("{token} is not a token: only a [[kpi:…]] token takes a year"),
}


def malformed_problem(token: MalformedToken) -> TokenProblem:
    """The problem to report for a malformed token (the span is the one in the text scanned)."""
    params: dict[str, str | int] = {"token": token.text, "kind": token.kind, "id": token.target}
    params = {name: value for name, value in params.items() if "{" + name + "}" in MALFORMED_MESSAGES[token.problem]}
    return _problem("token", token.text, MALFORMED_MESSAGES[token.problem], params, (token.start, token.end))


def _esg_token_rule(state: StateInline, silent: bool) -> bool:
    """Any [[…]]: a token, or a malformed one to mark (escaped \\[[ never reaches here)."""
    if not state.src.startswith("[[", state.pos):
        return False
    match = ANY_TOKEN_RE.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("esg_token", "", 0)
        token.meta = {"token": parse_token(match.group(0))}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _esg_block_rule(state: StateBlock, start_line: int, _end_line: int, silent: bool) -> bool:
    """[[table:…]] or [[index:…]] alone on its line is a block, also right after a paragraph line.
    "Alone" means on the whole line: after a list marker or a quote's ">" it is an inline token."""
    if state.is_code_block(start_line):
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    line = state.src[begin:state.eMarks[start_line]]
    if not line.startswith("[["):
        return False
    if state.src[state.src.rfind("\n", 0, begin) + 1:begin].strip():
        return False
    token = block_token_of_line(line)
    if token is None:
        return False
    if silent:
        return True
    state.line = start_line + 1
    block = state.push("esg_block", "", 0)
    block.map = [start_line, state.line]
    block.meta = {"kind": token.kind, "arg": token.target}
    block.content = line.strip()
    return True


def _promote_figures(state: Any) -> None:
    """A paragraph holding only an image becomes a figure."""
    tokens: list[Token] = state.tokens
    result: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (token.type == "paragraph_open" and i + 2 < len(tokens)
                and tokens[i + 1].type == "inline" and tokens[i + 2].type == "paragraph_close"):
            children = [c for c in (tokens[i + 1].children or [])
                        if not (c.type == "text" and not c.content.strip()) and c.type != "softbreak"]
            if len(children) == 1 and children[0].type == "image":
                figure = Token("esg_figure", "", 0)
                figure.attrs = dict(children[0].attrs)
                figure.content = children[0].content
                figure.children = children[0].children
                figure.meta = dict(children[0].meta)
                result.append(figure)
                i += 3
                continue
        result.append(token)
        i += 1
    state.tokens = result


class SectionMarkdown:
    """A configured Markdown renderer; one instance serves every section of a build."""

    def __init__(self) -> None:
        md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        md.enable(["table", "strikethrough"])
        md.use(footnote_plugin)
        for name in CONTAINERS:
            md.use(container_plugin, name=name, render=_container_renderer(name))
        md.inline.ruler.before("link", "esg_token", _esg_token_rule)
        md.block.ruler.before("lheading", "esg_block", _esg_block_rule,
                              {"alt": ["paragraph", "reference", "blockquote", "list"]})
        md.core.ruler.push("esg_spans", _locate_tokens)
        md.core.ruler.push("esg_figures", _promote_figures)
        # Render rules are plain functions: markdown-it binds them to its renderer.
        md.add_render_rule("esg_token", _render_token)
        md.add_render_rule("esg_block", _render_block)
        md.add_render_rule("esg_figure", _render_figure)
        md.add_render_rule("image", _render_image)
        md.add_render_rule("table_open", _render_table_open)
        md.add_render_rule("table_close", _render_table_close)
        md.add_render_rule("footnote_anchor", _render_footnote_backref)
        md.validateLink = _validate_link  # type: ignore[method-assign]
        self.md = md

    def render(self, text: str, resolver: TokenResolver, doc_id: str) -> tuple[list[Block], list[TokenProblem]]:
        """Render one section's text; returns its blocks and the problems found on the way."""
        env: dict[str, Any] = {"docId": doc_id, "resolver": resolver, "problems": [], "source": text}
        html = self.md.render(text, env)
        return _split_blocks(html), env["problems"]


# -- spans: where in the section text each token and image is ---------------------------------

_LINE_END_RE = re.compile(r"\r\n|\r|\n")


def _locate_tokens(state: Any) -> None:
    """Give each token, block and image the character span it has in the text as written.

    markdown-it knows the lines of a block (map) but not the columns of inline content, so the
    tokens of a block's lines are scanned with the shared grammar and matched in order; the lines
    are those of the original text (markdown-it counts \\r\\n as one line end, as we do).
    """
    text: str = state.env.get("source", state.src)
    starts = [0] + [m.end() for m in _LINE_END_RE.finditer(text)]
    starts.append(len(text))
    scanned: dict[tuple[int, int], tuple[list[TextToken | MalformedToken], list[int]]] = {}

    def line_span(lines: list[int]) -> tuple[int, int]:
        first, last = lines[0], min(lines[1], len(starts) - 1)
        return starts[min(first, len(starts) - 1)], starts[last]

    for block in state.tokens:
        if not block.map:
            continue
        key = (block.map[0], block.map[1])
        lo, hi = line_span(block.map)
        if block.type == "esg_block":
            found = next((t for t in scan_tokens(text[lo:hi]) if isinstance(t, TextToken)), None)
            block.meta["span"] = (lo + found.start, lo + found.end) if found else None
            continue
        if block.type != "inline" or not block.children:
            continue
        if key not in scanned:  # the cells of a table row share their line: one cursor for all
            scanned[key] = (scan_tokens(text[lo:hi]), [0])
        candidates, cursor = scanned[key]
        for child in block.children:
            if child.type == "esg_token":
                for i in range(cursor[0], len(candidates)):
                    if candidates[i].text == child.content:
                        child.meta["span"] = (lo + candidates[i].start, lo + candidates[i].end)
                        cursor[0] = i + 1
                        break
            elif child.type == "image":
                child.meta["span"] = (lo, lo + len(text[lo:hi].rstrip("\r\n")))

# -- render rules: (renderer, tokens, idx, options, env) ---------------------------------

def _validate_link(url: str) -> bool:
    # Links to the web and mailto are fine in text; javascript: and data: never are.
    lowered = url.strip().lower()
    return not (lowered.startswith("javascript:") or lowered.startswith("vbscript:")
                or lowered.startswith("data:") or lowered.startswith("file:"))

def _render_token(_r: Any, tokens: Sequence[Token], idx: int, _o: Any, env: dict[str, Any]) -> str:
    token: TextToken | MalformedToken = tokens[idx].meta["token"]
    span = tokens[idx].meta.get("span")
    resolver: TokenResolver = env["resolver"]
    html: str | None = None
    if isinstance(token, MalformedToken):
        problem = malformed_problem(token)
        if span is not None:
            problem = TokenProblem(problem.kind, problem.target, problem.message, problem.template, problem.params,
                                   *span)
    elif token.kind == "kpi":
        html = resolver.kpi_html(token.target, token.year)
        if token.year is not None and resolver.kpi_html(token.target, None) is not None:
            problem = _problem("kpi", token.target, N_("KPI {kpi} has no value for {year}"),
                               {"kpi": token.target, "year": token.year}, span)
        else:
            problem = _problem("kpi", token.target, N_("[[kpi:{kpi}]] cannot be printed: the project has no such KPI, "
                                                       "or it has no value for the report year"),
                               {"kpi": token.target}, span)
    elif token.kind == "ref":
        html = resolver.ref_html(token.target)
        problem = _problem("ref", token.target, N_("[[ref:{section}]] names a section the project does not have"),
                           {"section": token.target}, span)
    else:
        problem = _problem(token.kind, token.target, N_("{token} must stand alone on its own line"),
                           {"token": token.text}, span)
    if html is None:
        env["problems"].append(problem)
        return f'<span class="unresolved" title="{escape(problem.message)}">{escape(tokens[idx].content)}</span>'
    return html

def _render_block(_r: Any, tokens: Sequence[Token], idx: int, _o: Any, _env: Any) -> str:
    meta = tokens[idx].meta
    start, end = meta.get("span") or (-1, -1)
    return _BLOCK_MARKER.format(kind=meta["kind"], arg=meta["arg"], start=start, end=end)

def _render_figure(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    caption = renderer.renderInline(token.children or [], options, env) if token.children else ""
    src = _image_src(str(token.attrs.get("src", "")), env, token.meta.get("span"))
    if src is None:
        return f'<p><span class="unresolved">{escape(str(token.attrs.get("src", "")))}</span></p>\n'
    alt = escape(renderer.renderInlineAsText(token.children or [], options, env), quote=True)
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img src="{escape(src, quote=True)}" alt="{alt}">{caption_html}</figure>\n'

def _render_image(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    src = _image_src(str(token.attrs.get("src", "")), env, (token.meta or {}).get("span"))
    if src is None:
        return f'<span class="unresolved">{escape(str(token.attrs.get("src", "")))}</span>'
    alt = escape(renderer.renderInlineAsText(token.children or [], options, env), quote=True)
    return f'<img class="inline" src="{escape(src, quote=True)}" alt="{alt}">'

def _image_src(src: str, env: dict[str, Any], span: tuple[int, int] | None = None) -> str | None:
    """Images come from the project's own assets only ("asset:name"); anything else is refused.
    span: the lines of the paragraph holding the image (markdown-it keeps no columns for it)."""
    if src.startswith("asset:"):
        url = env["resolver"].asset_url(src.removeprefix("asset:"))
        if url is None:
            env["problems"].append(_problem("asset", src, N_("the image {image} is not one of the project's assets"),
                                            {"image": src}, span))
        return url
    env["problems"].append(_problem("asset", src, N_("the image {image} must be a project asset (asset:NAME)"),
                                    {"image": src}, span))
    return None

def _render_table_open(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, _env: Any) -> str:
    # The wrapper lets a wide table scroll sideways on a phone instead of widening the page.
    tokens[idx].attrJoin("class", "text-table")
    return '<div class="table-scroll">' + renderer.renderToken(tokens, idx, options, _env)


def _render_table_close(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, _env: Any) -> str:
    return renderer.renderToken(tokens, idx, options, _env) + "</div>\n"


def _render_footnote_backref(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # The plugin's ↩︎ is in none of the template fonts; ↑ is in the CJK ones.
    ident = renderer.rules["footnote_anchor_name"](tokens, idx, options, env)
    if tokens[idx].meta["subId"] > 0:
        ident += f":{tokens[idx].meta['subId']}"
    return f' <a href="#fnref{ident}" class="footnote-backref">↑</a>'


def _container_renderer(kind: str) -> Any:
    """Render rule for one `::: kind` container; a case box has a title row and a body."""

    def render(_r: Any, tokens: Sequence[Token], idx: int, _options: Any, env: Any) -> str:
        token = tokens[idx]
        if token.nesting != 1:
            return "</div></div>\n" if kind == "case" else "</div>\n"
        if kind == "case":
            title = token.info.strip().partition(" ")[2].strip()
            label = env["resolver"].container_title("case", title)
            return f'<div class="case"><div class="case-title">{label}</div><div class="case-body">\n'
        return f'<div class="{kind}">\n'

    return render


def _split_blocks(html: str) -> list[Block]:
    blocks: list[Block] = []
    position = 0
    for match in _BLOCK_SPLIT_RE.finditer(html):
        if html[position:match.start()].strip():
            blocks.append(Block("html", html[position:match.start()]))
        start, end = int(match.group(3)), int(match.group(4))
        blocks.append(Block(match.group(1), ref=match.group(2), start=None if start < 0 else start,
                            end=None if end < 0 else end))
        position = match.end()
    if html[position:].strip():
        blocks.append(Block("html", html[position:]))
    return blocks
