"""Markdown → QTextDocument → Markdown keeps what every section of the demo means, in every
language, and gives back the very same text where nobody edited it."""

from __future__ import annotations

from html import escape

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument

from esg_author.core.render.markdown import SectionMarkdown
from esg_author.gui.markdown_reader import MarkdownReader
from esg_author.gui.markdown_writer import MarkdownWriter

_RENDERER = SectionMarkdown()


class EchoResolver:
    """Renders each token as exactly what it names, so two texts render alike only if their
    tokens are the same (a project's resolver may print two different tokens alike)."""

    def kpi_html(self, kpi_id: str, year: int | None) -> str:
        return f"<kpi {escape(kpi_id)} {year}>"

    def ref_html(self, section_id: str) -> str:
        return f"<ref {escape(section_id)}>"

    def asset_url(self, name: str) -> str:
        return f"asset/{name}"

    def container_title(self, kind: str, title: str) -> str:
        return escape(f"{kind}:{title}")


def rendered(text: str) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    blocks, problems = _RENDERER.render(text, EchoResolver(), doc_id="s")
    return [(b.kind, b.html, b.ref) for b in blocks], [(p.kind, p.target, p.message) for p in problems]


def meaning(text: str) -> list[tuple[object, ...]]:
    """The parse without how it was written: no markers, line numbers or character spans."""
    result: list[tuple[object, ...]] = []
    for token in _RENDERER.md.parse(text):
        for item in [token, *(token.children or [])]:
            meta = sorted((k, str(v)) for k, v in (item.meta or {}).items() if k in ("label", "kind", "arg"))
            content = item.content if item.children is None or item.type == "esg_token" else ""
            info = item.info.strip() if item.type == "fence" or item.type.startswith("container_") else ""
            result.append((item.type, item.tag, item.nesting, sorted(item.attrs.items()), content, info, meta,
                           item.hidden))
    return result


def round_trip(text: str, use_originals: bool) -> str:
    document = QTextDocument()
    MarkdownReader().read(text, document)
    return MarkdownWriter(use_originals=use_originals).document_markdown(document)


def demo_bodies(project) -> list[tuple[str, str, str]]:
    return [(section.id, lang, text.body) for section in project.sections for lang, text in section.texts.items()]


def test_every_demo_section_survives_the_round_trip(qapp, demo_project):
    bodies = demo_bodies(demo_project)
    assert len(bodies) >= 100
    identical = canonical_identical = 0
    for section_id, lang, body in bodies:
        kept = round_trip(body, use_originals=True)
        canonical = round_trip(body, use_originals=False)
        for out in (kept, canonical):
            assert rendered(out) == rendered(body), (section_id, lang)
            assert meaning(out) == meaning(body), (section_id, lang)
        identical += kept == body
        canonical_identical += canonical == body
    # Unedited text is written back byte for byte, so no translation goes stale by opening it.
    assert identical == len(bodies)
    assert canonical_identical > 0


def test_an_edit_rewrites_only_its_own_paragraph(qapp, demo_project):
    body = demo_project.section("materiality").text("zh-Hant").body
    document = QTextDocument()
    MarkdownReader().read(body, document)
    cursor = QTextCursor(document)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.insertText("（已更新）")
    out = MarkdownWriter().document_markdown(document)
    first, rest = body.split("\n", 1)
    assert out == first + "（已更新）\n" + rest


CASES = {
    "nested emphasis": "*it **both** it*\n\n**bold *both***\n",
    "escapes": "a\\\\b \\* \\_ \\[x\\] \\# \\> \\` \\~ \\|\n",
    "line starts": "\\# no\n\n\\- no\n\n1\\. no\n\n\\> no\n\n\\+ no\n\n2025\\. year\n\ntext\n\\:::\n",
    "entities": "\\&copy; and &copy; and &#30340;\n",
    "code spans": "`` a`b `` and ` `` ` and `x`\n",
    "links": "[a](<x y>) [b](x(1)) [c](http://e.com \"t \\\"q\\\"\") <https://e.com/?a=b> <me@example.com>\n",
    "nested lists": "1. one\n   - two\n     - three\n2. four\n\n3) start\n4) next\n",
    "loose list": "- a\n\n  more a\n\n- b\n",
    "markers": "+ plus\n+ list\n\n* star\n- a\n* b\n\n1. c\n",
    "empty item": "- a\n-\n- c\n",
    "quote": "> quoted\n> - item\n>\n> para\n\n> > inner\n",
    "nested boxes": ":::: case Outer\nouter text\n\n::: note\ninner\n:::\n::::\n",
    "boxes": "::: case\nbody\n:::\n\n::: signature\nChen Siyuan\nChairman\n:::\n\n::: note\nopen to the end\n",
    "highlights": "::: highlights\n- [[kpi:a]] label\n- [[kpi:b@2024]] other\n:::\n",
    "code and rules": "```python\nx = 1\n\ny = 2\n```\n\n---\n\n    indented\n",
    "table": "| a | b | c |\n|:--|:-:|--:|\n| x \\| y | `c` | **b** |\n| | empty | |\n",
    "breaks": "one  \ntwo\\\nthree\nfour\n",
    "footnotes": "A[^n] and B[^n] and C[^2].\n\n[^n]: First\n\n    second para\n\n[^2]: Two\n\n[^unused]: never\n",
    "footnote in a box": "::: note\nsee[^1]\n:::\n\n[^1]: note def\n",
    "images": "text ![alt *x*](asset:a.png) more\n\n![](asset:a.png)\n\n![Cap **b**](asset:x.svg \"tt\")\n",
    "chinese emphasis": "**議題識別**：參考「持份者」。**「強調」**\n",
    "tokens": "**[[kpi:x]]** and *[[ref:y]]* [[foo]] [[kpi:bad id]] [[ref:x@2024]]\n\ntext\n[[table:t]]\n\n[[index:gri-2021]]\n",
    "headings": "Title\n=====\n\n# h1\n\n###### h6\n\n#### trailing \\#\n\n#### **bold** head\n",
    "underscores and stars": "_em_ and __strong__ and snake_case_id 2*3*4 and a * b\n",
    "strike, pipes, tildes": "~~gone~~ and ~single~ a | b ~ c\n",
    "no html": "<b>x</b> and a < b and <!-- c -->\n",
    "reference link": "[a][r] text\n\n[r]: http://x\n",
    "list holding a table": "- item\n\n  | a |\n  |---|\n  | b |\n",
    "spaces": "a\tb and a\u00a0b &nbsp; c\n",
    "line separator typed": "a\u2028b\n",
    "empty": "",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_markdown_constructs_survive_the_round_trip(qapp, text):
    for use_originals in (True, False):
        out = round_trip(text, use_originals)
        assert meaning(out) == meaning(text)
        assert rendered(out) == rendered(text)
        assert round_trip(out, use_originals=False) == round_trip(text, use_originals=False)  # stable
