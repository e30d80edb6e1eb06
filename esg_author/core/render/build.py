"""Build a project: per language, context → Jinja → HTML → WeasyPrint PDF and the HTML site.

The project is a file or a Project in memory (the editor builds unsaved edits). Languages are
built in parallel processes (WeasyPrint is single-threaded and CPU-bound), each given a pickled
snapshot of the project taken once when the build starts, never the file. Each worker reports
progress as (lang, step) events on a queue; the caller turns them into a progress bar (CLI) or a
progress dialog (GUI). A failure in one language (including an output file that cannot be
written, or a worker that dies) is reported for that language with its message; the others
still finish.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import queue as queue_module
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from esg_author.core.errors import EsgAuthorError, RenderError
from esg_author.core.findings import Finding
from esg_author.core.model import Project
from esg_author.core.render.edition import render_edition_pdf, render_language
from esg_author.core.render.site import write_site
from esg_author.core.render.template import load_template
from esg_author.core.storage.atomic import atomic_write_bytes
from esg_author.core.storage.project_file import open_project

FORMATS = ("pdf", "html")
ProgressCallback = Callable[[str, str], None]  # (lang, step just finished)


@dataclass
class LanguageBuild:
    lang: str
    pdf_path: Path | None = None
    html_path: Path | None = None
    pages: int = 0
    anchor_pages: dict[str, int] = field(default_factory=dict)  # the PDF's page map (sec-…, table-… → page)
    findings: list[Finding] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # context, jinja, layout, write, site
    error: str = ""


@dataclass
class BuildResult:
    languages: list[LanguageBuild]

    @property
    def findings(self) -> list[Finding]:
        return [f for build in self.languages for f in build.findings]

    @property
    def failed(self) -> list[LanguageBuild]:
        return [build for build in self.languages if build.error]


DEFAULT_NAME = "report"  # the output name of a project that has no file yet


def output_paths(name: str, out_dir: Path, lang: str) -> tuple[Path, Path]:
    """Where a language's PDF and HTML edition go; `name` is the project file's stem."""
    return out_dir / f"{name}.{lang}.pdf", out_dir / "html" / lang / "index.html"


def build_language(project: Project, name: str, lang: str, formats: tuple[str, ...],
                   out_dir: Path, progress: ProgressCallback | None = None) -> LanguageBuild:
    report = progress or (lambda _lang, _step: None)
    result = LanguageBuild(lang)
    template = load_template(project.meta.template)
    pdf_path, html_path = output_paths(name, out_dir, lang)
    if "pdf" in formats:
        pdf = render_edition_pdf(project, lang, template, on_html=lambda _html: report(lang, "html"))
        with _writing(pdf_path):
            atomic_write_bytes(pdf_path, pdf.pdf)
        result.findings.extend(pdf.findings)
        result.pages = pdf.pages
        result.anchor_pages = pdf.anchor_pages
        result.pdf_path = pdf_path
        result.seconds.update(pdf.seconds)
        report(lang, "pdf")
    if "html" in formats:
        started = time.perf_counter()
        html, findings, _ = render_language(project, lang, template, "html")
        if "pdf" not in formats:
            result.findings.extend(findings)
        with _writing(html_path):
            result.html_path = write_site(html, project, template, lang, html_path.parent.parent)
        result.seconds["site"] = time.perf_counter() - started
        report(lang, "site")
    return result


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """An output that cannot be written (a PDF open in Acrobat on Windows, a folder in the file's
    place) is the user's to fix: one line naming it, not a traceback."""
    try:
        yield
    except OSError as exc:
        raise RenderError(f"{path}: cannot write ({exc.strerror or exc}); is it open in another program?") from exc


