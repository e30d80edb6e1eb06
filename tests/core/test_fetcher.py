"""WeasyPrint may load only template files and project assets."""

from __future__ import annotations

import pytest

from esg_author.core.model import Asset
from esg_author.core.render.fetcher import RestrictedFetcher


def test_serves_template_files_and_assets(tmp_path):
    (tmp_path / "style.css").write_text("p {}", encoding="utf-8")
    fetcher = RestrictedFetcher([tmp_path], {"logo.svg": Asset("logo.svg", "image/svg+xml", b"<svg/>")})
    assert fetcher.fetch((tmp_path / "style.css").as_uri()).read() == b"p {}"
    response = fetcher.fetch("project-asset:logo.svg")
    assert response.read() == b"<svg/>" and response.content_type == "image/svg+xml"
    assert fetcher.refused == []


@pytest.mark.parametrize("url", [
    "https://example.com/tracker.png",
    "http://127.0.0.1:8000/x.css",
    "file:///etc/passwd",
    "project-asset:missing.png",
    "ftp://example.com/x",
])
def test_refuses_everything_else(tmp_path, url):
    fetcher = RestrictedFetcher([tmp_path], {})
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)
    assert fetcher.refused and url in fetcher.refused[0]


def test_refuses_escape_from_template_folder(tmp_path):
    inner = tmp_path / "template"
    inner.mkdir()
    (tmp_path / "secret.txt").write_text("s", encoding="utf-8")
    fetcher = RestrictedFetcher([inner], {})
    with pytest.raises(ValueError, match="outside the template folder"):
        fetcher.fetch(inner.as_uri() + "/../secret.txt")
