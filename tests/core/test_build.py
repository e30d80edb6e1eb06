"""build_project as a user runs it: unwritable outputs, repeated languages, dying workers, start methods."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from esg_author.cli import main
from esg_author.core.render import build as build_module
from esg_author.core.render.build import build_project


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging the whole suite (the bugs these tests guard against were hangs)."""
    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - Windows
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def exit_without_result(*_args: object) -> None:
    """A worker that ends (exit code 0) without putting its result on the queue."""


@pytest.mark.parametrize("parallel", [False, True], ids=["sequential", "parallel"])
def test_unwritable_pdf_is_one_error_for_its_language(small_project_path, tmp_path, parallel):
    out = tmp_path / "out"
    blocked = out / "small.en.pdf"
    blocked.mkdir(parents=True)  # as good as a PDF held open by Acrobat: it cannot be replaced
    with deadline(300):
        result = build_project(small_project_path, out, ["en", "zh-Hant"], formats=("pdf",), parallel=parallel)
    assert [build.lang for build in result.failed] == ["en"]
    error = result.failed[0].error
    assert error.startswith(f"{blocked}: cannot write (") and error.endswith("is it open in another program?")
    assert "\n" not in error and "internal error" not in error
    assert (out / "small.zh-Hant.pdf").is_file()


def test_unwritable_site_is_an_error_not_a_traceback(small_project_path, tmp_path):
    out = tmp_path / "out"
    (out / "html" / "en" / "index.html").mkdir(parents=True)
    result = build_project(small_project_path, out, ["en"], formats=("html",), parallel=False)
    assert len(result.failed) == 1 and "cannot write" in result.failed[0].error


def test_cli_reports_an_unwritable_pdf_in_one_line(small_project_path, tmp_path, capsys):
    out = tmp_path / "out"
    (out / "small.en.pdf").mkdir(parents=True)
    assert main(["build", str(small_project_path), "--lang", "en", "--format", "pdf", "--out", str(out)]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("esg-author: error:")]
    assert len(errors) == 1 and "small.en.pdf: cannot write" in errors[0]


@pytest.mark.parametrize("langs, built", [("en,en", ["en"]), ("en,zh-Hans,en", ["en", "zh-Hans"])])
def test_a_language_asked_for_twice_is_built_once(small_project_path, tmp_path, langs, built):
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "esg_author", "build", str(small_project_path), "--lang", langs,
         "--format", "html", "--out", str(out)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "html").iterdir() if p.is_dir()) == sorted(built)
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == built


def test_worker_that_exits_without_a_result_is_an_error(small_project_path, tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "_worker", exit_without_result)
    with deadline(120):
        result = build_project(small_project_path, tmp_path / "out", ["en", "zh-Hant"], formats=("html",), parallel=True)
    assert [build.lang for build in result.failed] == ["en", "zh-Hant"]
    assert all("stopped without a result (exit code 0)" in build.error for build in result.failed)


@pytest.mark.slow
def test_spawn_builds_two_languages(small_project_path, tmp_path, monkeypatch):
    frozen: list[bool] = []
    monkeypatch.setattr(build_module, "_start_method", lambda: "spawn")
    monkeypatch.setattr(build_module.gc, "freeze", lambda: frozen.append(True))
    out = tmp_path / "out"
    steps: list[tuple[str, str]] = []
    with deadline(600):
        result = build_project(small_project_path, out, ["en", "zh-Hant"], parallel=True,
                               progress=lambda lang, step: steps.append((lang, step)))
    assert result.failed == [], [build.error for build in result.failed]
    assert (out / "small.en.pdf").is_file() and (out / "small.zh-Hant.pdf").is_file()
    assert (out / "html" / "en" / "index.html").is_file() and (out / "html" / "zh-Hant" / "index.html").is_file()
    assert sorted(steps) == sorted((lang, step) for lang in ("en", "zh-Hant") for step in ("html", "pdf", "site"))
    assert frozen == []  # gc.freeze() only helps (and is only used) around a fork


def test_fork_only_on_linux_from_a_single_thread(monkeypatch):
    monkeypatch.setattr(build_module.threading, "active_count", lambda: 1)
    monkeypatch.setattr(build_module.sys, "platform", "linux")
    assert build_module._start_method() == "fork"
    monkeypatch.setattr(build_module.sys, "platform", "darwin")
    assert build_module._start_method() == "spawn"
    monkeypatch.setattr(build_module.sys, "platform", "win32")
    assert build_module._start_method() == "spawn"
    monkeypatch.setattr(build_module.sys, "platform", "linux")
    monkeypatch.setattr(build_module.threading, "active_count", lambda: 3)  # e.g. the Qt GUI
    assert build_module._start_method() == "spawn"


def test_a_real_extra_thread_means_spawn(monkeypatch):
    if sys.platform != "linux":
        pytest.skip("fork is only used on Linux")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert build_module._start_method() == "spawn"
    finally:
        stop.set()
        thread.join()


def test_printed_index_locates_tables_like_the_index_command(small_project):
    """A table placed in different sections per language is located by one rule for every edition."""
    from esg_author.core.frameworks.index import table_locations
    from esg_author.core.model import SectionText
    from esg_author.core.render.context import build_context
    from esg_author.core.render.index_tables import build_index

    project = small_project
    env, env_data, intro = project.section("env"), project.section("env-data"), project.section("intro")
    env.texts["zh-Hant"] = SectionText("環境", "排放下降。")
    env_data.texts["zh-Hant"] = SectionText("數據", "數據。\n\n[[table:env]]")  # here only in zh-Hant
    for lang, text in intro.texts.items():
        intro.texts[lang] = SectionText(text.title, text.body + "\n\n[[index:hkex-esg-2020]]")
    assert table_locations(project)["env"] == "env"
    numbers = project.section_numbers()
    for lang in ("zh-Hant", "en"):
        context = build_context(project, lang, "pdf")
        printed = next(block["index"] for section in context.data["sections"] for block in section["blocks"]
                       if block["kind"] == "index")
        expected, _findings = build_index(project, "hkex-esg-2020", lang, numbers, table_locations(project))
        references = [ref for group in printed["groups"] for row in group["rows"] for ref in row["references"]]
        assert references
        # The full edition links every reference and lets the template count its page.
        assert all(ref.pop("href") == f"#{ref['anchor']}" and ref.pop("page") is None for ref in references)
        assert printed == expected


def test_an_unsaved_project_is_built_from_memory(small_project, tmp_path):
    from pypdf import PdfReader

    from esg_author.core.model import SectionText

    small_project.section("intro").texts["en"] = SectionText("About", "Words typed but never saved.")
    out = tmp_path / "out"
    with deadline(300):
        result = build_project(small_project, out, ["en", "zh-Hant"], formats=("pdf",), parallel=True, name="draft")
    assert result.failed == [], [build.error for build in result.failed]
    assert sorted(p.name for p in out.iterdir()) == ["draft.en.pdf", "draft.zh-Hant.pdf"]
    text = "".join(page.extract_text() for page in PdfReader(out / "draft.en.pdf").pages)
    assert "Words typed but never saved." in text
    en = result.languages[0]
    assert en.lang == "en" and en.anchor_pages["sec-env"] >= 1 and en.pages >= en.anchor_pages["sec-env-data"]
    assert not list(tmp_path.glob("*.esgproj"))


def test_an_unsaved_project_needs_an_output_folder(small_project):
    from esg_author.core.errors import RenderError

    with pytest.raises(RenderError, match="needs an output folder"):
        build_project(small_project, None, ["en"])