def build_project(source: Path | Project, out_dir: Path | None = None, languages: list[str] | None = None,
                  formats: tuple[str, ...] = FORMATS, parallel: bool = True,
                  progress: ProgressCallback | None = None, name: str | None = None) -> BuildResult:
    """Build the given languages (default: all of the project's) into out_dir.

    `source` is a project file (out_dir defaults to its folder, names to its stem) or a Project
    in memory (out_dir is required; outputs are named `name`, default "report"). A Project is
    read when the call starts and while it runs; the caller changes it only after it returns.
    """
    if isinstance(source, Project):
        project, where = source, ""
        if out_dir is None:
            raise RenderError("a project that is not read from a file needs an output folder")
        name = name or DEFAULT_NAME
    else:
        path = Path(source)
        project, where = open_project(path), f"{path}: "
        out_dir = out_dir or path.parent
        name = name or path.stem
    languages = list(dict.fromkeys(languages or project.meta.languages))  # "en,en" builds en once
    unknown = [lang for lang in languages if lang not in project.meta.languages]
    if unknown:
        raise RenderError(f"{where}the project has no language {', '.join(unknown)} "
                          f"(it has {', '.join(project.meta.languages)})")
    bad_formats = [f for f in formats if f not in FORMATS]
    if bad_formats:
        raise RenderError(f"unknown output format {', '.join(bad_formats)}; use pdf and/or html")
    out_dir = Path(out_dir)
    with _writing(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
    load_template(project.meta.template)  # fail once, early, on a broken template
    if not parallel or len(languages) == 1:
        return BuildResult([_guarded(project, name, lang, formats, out_dir, progress) for lang in languages])
    # One snapshot for every worker, taken now: later edits cannot leak into a build under way.
    snapshot = pickle.dumps(project, protocol=pickle.HIGHEST_PROTOCOL)
    return BuildResult(_build_in_processes(snapshot, name, languages, formats, out_dir, progress))


def _guarded(project: Project, name: str, lang: str, formats: tuple[str, ...], out_dir: Path,
             progress: ProgressCallback | None) -> LanguageBuild:
    try:
        return build_language(project, name, lang, formats, out_dir, progress)
    except EsgAuthorError as exc:
        return LanguageBuild(lang, error=str(exc))


def _worker(snapshot: bytes, name: str, lang: str, formats: tuple[str, ...], out_dir: Path, queue: Any) -> None:
    try:
        project = pickle.loads(snapshot)  # our own snapshot, made by the parent process
        result = build_language(project, name, lang, formats, out_dir,
                                lambda done_lang, step: queue.put(("progress", done_lang, step)))
    except EsgAuthorError as exc:
        result = LanguageBuild(lang, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - reported to the parent with its traceback
        result = LanguageBuild(lang, error=f"internal error: {exc!r}\n{traceback.format_exc()}")
    queue.put(("done", lang, result))


def _start_method() -> str:
    """fork only where it is safe: on Linux, from a process with no other thread.

    macOS system frameworks break in a forked child, and forking a multi-threaded process (the Qt
    GUI) copies locks other threads held. Elsewhere spawn: the worker is a top-level function whose
    arguments (the project snapshot among them) pickle, so it starts fresh and imports what it needs.
    """
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _build_in_processes(snapshot: bytes, name: str, languages: list[str], formats: tuple[str, ...], out_dir: Path,
                        progress: ProgressCallback | None) -> list[LanguageBuild]:
    method = _start_method()
    ctx = multiprocessing.get_context(method)
    queue = ctx.Queue()
    workers = {lang: ctx.Process(target=_worker, args=(snapshot, name, lang, formats, out_dir, queue), daemon=True)
               for lang in languages}
    if method == "fork":
        # Keep the collector from walking (and so copying) the parent's heap in every forked child.
        gc.freeze()
    try:
        for process in workers.values():
            process.start()
    finally:
        if method == "fork":
            gc.unfreeze()
    results: dict[str, LanguageBuild] = {}

    def handle(kind: str, lang: str, payload: Any) -> None:
        if kind == "progress" and progress:
            progress(lang, payload)
        elif kind == "done" and lang in workers:
            results[lang] = payload

    while len(results) < len(workers):
        try:
            message = queue.get(timeout=1.0)
        except queue_module.Empty:  # nothing for a second: look for workers that ended without a result
            message = None
        if message is not None:
            handle(*message)
            continue
        ended = [lang for lang, process in workers.items() if lang not in results and not process.is_alive()]
        if not ended:
            continue
        # A worker writes its result before it exits, so anything it sent is in the queue by now.
        while True:
            try:
                handle(*queue.get_nowait())
            except queue_module.Empty:
                break
        for lang in ended:
            if lang not in results:
                code = workers[lang].exitcode
                results[lang] = LanguageBuild(lang, error=f"the build process stopped without a result (exit code {code})")
    for process in workers.values():
        process.join(timeout=10)
    return [results[lang] for lang in workers]
