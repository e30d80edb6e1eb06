"""Cutting section text into translation segments and inline codes."""

from __future__ import annotations

import pytest

from esg_author.core.i18n.segments import (
    InlineCode,
    compare_codes,
    inline_parts,
    is_translatable,
    split_body,
)

BODY = """第一段，員工[[kpi:emp.total]]人。
第二行同一段。

#### 小標題

- **使命**：以可信科技。
- 詳見[[ref:about]]及[網站](https://www.example.com/esg)。

| 項目 | 2025 |
|---|---|
| 僱員 | [[kpi:emp.total]] |

[[table:env-emissions]]

::: case 「廉潔月」活動
案例正文。
:::

[^1]: 註釋文字。
"""


def test_split_keeps_every_character_and_finds_the_segments():
    body = split_body(BODY)
    assert body.text() == BODY
    kinds = [(s.kind, s.text) for s in body.segments]
    assert kinds == [
        ("paragraph", "第一段，員工[[kpi:emp.total]]人。\n第二行同一段。"),
        ("heading", "小標題"),
        ("item", "**使命**：以可信科技。"),
        ("item", "詳見[[ref:about]]及[網站](https://www.example.com/esg)。"),
        ("cell", "項目"),
        ("cell", "僱員"),
        ("case-title", "「廉潔月」活動"),
        ("paragraph", "案例正文。"),
        ("footnote", "註釋文字。"),
    ]
    structure = "".join(p for p in body.parts if isinstance(p, str))
    assert "[[table:env-emissions]]" in structure and "|---|---|" in structure and "::: case " in structure


def test_assemble_replaces_segments_and_keeps_structure():
    body = split_body(BODY)
    translated = body.assemble({s.index: f"T{s.index}" for s in body.segments})
    again = split_body(translated)
    assert again.structure() == body.structure()
    assert "| T5 | [[kpi:emp.total]] |" in translated and "::: case T6\n" in translated


def test_inline_codes_pair_markup_and_keep_tokens_urls_and_emails():
    parts = inline_parts("**粗體**見[[kpi:a@2024]]與[連結](https://x.org/a_(b))，電郵 a.b@example.com、`code`")
    codes = [p for p in parts if isinstance(p, InlineCode)]
    assert [(c.kind, c.text) for c in codes] == [
        ("open", "**"), ("close", "**"), ("ph", "[[kpi:a@2024]]"), ("open", "["), ("close", "](https://x.org/a_(b))"),
        ("ph", "a.b@example.com"), ("ph", "`code`")]
    assert codes[0].pair == codes[1].pair and codes[3].pair == codes[4].pair
    assert "".join(p if isinstance(p, str) else p.text for p in parts).startswith("**粗體**")


def test_compare_codes_names_missing_and_unexpected_codes():
    source = "共[[kpi:emp.total]]名，見[[ref:env]]"
    assert compare_codes(source, "[[ref:env]] shows [[kpi:emp.total]]") == []
    problems = compare_codes(source, "[[kpi:emp.totl]] and [[ref:env]]")
    assert problems == ["missing or changed `[[kpi:emp.total]]`", "unexpected `[[kpi:emp.totl]]`"]
    # a per-language image is the same code in every language
    assert compare_codes("![圖](asset:m.zh-Hant.svg)", "![Chart](asset:m.en.svg)") == []


@pytest.mark.parametrize("text, expected", [("2025", False), ("[[kpi:x]]", False), ("— 12.5%", False),
                                            ("僱員", True), ("Staff", True)])
def test_numbers_and_tokens_are_not_translatable(text, expected):
    assert is_translatable(text) is expected


def test_demo_translations_have_the_source_structure(demo_project):
    for section in demo_project.sections:
        source = split_body(section.text("zh-Hant").body)
        assert source.text() == section.text("zh-Hant").body
        for lang in ("zh-Hans", "en"):
            assert split_body(section.text(lang).body).structure() == source.structure(), (section.id, lang)


def test_lines_split_only_at_markdown_line_endings():
    from esg_author.core.i18n.segments import split_body

    body = "| a\x0bb | c |\n|---|---|\n| d\u2028e | f |\n"
    plain = split_body(body.replace("\x0b", " ").replace("\u2028", " "))
    odd = split_body(body)
    assert len(odd.segments) == len(plain.segments)  # a Word line break inside a cell is not a new row
