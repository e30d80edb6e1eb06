"""The one token grammar: spans, what is and is not a token, containers, ids, writing and renaming."""

from __future__ import annotations

import pytest

from esg_author.core.errors import ModelError
from esg_author.core.model.tokens import (
    MalformedToken,
    TextToken,
    block_token_of_line,
    check_id,
    container_fence,
    find_containers,
    find_malformed_tokens,
    find_tokens,
    is_valid_id,
    rename_target,
    scan_tokens,
    token_text,
)
from esg_author.core.render.markdown import SectionMarkdown


def spans(text: str) -> list[str]:
    return [text[t.start:t.end] for t in scan_tokens(text)]


# -- ids --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["ghg.total", "env-emissions", "energy.solar_pv", "energy.2024", "gri-2021",
                                   "a", "A1.2", "B1.1-2", "x" * 64])
def test_valid_ids(value):
    assert is_valid_id(value)
    assert check_id(value) == value


@pytest.mark.parametrize("value", ["", ".x", "x.", "a..b", "-x", "_x", "9lives", "305-1", "2024", "a b", "a/b",
                                   "a:b", "a@b", "排放", "ｇｈｇ", "x" * 65, None, 12])
def test_invalid_ids(value):
    assert not is_valid_id(value)
    with pytest.raises(ModelError, match="not a valid KPI id"):
        check_id(value, "KPI id")


# -- tokens and their spans ----------------------------------------------------------------------------


def test_spans_are_exact_in_cjk_text():
    text = "本集團僱員共[[kpi:emp.total]]人（2024年：[[kpi:emp.total@2024]]），詳見[[ref:about-scope]]。"
    tokens = find_tokens(text)
    assert [(t.kind, t.target, t.year) for t in tokens] == [
        ("kpi", "emp.total", None), ("kpi", "emp.total", 2024), ("ref", "about-scope", None)]
    assert [text[t.start:t.end] for t in tokens] == ["[[kpi:emp.total]]", "[[kpi:emp.total@2024]]",
                                                     "[[ref:about-scope]]"]
    assert tokens[0].start == len("本集團僱員共")
    assert all(t.text == text[t.start:t.end] for t in tokens)


def test_full_width_brackets_and_colons_are_not_tokens():
    assert scan_tokens("［［kpi:ghg.total］］ and 【【kpi:ghg.total】】") == []
    # ASCII brackets with a full-width colon: a token typed with a Chinese input method, reported
    (token,) = scan_tokens("[[kpi：ghg.total]]")
    assert isinstance(token, MalformedToken) and token.problem == "shape"


@pytest.mark.parametrize(("text", "problem", "kind", "target"), [
    ("[[ghg.total]]", "shape", "", ""),
    ("[[]]", "shape", "", ""),
    ("[[kpis:ghg.total]]", "kind", "kpis", "ghg.total"),
    ("[[ kpi:ghg.total]]", "kind", " kpi", "ghg.total"),
    ("[[KPI:ghg.total]]", "kind", "KPI", "ghg.total"),
    ("[[kpi:]]", "id", "kpi", ""),
    ("[[kpi:ghg total]]", "id", "kpi", "ghg total"),
    ("[[ref:a..b]]", "id", "ref", "a..b"),
    ("[[kpi:排放]]", "id", "kpi", "排放"),
    ("[[ref:2024-review]]", "id", "ref", "2024-review"),
    ("[[kpi:ghg@24]]", "year", "kpi", "ghg"),
    ("[[kpi:ghg@2024@2025]]", "year", "kpi", "ghg"),
    ("[[ref:about@2024]]", "year-not-kpi", "ref", "about"),
    ("[[table:env@2024]]", "year-not-kpi", "table", "env"),
])
def test_malformed_tokens_say_what_is_wrong(text, problem, kind, target):
    (token,) = scan_tokens(f"前文{text}後文")
    assert token == MalformedToken(text, 2, 2 + len(text), problem, kind, target)
    assert find_tokens(text) == [] and find_malformed_tokens(text)[0].problem == problem


