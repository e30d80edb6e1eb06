"""Section Markdown: extensions, blocks, and what is refused."""

from __future__ import annotations

from esg_author.core.render.markdown import SectionMarkdown


class FakeResolver:
    def kpi_html(self, kpi_id, year):
        if kpi_id != "ghg.total":
            return None
        return {None: "<b>9.25</b>", 2024: "<b>10.50</b>"}.get(year)

    def ref_html(self, section_id):
        return '<a href="#sec-env">2 Environment</a>' if section_id == "env" else None

    def asset_url(self, name):
        return f"assets/{name}" if name == "chart.svg" else None

    def container_title(self, kind, title):
        return f"Case: {title}"


def render(text):
    return SectionMarkdown().render(text, FakeResolver(), doc_id="s1")


def html_of(blocks):
    return "".join(b.html for b in blocks if b.kind == "html")


def test_kpi_and_ref_tokens():
    blocks, problems = render("Emissions [[kpi:ghg.total]] (2024: [[kpi:ghg.total@2024]]), see [[ref:env]].")
    html = html_of(blocks)
    assert "<b>9.25</b>" in html and "<b>10.50</b>" in html and 'href="#sec-env"' in html
    assert problems == []


def test_unresolved_tokens_are_marked_and_reported():
    blocks, problems = render("[[kpi:nope]] [[kpi:ghg.total@2019]] [[ref:gone]] inline [[table:t1]]")
    html = html_of(blocks)
    assert html.count('class="unresolved"') == 4
    kinds = sorted((p.kind, p.target) for p in problems)
    assert kinds == [("kpi", "ghg.total"), ("kpi", "nope"), ("ref", "gone"), ("table", "t1")]
    assert any("no value for 2019" in p.message for p in problems)


def test_raw_html_is_text_not_markup():
    blocks, _ = render('<script>alert(1)</script> and <b>bold</b>\n\n[x](javascript:alert(1))')
    html = html_of(blocks)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html
    assert 'href="javascript' not in html


def test_table_and_index_blocks_split_the_html():
    blocks, problems = render("Intro.\n\n[[table:env]]\n\nMiddle.\n\n[[index:hkex-esg-2020]]\n\nEnd.")
    assert [(b.kind, b.ref) for b in blocks] == [
        ("html", ""), ("table", "env"), ("html", ""), ("index", "hkex-esg-2020"), ("html", "")]
    assert problems == []


def test_figures_containers_tables_footnotes():
    text = (
        "![Our chart](asset:chart.svg)\n\n"
        "::: case Paperless\nWe saved paper[^1].\n:::\n\n"
        "::: highlights\n- [[kpi:ghg.total]] emissions\n:::\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "[^1]: Counted by the print server.\n"
    )
    blocks, problems = render(text)
    html = html_of(blocks)
    assert '<figure><img src="assets/chart.svg" alt="Our chart"><figcaption>Our chart</figcaption></figure>' in html
    assert '<div class="case"><div class="case-title">Case: Paperless</div>' in html
    assert '<div class="highlights">' in html and "<b>9.25</b>" in html
    assert '<table class="text-table">' in html
    assert 'id="fn-s1-1"' in html  # footnote ids are unique per section
    assert problems == []


def test_images_only_from_project_assets():
    blocks, problems = render("![x](https://example.com/a.png)\n\n![y](asset:missing.png)")
    html = html_of(blocks)
    assert "<img" not in html  # never fetched: shown as a marked problem instead
    assert html.count('class="unresolved"') == 2
    assert len(problems) == 2


def test_block_tokens_alone_on_their_line_even_right_after_a_paragraph_line():
    text = "Intro line.\n[[table:env]]\nNext paragraph.\n\n- [[table:in-list]]"
    blocks, problems = render(text)
    assert [(b.kind, b.ref) for b in blocks] == [("html", ""), ("table", "env"), ("html", "")]
    table = blocks[1]
    assert text[table.start:table.end] == "[[table:env]]"
    # after a list marker the token is not alone on its line: marked and reported, with its span
    (problem,) = problems
    assert (problem.kind, problem.target, problem.rule) == ("table", "in-list", "token.table")
    assert text[problem.start:problem.end] == "[[table:in-list]]"
    assert "stand alone on its own line" in problem.message


def test_malformed_tokens_are_marked_and_reported_with_their_span():
    text = "共[[kpi:emp total]]人，[[kpis:a]]，[[ref:x@2024]]，`[[kpi:code]]`，\\[[kpi:escaped]]。"
    blocks, problems = render(text)
    html = html_of(blocks)
    assert html.count('class="unresolved"') == 3
    assert [(p.kind, text[p.start:p.end]) for p in problems] == [
        ("token", "[[kpi:emp total]]"), ("token", "[[kpis:a]]"), ("token", "[[ref:x@2024]]")]
    assert [p.rule for p in problems] == ["token.token"] * 3
    assert problems[0].template.startswith("{token} is not a token") and problems[0].params["id"] == "emp total"
    assert "only a [[kpi:…]] token takes a year" in problems[2].message
    assert "<code>[[kpi:code]]</code>" in html and "[[kpi:escaped]]" in html


def test_problem_spans_in_tables_and_crlf_text():
    text = "第一行\r\n[[kpi:nope]]\r\n\r\n| [[ref:gone]] | [[ref:gone]] |\r\n|---|---|\r\n"
    _blocks, problems = render(text)
    assert [text[p.start:p.end] for p in problems] == ["[[kpi:nope]]", "[[ref:gone]]", "[[ref:gone]]"]
    assert problems[1].start < problems[2].start  # each cell's token, not the first one twice
