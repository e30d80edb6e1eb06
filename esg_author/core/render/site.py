"""The HTML edition: one self-contained folder per language (index.html + assets/).

Each folder holds its own copy of the stylesheets and the project's images, so a language
folder can be copied to a web server or opened from disk on its own; a root index.html sends
readers to the first language of the report.
"""

from __future__ import annotations

import html as html_lib
import os
from pathlib import Path

from esg_author.core.errors import ModelError, RenderError
from esg_author.core.model import Project
from esg_author.core.model.names import check_asset_name
from esg_author.core.render.template import TemplateInfo
from esg_author.core.storage.atomic import atomic_write_bytes, atomic_write_text

ROOT_INDEX = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={lang}/index.html">
<title>{title}</title></head>
<body><p><a href="{lang}/index.html">{title}</a></p></body></html>
"""


def write_site(html: str, project: Project, template: TemplateInfo, lang: str, site_dir: Path) -> Path:
    """Write html/<lang>/index.html with its assets; returns the index path."""
    folder = site_dir / lang
    assets = folder / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for relative in (*template.html_stylesheets, *template.html_assets):
        source = template.file(relative)  # TemplateError outside the template folder
        target = assets / Path(relative).name
        atomic_write_bytes(target, source.read_bytes())
    for asset in project.assets.values():
        atomic_write_bytes(_asset_target(assets, asset.name), asset.data)
    index = folder / "index.html"
    atomic_write_text(index, html)
    first = project.meta.languages[0] if project.meta.languages else lang
    title = project.meta.title.get(first, "")
    atomic_write_text(site_dir / "index.html", ROOT_INDEX.format(
        lang=html_lib.escape(first, quote=True), title=html_lib.escape(title, quote=True)))
    return index


def _asset_target(assets: Path, name: str) -> Path:
    """Where an asset is written: always directly inside assets/, whatever its name says.

    Names are checked when a project is opened and when an asset is added; this is the last line
    of defence for a Project built some other way.
    """
    try:
        check_asset_name(name)
    except ModelError as exc:
        raise RenderError(f"asset {name!r} cannot be written: {exc}") from None
    target = assets / name
    # Lexical, not resolve(): os.replace replaces a symlink itself, never what it points to.
    folder = os.path.normpath(os.path.abspath(assets))
    if os.path.dirname(os.path.normpath(os.path.abspath(target))) != folder or target.name != name:
        raise RenderError(f"asset {name!r} would be written outside {assets}")
    return target
