"""The long-lived render process: results, newest wins, errors, a killed process, close."""

from __future__ import annotations

import io
import os
import re
import signal
import time
from collections.abc import Callable, Iterator

import pytest
from pypdf import PdfReader

from esg_author.core.errors import RenderError
from esg_author.core.render.worker import RenderSuperseded, RenderWorker, project_snapshot

KILL = getattr(signal, "SIGKILL", signal.SIGTERM)


@pytest.fixture(scope="module")
def worker() -> Iterator[RenderWorker]:
    with RenderWorker() as running:
        assert running.wait_ready(120)
        yield running


@pytest.fixture(autouse=True)
def default_policy(worker: RenderWorker) -> Iterator[None]:
    yield
    worker.supersede = "auto"


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.01)


def test_a_section_result_arrives(worker, small_project):
    ticket = worker.submit(small_project, "en", "section:env-data")
    result = worker.result(ticket, timeout=60)
    assert result.ok, result.error
    assert (result.ticket, result.lang, result.scope) == (ticket.id, "en", "section:env-data")
    assert result.pdf.startswith(b"%PDF") and result.pages == 1
    assert "1.1 Data" in PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text()
    assert result.seconds["total"] > 0 and worker.status(ticket) == "done"
    assert worker.poll() is None  # taken by result()


def test_poll_hands_over_the_result_once(worker, small_project):
    ticket = worker.submit(project_snapshot(small_project), "zh-Hant", "section:env", output="html")
    results = []
    wait_for(lambda: bool(results.append(worker.poll()) or results[-1]))
    assert results[-1].ticket == ticket.id and results[-1].pdf == b""
    assert 'id="sec-env"' in results[-1].html
    assert worker.poll() is None


def test_an_edition_gives_the_page_map_a_section_prints(worker, small_project):
    edition = worker.result(worker.submit(small_project, "en"), timeout=60)
    assert edition.ok and edition.pages >= 3
    page = edition.anchor_pages["sec-env-data"]
    section = worker.result(worker.submit(small_project, "en", "section:env-data", page_map=edition.anchor_pages), 60)
    assert re.search(rf"Example Co\s+{page}\s*$", PdfReader(io.BytesIO(section.pdf)).pages[0].extract_text())


def test_a_newer_request_supersedes_older_ones(worker, small_project):
    worker.supersede = "finish"
    older = [worker.submit(small_project, "en") for _ in range(3)]
    newest = worker.submit(small_project, "en", "section:env")
    for ticket in older:
        with pytest.raises(RenderSuperseded):
            worker.result(ticket, timeout=60)
        assert worker.status(ticket) == "superseded" and ticket.future.cancelled()
    result = worker.result(newest, timeout=60)
    assert result.ok and result.ticket == newest.id
    time.sleep(0.5)  # any result of the older requests has arrived by now, and was dropped
    assert worker.poll() is None


def test_a_running_render_is_stopped_by_a_restart(worker, small_project, demo_project):
    worker.supersede = "restart"
    long = worker.submit(demo_project, "en")  # the whole demo: seconds of layout
    wait_for(lambda: worker.status(long) == "rendering")
    before, pid = worker.restarts, worker.pid
    short = worker.submit(small_project, "en", "section:env")
    assert worker.restarts == before + 1 and worker.pid != pid
    assert worker.result(short, timeout=60).ok
    with pytest.raises(RenderSuperseded):
        worker.result(long, timeout=0)


def test_a_failing_request_is_an_error_result_and_the_worker_goes_on(worker, small_project):
    pid = worker.pid
    missing = worker.result(worker.submit(small_project, "en", "section:nope"), timeout=60)
    assert not missing.ok and missing.error_type == "ModelError" and "nope" in missing.error
    language = worker.result(worker.submit(small_project, "fr", "section:env"), timeout=60)
    assert language.error_type == "RenderError" and "no language fr" in language.error
    garbage = worker.result(worker.submit(b"not a project", "en"), timeout=60)
    assert garbage.error.startswith("internal error: UnpicklingError")
    assert worker.result(worker.submit(small_project, "en", "section:env"), timeout=60).ok
    assert worker.pid == pid  # the same process served all of them


def test_a_killed_idle_process_is_replaced(worker, small_project):
    pid = worker.pid
    os.kill(pid, KILL)
    wait_for(lambda: worker.pid != pid)
    assert worker.result(worker.submit(small_project, "en", "section:env"), timeout=60).ok


def test_a_process_killed_while_rendering_reports_it_and_recovers(worker, small_project, demo_project):
    ticket = worker.submit(demo_project, "en")
    wait_for(lambda: worker.status(ticket) == "rendering")
    os.kill(worker.pid, KILL)
    result = worker.result(ticket, timeout=60)
    assert result.error_type == "RenderProcessDied" and "stopped unexpectedly" in result.error
    assert worker.result(worker.submit(small_project, "en", "section:env"), timeout=60).ok


def test_requests_are_checked_when_submitted(worker, small_project):
    for scope in ("chapter:env", "section:", "all"):
        with pytest.raises(ValueError, match="render scope"):
            worker.submit(small_project, "en", scope)
    with pytest.raises(ValueError, match="output"):
        worker.submit(small_project, "en", output="docx")  # type: ignore[arg-type]


def test_close_ends_the_process(small_project):
    worker = RenderWorker()
    ticket = worker.submit(small_project, "en", "section:env")
    process = worker._generation.process
    worker.close()
    assert not process.is_alive() and ticket.future.cancelled()
    with pytest.raises(RenderError, match="closed"):
        worker.submit(small_project, "en")
    worker.close()  # twice is fine
