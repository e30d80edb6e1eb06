"""A template cannot reach outside its folder: not by its name, its manifest or its stylesheets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from esg_author.core.errors import ProjectFormatError, TemplateError
from esg_author.core.paths import templates_dir
from esg_author.core.render import pdf as pdf_module
from esg_author.core.render import template as template_module
from esg_author.core.render.build import build_project
from esg_author.core.render.pdf import render_pdf
from esg_author.core.render.site import write_site
from esg_author.core.render.template import TemplateInfo, load_template
from esg_author.core.storage import save_project

MANIFEST = """\
title = "Evil"
pdf_template = {pdf_template!r}
html_template = {html_template!r}
pdf_stylesheets = {pdf_stylesheets!r}
html_stylesheets = {html_stylesheets!r}
html_assets = {html_assets!r}
"""
GOOD = {
    "pdf_template": "report.html.j2",
    "html_template": "site.html.j2",
    "pdf_stylesheets": ["report.css"],
    "html_stylesheets": ["site.css"],
    "html_assets": ["palette.css"],
}


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A private file of the user's, beside (not inside) the templates folder."""
    path = tmp_path / "secret.css"
    path.write_text("/* my private notes */", encoding="utf-8")
    return path


def make_template(parent: Path, name: str = "evil", **entries: object) -> Path:
    """A copy of the default template under parent/name whose manifest has the given entries."""
    folder = parent / name
    shutil.copytree(templates_dir() / "default", folder)
    (folder / "manifest.toml").write_text(MANIFEST.format(**{**GOOD, **entries}), encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", ["../../x", "../evil", "/etc", "a/b", "..", ".hidden", "-x", "", "x y", "évil", "default\n"])
def test_template_names_are_plain_folder_names(tmp_path, name):
    templates = tmp_path / "templates"
    templates.mkdir()
    make_template(tmp_path, "evil")  # what "../evil" would reach
    with pytest.raises(TemplateError, match="invalid template name"):
        load_template(name, templates)


def test_a_good_name_still_loads(tmp_path):
    make_template(tmp_path, "my_template-2")
    assert load_template("my_template-2", tmp_path).name == "my_template-2"


@pytest.mark.parametrize("entry", ["pdf_template", "html_template", "pdf_stylesheets", "html_stylesheets", "html_assets"])
@pytest.mark.parametrize("how", ["absolute", "relative"])
def test_manifest_paths_must_stay_inside_the_folder(tmp_path, secret, entry, how):
    target = str(secret) if how == "absolute" else "../secret.css"
    make_template(tmp_path, **{entry: [target] if entry.endswith("s") else target})
    with pytest.raises(TemplateError, match=rf"manifest\.toml: {entry} .*secret\.css.* outside the template folder"):
        load_template("evil", tmp_path)


def test_symbolic_links_out_of_the_folder_are_refused(tmp_path, secret):
    folder = make_template(tmp_path)
    (folder / "palette.css").unlink()
    try:
        (folder / "palette.css").symlink_to(secret)
    except OSError:  # pragma: no cover - Windows without the symlink privilege
        pytest.skip("cannot create symbolic links here")
    with pytest.raises(TemplateError, match=r"html_assets 'palette\.css' is outside the template folder"):
        load_template("evil", tmp_path)


def test_project_template_name_cannot_climb_out(tmp_path, monkeypatch, secret, small_project):
    templates = tmp_path / "templates"
    templates.mkdir()
    make_template(tmp_path, "evil", html_assets=[str(secret)])
    make_template(templates, "good")
    monkeypatch.setattr(template_module, "templates_dir", lambda: templates)
    project = small_project
    project.meta.template = "../evil"
    path = tmp_path / "p.esgproj"
    save_project(project, path)
    # Such a file no longer opens (a project template is a plain name), and the renderer refuses
    # the name on its own too.
    with pytest.raises(ProjectFormatError, match="not a template name"):
        build_project(path, tmp_path / "out", ["en"], formats=("html",), parallel=False)
    assert not (tmp_path / "out" / "html").exists()
    with pytest.raises(TemplateError, match="invalid template name"):
        load_template("../evil", templates)


def test_manifest_cannot_publish_a_local_file(tmp_path, monkeypatch, secret, small_project):
    make_template(tmp_path / "templates", "evil", html_assets=[str(secret)])
    monkeypatch.setattr(template_module, "templates_dir", lambda: tmp_path / "templates")
    project = small_project
    project.meta.template = "evil"
    path = tmp_path / "p.esgproj"
    save_project(project, path)
    with pytest.raises(TemplateError, match=r"manifest\.toml: html_assets"):
        build_project(path, tmp_path / "out", ["en"], formats=("html",), parallel=False)
    assert not list((tmp_path / "out").rglob("secret.css"))


def test_site_copies_only_files_of_the_template(tmp_path, secret, small_project):
    folder = make_template(tmp_path)
    info = TemplateInfo("evil", folder, "Evil", "report.html.j2", "site.html.j2", (), ("site.css",), (str(secret),))
    with pytest.raises(TemplateError, match="outside the template folder"):
        write_site("<html></html>", small_project, info, "en", tmp_path / "site")
    assert not list((tmp_path / "site").rglob("secret.css"))


def test_pdf_stylesheets_are_loaded_through_the_fetcher(tmp_path, monkeypatch, secret):
    folder = make_template(tmp_path)
    (folder / "tiny.css").write_text("p { color: red }", encoding="utf-8")
    fetched: list[str] = []

    class Recording(pdf_module.RestrictedFetcher):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(pdf_module, "RestrictedFetcher", Recording)
    result = render_pdf("<p>Hello</p>", folder, [folder / "tiny.css"], {}, "en")
    assert result.pages == 1
    assert (folder / "tiny.css").resolve().as_uri() in fetched
    with pytest.raises(TemplateError, match="outside the template folder"):
        render_pdf("<p>Hello</p>", folder, [secret], {}, "en")
