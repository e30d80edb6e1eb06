"""Report templates: a folder with manifest.toml, Jinja2 files, CSS, fonts and images.

Templates run in Jinja2's sandbox with autoescape and StrictUndefined and see only the plain
context of context.py. Their labels are translated with the report language's gettext catalog.

A template is confined to its folder: its name (from the project) is a plain folder name, and
every file its manifest names must resolve inside that folder, so neither a project nor a
manifest can make a build read, or publish, another file of the user's computer.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from esg_author.core.errors import TemplateError
from esg_author.core.i18n.catalogs import translations
from esg_author.core.paths import templates_dir

MANIFEST = "manifest.toml"
TEMPLATE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    folder: Path
    title: str
    pdf_template: str
    html_template: str
    pdf_stylesheets: tuple[str, ...]
    html_stylesheets: tuple[str, ...]
    html_assets: tuple[str, ...]
    fonts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lang → font families
    # The PDF of one section alone (the editor's preview); "" when the manifest names none, and
    # then the preview renders pdf_template with the preview context (docs/templates.md).
    preview_template: str = ""

    @property
    def section_template(self) -> str:
        """The Jinja file a one-section preview is rendered with."""
        return self.preview_template or self.pdf_template

    def file(self, relative: str) -> Path:
        """A file of this template, resolved; TemplateError unless it lies inside the folder."""
        return confined_path(self.folder, relative, "file")


MANIFEST_FILES = ("pdf_template", "html_template", "preview_template", "pdf_stylesheets", "html_stylesheets", "html_assets")


def confined_path(folder: Path, relative: str, entry: str) -> Path:
    """folder / relative with links and ".." resolved; refused unless it stays inside folder.

    An absolute path or one that climbs out ("../x", a symbolic link to elsewhere) is an error
    naming the manifest and its entry, never a file that is read or published.
    """
    root = folder.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise TemplateError(root / MANIFEST, f"{entry} {relative!r} is outside the template folder")
    return path


def load_template(name: str, search_dir: Path | None = None) -> TemplateInfo:
    parent = search_dir or templates_dir()
    if not isinstance(name, str) or not TEMPLATE_NAME_RE.fullmatch(name):
        raise TemplateError(parent, f"invalid template name {name!r}: use letters, digits, '-' and '_' only")
    folder = (parent / name).resolve()
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise TemplateError(manifest_path, f"template {name!r} not found (no {MANIFEST})")
    try:
        data = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
        fonts = {lang: tuple(families) for lang, families in data.get("fonts", {}).items()}
        info = TemplateInfo(
            name=name,
            folder=folder,
            title=str(data.get("title", name)),
            pdf_template=_string(data["pdf_template"], "pdf_template"),
            html_template=_string(data["html_template"], "html_template"),
            pdf_stylesheets=_strings(data.get("pdf_stylesheets", []), "pdf_stylesheets"),
            html_stylesheets=_strings(data.get("html_stylesheets", []), "html_stylesheets"),
            html_assets=_strings(data.get("html_assets", []), "html_assets"),
            fonts=fonts,
            preview_template=_string(data["preview_template"], "preview_template") if "preview_template" in data else "",
        )
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(manifest_path, f"invalid TOML: {exc}") from exc
    except (KeyError, TypeError) as exc:
        raise TemplateError(manifest_path, f"missing or invalid entry {exc}") from exc
    for entry in MANIFEST_FILES:
        value = getattr(info, entry)
        for relative in ((value,) if value else ()) if isinstance(value, str) else value:
            if not confined_path(folder, relative, entry).is_file():
                raise TemplateError(manifest_path, f"{entry} names {relative!r}, which is not in the template folder")
    return info


def _string(value: object, entry: str) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{entry} (expected a file name)")
    return value


def _strings(value: object, entry: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError(f"{entry} (expected a list of file names)")
    return tuple(_string(item, entry) for item in value)


def make_environment(template: TemplateInfo, lang: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(template.folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def render_template(template: TemplateInfo, template_name: str, lang: str, context: dict[str, Any]) -> str:
    """Render one of the template's Jinja files; errors name the template file and line."""
    env = make_environment(template, lang)
    try:
        return env.get_template(template_name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(template.folder / (exc.filename or template_name), exc.message or str(exc), exc.lineno) from exc
    except jinja2.TemplateError as exc:
        file, line = _template_location(exc, template.folder)
        raise TemplateError(file or template.folder / template_name, str(exc), line) from exc


def _template_location(exc: BaseException, folder: Path) -> tuple[Path | None, int | None]:
    """The innermost template frame of a Jinja runtime error's traceback."""
    tb = exc.__traceback__
    found: tuple[Path | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(str(folder)):
            found = (Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found
