"""A translator's .po edit shows up in the next build with no compile step and no code change.

ESG_AUTHOR_LOCALES_DIR points the build at a copy of locales/ (templates and assets stay where
they are); the compiled-catalog cache notices the edited file by its modification time and size.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from esg_author.core.i18n.catalogs import LOCALES_ENV, catalog_path, locales_root, translations
from esg_author.core.paths import locales_dir
from esg_author.core.render.build import build_project


@pytest.fixture
def locales_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "locales"
    shutil.copytree(locales_dir(), root)
    monkeypatch.setenv(LOCALES_ENV, str(root))
    return root


def _edit_msgstr(po: Path, msgid: str, old: str, new: str) -> None:
    text = po.read_text(encoding="utf-8")
    entry = f'msgid "{msgid}"\nmsgstr "{old}"'
    assert entry in text
    po.write_text(text.replace(entry, f'msgid "{msgid}"\nmsgstr "{new}"'), encoding="utf-8")


def test_env_var_moves_only_the_catalogs(locales_copy: Path) -> None:
    assert locales_root() == locales_copy
    assert catalog_path("zh-Hant") == locales_copy / "zh_Hant" / "LC_MESSAGES" / "esg_author.po"


def test_edited_po_is_used_by_the_next_build(locales_copy: Path, small_project_path: Path, tmp_path: Path) -> None:
    def build_html() -> str:
        result = build_project(small_project_path, tmp_path / "out", ["zh-Hant"], formats=("html",), parallel=False)
        assert not result.failed, [b.error for b in result.failed]
        html_path = result.languages[0].html_path
        assert html_path is not None
        return html_path.read_text(encoding="utf-8")

    assert "報告期" in build_html()
    _edit_msgstr(locales_copy / "zh_Hant" / "LC_MESSAGES" / "esg_author.po", "Reporting period: {period}", "報告期：{period}",
                 "報告期間：{period}")
    assert "報告期間" in build_html()


def test_edit_is_seen_by_a_running_process_without_clearing_the_cache(locales_copy: Path) -> None:
    assert translations("zh-Hans").gettext("Indicator") == "指标"
    _edit_msgstr(locales_copy / "zh_Hans" / "LC_MESSAGES" / "esg_author.po", "Indicator", "指标", "指标名称")
    assert translations("zh-Hans").gettext("Indicator") == "指标名称"
