"""Project assets: their names are file names on disk, so they are checked everywhere they enter,
written only inside the HTML assets/ folder, and percent-encoded in URLs."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from esg_author.core.commands import PutAsset, UndoStack
from esg_author.core.errors import ModelError, RenderError
from esg_author.core.model import Asset
from esg_author.core.model.names import check_asset_name
from esg_author.core.render.build import build_language
from esg_author.core.render.context import asset_url
from esg_author.core.render.fetcher import RestrictedFetcher
from esg_author.core.render.site import write_site
from esg_author.core.render.template import load_template

CJK_NAME = "管治 架構.svg"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'

BAD_NAMES = [
    "../../../PWNED.txt", "/tmp/x.txt", "sub/x.png", "..\\x.png", "C:\\x.png", "C:x.png", ".", "..",
    ".hidden.png", "noextension", "trailing.", "a\x00b.png", "line\nbreak.png", "tab\t.png", "a\x7f.png",
    "", "x" * 125 + ".png", "what?.png", "a*.png", "pipe|.png",
]


@pytest.mark.parametrize("name", ["logo.svg", CJK_NAME, "cover.zh-Hant.png", "a b #1 (final).jpeg",
                                  "x" * 124 + ".png"])
def test_plain_file_names_are_accepted(name):
    assert check_asset_name(name) == name


@pytest.mark.parametrize("name", BAD_NAMES)
def test_anything_but_a_plain_file_name_is_refused(name):
    with pytest.raises(ModelError, match="asset"):
        check_asset_name(name)


@pytest.mark.parametrize("name", ["../../../PWNED.txt", "/tmp/x.txt", ".hidden.png", "noextension"])
def test_put_asset_refuses_a_bad_name(small_project, name):
    stack = UndoStack(small_project)
    with pytest.raises(ModelError, match="asset name"):
        stack.execute(PutAsset(Asset(name, "text/plain", b"x")))
    assert small_project.assets == {}


def test_put_asset_refuses_a_name_differing_only_by_case(small_project):
    stack = UndoStack(small_project)
    stack.execute(PutAsset(Asset("Logo.svg", "image/svg+xml", b"a")))
    with pytest.raises(ModelError, match="only by case"):
        stack.execute(PutAsset(Asset("logo.SVG", "image/svg+xml", b"b")))
    stack.execute(PutAsset(Asset("Logo.svg", "image/svg+xml", b"c")))  # replacing the same name is fine
    assert list(small_project.assets) == ["Logo.svg"] and small_project.assets["Logo.svg"].data == b"c"
    stack.undo()
    assert small_project.assets["Logo.svg"].data == b"a"


@pytest.mark.parametrize("name", ["../../../PWNED.txt", "../PWNED.txt", "/tmp/esg-author-PWNED.txt"])
def test_site_never_writes_outside_its_assets_folder(small_project, tmp_path, name):
    """A Project built without the checks (e.g. by a plug-in) still cannot escape."""
    small_project.assets[name] = Asset(name, "text/plain", b"pwned")
    site = tmp_path / "out" / "html"
    with pytest.raises(RenderError, match="asset"):
        write_site("<html></html>", small_project, load_template(small_project.meta.template), "en", site)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.is_relative_to(site / "en" / "assets") for p in written)
    assert not any("PWNED" in p.name for p in tmp_path.rglob("*"))


def test_root_index_escapes_title_and_language(small_project, tmp_path):
    odd_lang = 'zh-Hant"><script>'
    small_project.meta.languages = [odd_lang, *small_project.meta.languages]
    small_project.meta.title[odd_lang] = '</title><script>alert("x")</script> & Co'
    write_site("<html></html>", small_project, load_template(small_project.meta.template), "en", tmp_path)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in index
    assert "&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in index
    assert 'url=zh-Hant&quot;&gt;&lt;script&gt;/index.html"' in index


def test_asset_urls_are_percent_encoded():
    assert asset_url(CJK_NAME, "html") == "assets/%E7%AE%A1%E6%B2%BB%20%E6%9E%B6%E6%A7%8B.svg"
    assert asset_url(CJK_NAME, "pdf") == "project-asset:%E7%AE%A1%E6%B2%BB%20%E6%9E%B6%E6%A7%8B.svg"
    assert asset_url("100% #1.png", "html") == "assets/100%25%20%231.png"
    assert asset_url("logo.svg", "pdf") == "project-asset:logo.svg"


@pytest.mark.parametrize("name", [CJK_NAME, "100% #1 ?.png".replace("?", "q"), "logo.svg"])
def test_fetcher_decodes_what_asset_url_encodes(tmp_path, name):
    fetcher = RestrictedFetcher([tmp_path], {name: Asset(name, "image/svg+xml", SVG)})
    assert fetcher.fetch(asset_url(name, "pdf")).read() == SVG
    assert fetcher.refused == []


def test_cjk_asset_name_round_trip_through_a_build(small_project, tmp_path):
    """Markdown → URL → WeasyPrint fetcher (PDF) and → file on disk (HTML) for "管治 架構.svg"."""
    small_project.assets[CJK_NAME] = Asset(CJK_NAME, "image/svg+xml", SVG)
    small_project.section("intro").texts["en"].body += f"\n\n![Governance](<asset:{CJK_NAME}>)\n"
    (tmp_path / "out").mkdir()
    result = build_language(small_project, tmp_path / "p.esgproj", "en", ("pdf", "html"), tmp_path / "out")
    problems = [str(f) for f in result.findings if "管治" in str(f) or "%E7" in str(f) or "asset" in str(f)]
    assert problems == []
    assert result.pdf_path is not None and result.pdf_path.stat().st_size > 0
    html = result.html_path.read_text(encoding="utf-8")
    url = "assets/%E7%AE%A1%E6%B2%BB%20%E6%9E%B6%E6%A7%8B.svg"
    assert f'src="{url}"' in html
    assert (result.html_path.parent / unquote(url)).read_bytes() == SVG