def test_adjacent_and_nested_brackets():
    text = "[[kpi:a]][[kpi:b@2023]]x[[ref:c]]"
    assert spans(text) == ["[[kpi:a]]", "[[kpi:b@2023]]", "[[ref:c]]"]
    # a [[ inside a token is no token: the innermost [[…]] is the one read
    assert spans("[[kpi:[[kpi:a]]]]") == ["[[kpi:a]]"]
    assert spans("[[[kpi:a]]]") == ["[[kpi:a]]"]
    # a [[…]] never spans lines
    assert scan_tokens("[[kpi:a\n]]") == []


def test_code_and_escapes_hold_no_tokens():
    text = ("`[[kpi:in.code]]` and ``a ` [[kpi:in.code2]]`` but [[kpi:live]]\n"
            "\\[[kpi:escaped]] \\\\[[kpi:after.backslash]]\n"
            "```markdown\n[[kpi:fenced]]\n```\n"
            "~~~~\n[[kpi:tilde]]\n~~~\n~~~~\n"
            "`` unclosed [[kpi:after.tick]]")
    assert [t.target for t in find_tokens(text)] == ["live", "after.backslash", "after.tick"]
    # a token that starts before a backtick wins over the code span, as in the renderer
    assert spans("[[kpi:`x`]]") == ["[[kpi:`x`]]"]


def test_unclosed_fence_runs_to_the_end():
    assert find_tokens("text [[kpi:a]]\n```\n[[kpi:b]]\n") == [TextToken("kpi", "a", None, 5, 14)]


def test_block_tokens_stand_alone_on_their_line():
    text = "Intro [[table:inline]].\n  [[table:env]]  \n- [[table:in.list]]\n[[index:gri-2021]]"
    tokens = find_tokens(text)
    assert [(t.target, t.alone_on_line, t.is_block) for t in tokens] == [
        ("inline", False, False), ("env", True, True), ("in.list", False, False), ("gri-2021", True, True)]
    assert block_token_of_line("  [[table:env]] \n") == TextToken("table", "env", None, 2, 15, True)
    assert block_token_of_line("[[kpi:a]]") is None  # inline kind
    assert block_token_of_line("[[table:a]] b") is None
    assert block_token_of_line("[[table:a..b]]") is None


# -- writing and renaming ------------------------------------------------------------------------------


def test_token_text():
    assert token_text("kpi", "ghg.total") == "[[kpi:ghg.total]]"
    assert token_text("kpi", "ghg.total", 2024) == "[[kpi:ghg.total@2024]]"
    assert token_text("index", "gri-2021") == "[[index:gri-2021]]"
    for kind, target, year in (("kpis", "a", None), ("kpi", "a b", None), ("ref", "a", 2024), ("kpi", "a", 24)):
        with pytest.raises(ModelError):
            token_text(kind, target, year)
    for kind, target, year in (("kpi", "a.b", 2023), ("ref", "x-1", None), ("table", "t", None)):
        assert find_tokens(token_text(kind, target, year)) == [
            TextToken(kind, target, year, 0, len(token_text(kind, target, year)), True)]


def test_rename_rewrites_only_that_kind_and_id():
    text = ("員工[[kpi:emp]]人，[[kpi:emp@2023]]，[[kpi:emp.total]]，[[ref:emp]]，`[[kpi:emp]]`，"
            "[[kpi:emp@23]]。\n[[table:emp]]")
    renamed = rename_target(text, "kpi", "emp", "staff.total")
    assert renamed == ("員工[[kpi:staff.total]]人，[[kpi:staff.total@2023]]，[[kpi:emp.total]]，[[ref:emp]]，"
                       "`[[kpi:emp]]`，[[kpi:emp@23]]。\n[[table:emp]]")
    assert rename_target(text, "table", "emp", "people").endswith("\n[[table:people]]")
    assert rename_target(text, "ref", "absent", "x") is text  # unchanged: the very same string
    with pytest.raises(ModelError):
        rename_target(text, "kpi", "emp", "bad id")


