"""Translation status: source fingerprints, stale translations, marking translated and reviewed."""

from __future__ import annotations

import pytest

from esg_author.core.commands import SetSectionText, UndoStack
from esg_author.core.errors import ModelError
from esg_author.core.i18n.translation_units import (
    MarkReviewed,
    MarkTranslated,
    fingerprint,
    record_current_sources,
    status_counts,
    translation_status,
    unit_status,
)
from esg_author.core.model import SectionText


def test_fingerprint_ignores_layout_whitespace_but_not_words():
    base = fingerprint("標題", "第一段。\n\n第二段。\n")
    assert base.startswith("sha256:")
    assert fingerprint("標題 ", "第一段。  \r\n\r\n\r\n\r\n第二段。") == base
    assert fingerprint("標題", "第一段。\n\n第三段。") != base
    assert fingerprint("標", "題第一段。\n\n第二段。") != base


def test_a_new_project_is_stale_until_marked(small_project):
    states = {(s.section_id, s.lang): s.state for s in translation_status(small_project)}
    assert states[("intro", "zh-Hant")] == "source"
    assert states[("intro", "en")] == "stale"
    stack = UndoStack(small_project)
    stack.execute(MarkTranslated("intro", "en", "zh-Hant"))
    assert unit_status(small_project, "intro", "en").state == "up_to_date"
    stack.undo()
    assert unit_status(small_project, "intro", "en").state == "stale"


def test_editing_a_source_paragraph_makes_translations_stale(small_project):
    record_current_sources(small_project)
    assert status_counts(translation_status(small_project))["up_to_date"] == 6
    stack = UndoStack(small_project)
    stack.execute(SetSectionText("intro", "zh-Hant", body="我們共有[[kpi:emp.total]]名僱員。"))
    assert unit_status(small_project, "intro", "en").state == "stale"
    assert unit_status(small_project, "intro", "zh-Hans").state == "stale"
    assert unit_status(small_project, "env", "en").state == "up_to_date"
    # editing a translation does not make it stale; only its source does
    stack.undo()
    stack.execute(SetSectionText("env", "en", body="Emissions fell sharply.\n\n[[table:env]]"))
    assert unit_status(small_project, "env", "en").state == "up_to_date"


def test_missing_needs_review_and_source_language_option(small_project):
    record_current_sources(small_project)
    small_project.section("env-data").texts["en"] = SectionText()
    assert unit_status(small_project, "env-data", "en").state == "missing"
    text = small_project.section("env").texts["zh-Hans"]
    text.state = "needs_review"
    assert unit_status(small_project, "env", "zh-Hans").state == "needs_review"
    UndoStack(small_project).execute(MarkReviewed("env", "zh-Hans"))
    assert unit_status(small_project, "env", "zh-Hans").state == "up_to_date"
    small_project.meta.options["source_language"] = "en"
    assert unit_status(small_project, "env", "en").state == "source"
    assert unit_status(small_project, "env", "zh-Hant").state == "stale"  # no fingerprint of the en text


def test_mark_translated_refuses_nonsense(small_project):
    stack = UndoStack(small_project)
    with pytest.raises(ModelError):
        stack.execute(MarkTranslated("intro", "zh-Hant", "zh-Hant"))
    small_project.section("intro").texts["en"] = SectionText()
    with pytest.raises(ModelError, match="no en text"):
        stack.execute(MarkTranslated("intro", "en"))


def test_the_demo_is_up_to_date_in_all_languages(demo_project):
    counts = status_counts(translation_status(demo_project))
    assert counts["source"] == len(demo_project.sections)
    assert counts["up_to_date"] == 2 * len(demo_project.sections)
    assert counts["stale"] == counts["missing"] == counts["needs_review"] == 0
