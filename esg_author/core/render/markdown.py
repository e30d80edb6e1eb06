"""Section text (Markdown) to HTML blocks.

markdown-it-py with raw HTML disabled, plus tables, footnotes and the esg-author extensions:
`[[kpi:ID]]`, `[[kpi:ID@YEAR]]` and `[[ref:SECTION-ID]]` inline; `[[table:ID]]` and
`[[index:FRAMEWORK]]` alone in a paragraph become blocks the template renders from data;
`::: case|highlights|signature|note` containers; an image alone in a paragraph becomes a figure.

What a token means is decided by a TokenResolver supplied by the caller, so this module knows
nothing about projects; unresolved tokens are rendered as visible markers and reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, Protocol

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

TOKEN_RE = re.compile(r"\[\[(kpi|ref|table|index):([A-Za-z0-9_.\-]+)(?:@(\d{4}))?\]\]")
BLOCK_KINDS = ("table", "index")
CONTAINERS = ("case", "highlights", "signature", "note")
_BLOCK_MARKER = "\x00esg-block:{kind}:{arg}\x00"
_BLOCK_SPLIT_RE = re.compile("\x00esg-block:(table|index):([A-Za-z0-9_.\\-]+)\x00")


class TokenResolver(Protocol):
    """Turns esg-author tokens into HTML for one section in one language."""

    def kpi_html(self, kpi_id: str, year: int | None) -> str | None: ...

    def ref_html(self, section_id: str) -> str | None: ...

    def asset_url(self, name: str) -> str | None: ...

    def container_title(self, kind: str, title: str) -> str: ...


@dataclass(frozen=True)
class Block:
    """A piece of a rendered section: HTML, or a KPI table / content index to render from data."""

    kind: str  # "html" | "table" | "index"
    html: str = ""
    ref: str = ""


@dataclass(frozen=True)
class TokenProblem:
    kind: str  # "kpi" | "ref" | "table" | "index" | "asset" | "token"
    target: str
    message: str


def _esg_token_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = TOKEN_RE.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("esg_token", "", 0)
        token.meta = {"kind": match.group(1), "arg": match.group(2),
                      "year": int(match.group(3)) if match.group(3) else None}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _promote_blocks_and_figures(state: Any) -> None:
    """A paragraph holding only [[table:…]]/[[index:…]] or only an image becomes one block token."""
    tokens: list[Token] = state.tokens
    result: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (token.type == "paragraph_open" and i + 2 < len(tokens)
                and tokens[i + 1].type == "inline" and tokens[i + 2].type == "paragraph_close"):
            children = [c for c in (tokens[i + 1].children or [])
                        if not (c.type == "text" and not c.content.strip()) and c.type != "softbreak"]
            if len(children) == 1 and children[0].type == "esg_token" and children[0].meta["kind"] in BLOCK_KINDS:
                block = Token("esg_block", "", 0)
                block.meta = children[0].meta
                result.append(block)
                i += 3
                continue
            if len(children) == 1 and children[0].type == "image":
                figure = Token("esg_figure", "", 0)
                figure.attrs = dict(children[0].attrs)
                figure.content = children[0].content
                figure.children = children[0].children
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
        md.core.ruler.push("esg_blocks", _promote_blocks_and_figures)
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
        env: dict[str, Any] = {"docId": doc_id, "resolver": resolver, "problems": []}
        html = self.md.render(text, env)
        return _split_blocks(html), env["problems"]

# -- render rules: (renderer, tokens, idx, options, env) ---------------------------------

def _validate_link(url: str) -> bool:
    # Links to the web and mailto are fine in text; javascript: and data: never are.
    lowered = url.strip().lower()
    return not (lowered.startswith("javascript:") or lowered.startswith("vbscript:")
                or lowered.startswith("data:") or lowered.startswith("file:"))

def _render_token(_r: Any, tokens: Sequence[Token], idx: int, _o: Any, env: dict[str, Any]) -> str:
    meta = tokens[idx].meta
    resolver: TokenResolver = env["resolver"]
    kind, arg, year = meta["kind"], meta["arg"], meta["year"]
    html: str | None = None
    if kind == "kpi":
        html = resolver.kpi_html(arg, year)
        message = f"unknown KPI {arg!r}" if html is None else ""
    elif kind == "ref":
        html = resolver.ref_html(arg)
        message = f"reference to a section that does not exist: {arg!r}"
    else:
        message = f"[[{kind}:{arg}]] must stand alone in its own paragraph"
    if html is None:
        if kind == "kpi" and year is not None:
            message = f"KPI {arg!r} has no value for {year}" if resolver.kpi_html(arg, None) else message
        env["problems"].append(TokenProblem(kind, arg, message))
        return f'<span class="unresolved" title="{escape(message)}">{escape(tokens[idx].content)}</span>'
    return html

def _render_block(_r: Any, tokens: Sequence[Token], idx: int, _o: Any, _env: Any) -> str:
    meta = tokens[idx].meta
    return _BLOCK_MARKER.format(kind=meta["kind"], arg=meta["arg"])

def _render_figure(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    caption = renderer.renderInline(token.children or [], options, env) if token.children else ""
    src = _image_src(str(token.attrs.get("src", "")), env)
    if src is None:
        return f'<p><span class="unresolved">{escape(str(token.attrs.get("src", "")))}</span></p>\n'
    alt = escape(renderer.renderInlineAsText(token.children or [], options, env), quote=True)
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img src="{escape(src, quote=True)}" alt="{alt}">{caption_html}</figure>\n'

def _render_image(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    src = _image_src(str(token.attrs.get("src", "")), env)
    if src is None:
        return f'<span class="unresolved">{escape(str(token.attrs.get("src", "")))}</span>'
    alt = escape(renderer.renderInlineAsText(token.children or [], options, env), quote=True)
    return f'<img class="inline" src="{escape(src, quote=True)}" alt="{alt}">'

def _image_src(src: str, env: dict[str, Any]) -> str | None:
    """Images come from the project's own assets only ("asset:name"); anything else is refused."""
    if src.startswith("asset:"):
        url = env["resolver"].asset_url(src.removeprefix("asset:"))
        if url is None:
            env["problems"].append(TokenProblem("asset", src, f"image {src!r} is not in the project"))
        return url
    env["problems"].append(
        TokenProblem("asset", src, f"image {src!r} must be a project asset (asset:NAME)"))
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
        blocks.append(Block(match.group(1), ref=match.group(2)))
        position = match.end()
    if html[position:].strip():
        blocks.append(Block("html", html[position:]))
    return blocks