# -- containers ---------------------------------------------------------------------------------------


def test_container_fences():
    assert container_fence("::: case 「廉潔月」活動") is not None
    fence = container_fence("::::case   Paperless office  \n")
    assert fence is not None and (fence.colons, fence.kind, fence.arguments) == (4, "case", "Paperless office")
    assert container_fence("::: warning") is None
    assert container_fence(":: note") is None
    assert container_fence("    ::: note") is None  # indented code


def test_containers_with_spans():
    text = "前言\n::: case 「廉潔月」活動\n案例[[kpi:a]]正文。\n:::\n\n::: highlights\n- [[kpi:b]] 項\n"
    case, highlights = find_containers(text)
    assert (case.kind, case.arguments) == ("case", "「廉潔月」活動")
    assert text[case.open_start:case.open_end] == "::: case 「廉潔月」活動"
    assert text[case.content_start:case.content_end] == "案例[[kpi:a]]正文。\n"
    assert case.close_start is not None and text[case.close_start:case.close_end] == ":::"
    assert highlights.kind == "highlights" and highlights.close_start is None  # left open: to the end
    assert text[highlights.content_start:highlights.content_end] == "- [[kpi:b]] 項\n"


def test_nested_containers_and_fenced_code():
    text = ":::: note\n::: case Inner\nbody\n:::\n::::\n```\n::: note\n```\n"
    outer, inner = find_containers(text)
    assert (outer.kind, outer.depth, inner.kind, inner.depth) == ("note", 0, "case", 1)
    assert text[outer.close_start:outer.close_end] == "::::"
    assert text[inner.close_start:inner.close_end] == ":::"
    # the same number of colons: the first closing fence closes the outer container, and the
    # inner one ends with it, unclosed (the second ::: is then plain text)
    first, second = find_containers("::: note\n::: case X\nbody\n:::\n:::\n")
    assert first.close_start == len("::: note\n::: case X\nbody\n")
    assert second.close_start is None and second.content_end == first.content_end


def test_the_renderer_reads_the_same_containers():
    """Container kinds and spans agree with markdown-it's container plugin, which renders them."""
    md = SectionMarkdown().md
    text = "a\n\n::: case T\nx\n:::\n\n:::: note\n::: highlights\ny\n:::\n::::\n\n::: warning\nz\n:::\n"
    opened = [(t.type.removeprefix("container_").removesuffix("_open"), t.map[0])
              for t in md.parse(text) if t.type.endswith("_open") and t.type.startswith("container_")]
    line_of = {c.open_start: text[:c.open_start].count("\n") for c in find_containers(text)}
    assert opened == [(c.kind, line_of[c.open_start]) for c in find_containers(text)]


def test_the_renderer_reads_the_same_tokens():
    """Every token the renderer prints or marks is one scan_tokens finds, at the same place."""
    text = ("Emissions [[kpi:a]] and `[[kpi:code]]` \\[[kpi:esc]] [[kpi:bad id]]\n"
            "[[table:t1]]\n\n| [[kpi:b]] | [[kpi:b]] |\n|---|---|\n\n```\n[[kpi:fenced]]\n```\n")

    class Resolver:
        def kpi_html(self, kpi_id, year):
            return None

        def ref_html(self, section_id):
            return None

        def asset_url(self, name):
            return None

        def container_title(self, kind, title):
            return title

    blocks, problems = SectionMarkdown().render(text, Resolver(), doc_id="s")
    found = [(t.start, t.end) for t in scan_tokens(text) if not (isinstance(t, TextToken) and t.is_block)]
    assert sorted((p.start, p.end) for p in problems) == found
    assert [(b.kind, b.ref, text[b.start:b.end]) for b in blocks if b.kind == "table"] == [
        ("table", "t1", "[[table:t1]]")]
