"""A long-lived render process for the editor: previews and page maps without blocking the UI.

`RenderWorker` starts one process that keeps WeasyPrint imported and warm, and renders requests
one at a time: an edition (a language's whole PDF, whose `anchor_pages` are the page map later
previews print) or one section alone. It knows nothing of Qt: `submit()` returns at once with a
ticket; the result is fetched with `poll()` (from a timer), `result(ticket, timeout)`, or a
callback on `ticket.future` (run on a worker thread: a GUI hands it to its own thread, e.g. by
emitting a signal).

Newest wins. A request supersedes every older one: an older one still waiting is dropped, and one
being rendered is either left to finish with its result thrown away, or stopped by restarting the
process, whichever is expected to be sooner (see `_should_restart`); a superseded ticket's future
is cancelled, so a caller never receives a stale result. A request that fails comes back as a
result with `error`; a process that dies is restarted, and the request it was rendering comes
back as an error. Use one worker per stream of requests (e.g. the live preview, and the page map
refresh in the background), since each worker serves only its newest request.

The process is always started with spawn: the GUI is multi-threaded (and so is this class), and
forking a multi-threaded process can copy locks held by other threads.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import pickle
import queue as queue_module
import sys
import threading
import time
import traceback
from collections.abc import Mapping
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import dataclass, field
from typing import Any, Literal

from esg_author.core.errors import EsgAuthorError, RenderError
from esg_author.core.findings import Finding
from esg_author.core.model import Project

logger = logging.getLogger(__name__)

Output = Literal["pdf", "html"]
SupersedePolicy = Literal["auto", "restart", "finish"]
TicketStatus = Literal["waiting", "rendering", "done", "superseded"]
EDITION = "edition"
SECTION_PREFIX = "section:"
# Until durations are measured: an edition takes seconds to tens of seconds, longer than a restart.
_LONG_BY_DEFAULT = (EDITION,)
_PARENT_CHECK_SECONDS = 1.0


class RenderSuperseded(CancelledError):
    """The request was replaced by a newer one before its result arrived."""


@dataclass
class RenderResult:
    """What a request produced. `error` is set (and the rest empty) when it failed."""

    ticket: int
    lang: str
    scope: str
    output: Output
    pdf: bytes = b""
    html: str = ""  # the final HTML (the document laid out for the PDF)
    pages: int = 0
    anchor_pages: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # context, jinja, layout, write, total
    error: str = ""
    error_type: str = ""  # the exception's class name, e.g. "ModelError"

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class RenderTicket:
    id: int
    lang: str
    scope: str
    output: Output
    future: Future[RenderResult] = field(compare=False, repr=False)


@dataclass(frozen=True)
class _Request:
    ticket: int
    snapshot: bytes
    lang: str
    scope: str
    output: Output
    page_map: Mapping[str, int] | None


def project_snapshot(project: Project) -> bytes:
    """A frozen copy of a project for a render (about 10 ms and 400 KB for the demo)."""
    return pickle.dumps(project, protocol=pickle.HIGHEST_PROTOCOL)


def parse_scope(scope: str) -> str | None:
    """The section id of "section:<id>", None for "edition"; ValueError for anything else."""
    if scope == EDITION:
        return None
    if scope.startswith(SECTION_PREFIX) and scope != SECTION_PREFIX:
        return scope.removeprefix(SECTION_PREFIX)
    raise ValueError(f"render scope must be {EDITION!r} or 'section:<id>', not {scope!r}")


class _Generation:
    """One worker process and its channels; replaced as a whole when the process is restarted."""

    def __init__(self, ctx: Any, number: int) -> None:
        self.number = number
        self.requests = ctx.Queue()  # put() never blocks the caller, even while the process renders
        receive, send = ctx.Pipe(duplex=False)
        self.results = receive
        self.process = ctx.Process(target=serve, args=(self.requests, send), daemon=True,
                                   name=f"esg-author-render-{number}")
        self.started_at = time.perf_counter()
        self.process.start()
        send.close()  # the child holds the only write end: its exit is our end of file
        self.ready = False
        self.startup_seconds: float | None = None

    def stop(self) -> None:
        self.requests.close()
        self.requests.cancel_join_thread()  # never wait to flush requests to a process that is gone
        if self.process.is_alive():
            self.process.terminate()


@dataclass
class _Current:
    ticket: RenderTicket
    request: _Request
    generation: int  # the process it was sent to
    started_at: float | None = None  # when the process began rendering it


class RenderWorker:
    """One render process serving the newest request; see the module docstring."""

    def __init__(self, supersede: SupersedePolicy = "auto") -> None:
        """Start the process (it warms up in the background; submit() may be called at once).

        `supersede`: what happens to a render still running when a newer request arrives:
        "finish" lets it finish and drops its result, "restart" stops it by restarting the
        process, "auto" (default) restarts only when finishing is expected to take longer than a
        restart, from the durations measured so far (a section preview of the demo takes 0.2 s,
        an edition 7 s, a restart 0.6 s: previews finish, editions are stopped).
        """
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.RLock()
        self.supersede: SupersedePolicy = supersede  # how a running, superseded render is stopped
        self._next_ticket = 1
        self._generation: _Generation | None = None
        self._generations = 0
        self._current: _Current | None = None
        self._unclaimed: RenderResult | None = None
        self._durations: dict[str, float] = {}  # last render time per kind of scope, measured here
        self._startup_seconds: float | None = None
        self._closed = False
        self.restarts = 0  # processes started after the first (deaths and stopped renders)
        with self._lock:
            self._start()
        # Before multiprocessing's own exit handler stops the process: else it would look like a death.
        atexit.register(self.close)

    # -- public API -------------------------------------------------------------------------

    def submit(self, project: Project | bytes, lang: str, scope: str = EDITION, output: Output = "pdf",
               page_map: Mapping[str, int] | None = None) -> RenderTicket:
        """Queue a render and return at once; every older request is superseded.

        `project` is a Project (snapshotted here, in the caller's thread, so later edits cannot
        leak in) or a snapshot from project_snapshot(). `page_map` is the anchor_pages of a
        previous edition render of the same language, for a section's real page numbers.
        """
        parse_scope(scope)
        if output not in ("pdf", "html"):
            raise ValueError(f"render output must be 'pdf' or 'html', not {output!r}")
        snapshot = project if isinstance(project, bytes) else project_snapshot(project)
        with self._lock:
            if self._closed:
                raise RenderError("the render worker has been closed")
            ticket = RenderTicket(self._next_ticket, lang, scope, output, Future())
            self._next_ticket += 1
            request = _Request(ticket.id, snapshot, lang, scope, output, dict(page_map) if page_map else None)
            self._supersede_current()
            if self._generation is None or not self._generation.process.is_alive():
                self._start()
            assert self._generation is not None
            self._current = _Current(ticket, request, self._generation.number)
            self._generation.requests.put(("render", request))
        return ticket

    def poll(self) -> RenderResult | None:
        """The newest request's result if it has arrived and was not taken yet; never blocks."""
        with self._lock:
            result, self._unclaimed = self._unclaimed, None
            return result

    def result(self, ticket: RenderTicket, timeout: float | None = None) -> RenderResult:
        """Wait for a ticket's result. RenderSuperseded if a newer request replaced it,
        TimeoutError if it has not arrived within `timeout` seconds."""
        try:
            result = ticket.future.result(timeout)
        except CancelledError:
            raise RenderSuperseded(f"render request {ticket.id} was superseded by a newer one") from None
        except FutureTimeoutError:
            raise TimeoutError(f"render request {ticket.id} has no result after {timeout} s") from None
        with self._lock:
            if self._unclaimed is not None and self._unclaimed.ticket == ticket.id:
                self._unclaimed = None
        return result

    def status(self, ticket: RenderTicket) -> TicketStatus:
        """Where a request is: "waiting" (sent, not begun), "rendering", "done" or "superseded"."""
        if ticket.future.cancelled():
            return "superseded"
        if ticket.future.done():
            return "done"
        with self._lock:
            current = self._current
            if current is not None and current.ticket.id == ticket.id and current.started_at is not None:
                return "rendering"
        return "waiting"

    def cancel(self) -> None:
        """Supersede the pending request without making a new one (e.g. the preview was closed)."""
        with self._lock:
            self._supersede_current()

    @property
    def pid(self) -> int | None:
        with self._lock:
            return self._generation.process.pid if self._generation else None

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait until the process has started and warmed up; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                if self._generation is not None and self._generation.ready:
                    return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def close(self, timeout: float = 5.0) -> None:
        """End the process; pending requests are cancelled. Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._supersede_current()
            generation, self._generation = self._generation, None
        atexit.unregister(self.close)
        if generation is None:
            return
        try:
            generation.requests.put(("close", None))
        except (OSError, ValueError):  # the queue is already closed
            pass
        generation.process.join(timeout)
        generation.stop()
        generation.process.join(timeout)

    def __enter__(self) -> RenderWorker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- process management (called with the lock held) ------------------------------------

    def _start(self) -> None:
        self._generations += 1
        if self._generations > 1:
            self.restarts += 1
        generation = _Generation(self._ctx, self._generations)
        self._generation = generation
        threading.Thread(target=self._read, args=(generation,), daemon=True,
                         name=f"esg-author-render-reader-{generation.number}").start()

    def _restart(self) -> None:
        old = self._generation
        if old is not None:
            old.stop()
        self._start()

    def _supersede_current(self) -> None:
        self._unclaimed = None
        current, self._current = self._current, None
        if current is None:
            return
        current.ticket.future.cancel()
        if current.started_at is not None and self._should_restart(current):
            logger.debug("stopping render %s (%s) by restarting the process", current.ticket.id, current.ticket.scope)
            self._restart()

    def _should_restart(self, current: _Current) -> bool:
        """Stop a running, superseded render by restarting the process only when letting it finish
        is expected to take longer than a restart (start, imports, warm-up), as measured."""
        if self.supersede != "auto":
            return self.supersede == "restart"
        kind = _scope_kind(current.ticket.scope)
        expected = self._durations.get(kind)
        if expected is None or self._startup_seconds is None:
            return kind in _LONG_BY_DEFAULT
        elapsed = time.perf_counter() - (current.started_at or time.perf_counter())
        return expected - elapsed > self._startup_seconds

    # -- the reader thread: one per process ---------------------------------------------------

    def _read(self, generation: _Generation) -> None:
        while True:
            try:
                kind, payload = generation.results.recv()
            except (EOFError, OSError):
                break
            except Exception:  # a result that cannot be unpickled: logged, the process goes on
                logger.exception("render result could not be read")
                continue
            with self._lock:
                self._handle(generation, kind, payload)
        generation.process.join(5)
        generation.results.close()
        with self._lock:
            self._process_ended(generation)

    def _handle(self, generation: _Generation, kind: str, payload: Any) -> None:
        current = self._current
        if kind == "ready":
            generation.ready = True
            generation.startup_seconds = time.perf_counter() - generation.started_at
            self._startup_seconds = generation.startup_seconds
        elif kind == "started":
            if current is not None and current.ticket.id == payload and current.generation == generation.number:
                current.started_at = time.perf_counter()
        elif kind == "done":
            result: RenderResult = payload
            if current is not None and current.started_at is not None and result.ok:
                self._durations[_scope_kind(result.scope)] = time.perf_counter() - current.started_at
            if current is None or current.ticket.id != result.ticket or current.generation != generation.number:
                return  # superseded: dropped, never delivered
            self._current = None
            self._deliver(current, result)

    def _process_ended(self, generation: _Generation) -> None:
        if self._closed or self._generation is not generation or sys.is_finalizing():
            return  # closed, replaced on purpose, or the program is ending
        code = generation.process.exitcode
        logger.warning("render process %s stopped (exit code %s); restarting it", generation.process.pid, code)
        self._generation = None
        current = self._current
        if current is not None and current.generation == generation.number:
            self._current = None
            self._deliver(current, RenderResult(
                current.ticket.id, current.ticket.lang, current.ticket.scope, current.ticket.output,
                error=f"the render process stopped unexpectedly (exit code {code}); it has been restarted",
                error_type="RenderProcessDied"))
        if generation.ready:
            self._start()  # keep a warm process ready for the next request
        # A process that died before it was ready is not restarted in a loop: the next submit starts one.

    def _deliver(self, current: _Current, result: RenderResult) -> None:
        self._unclaimed = result
        if not current.ticket.future.cancelled():
            current.ticket.future.set_result(result)


def _scope_kind(scope: str) -> str:
    return EDITION if scope == EDITION else "section"


# -- the worker process ---------------------------------------------------------------------


def serve(requests: Any, results: Any) -> None:
    """The worker process: warm up, then render the newest request until told to close."""
    _warm_up()
    results.send(("ready", None))
    parent = multiprocessing.parent_process()
    while True:
        try:
            message = requests.get(timeout=_PARENT_CHECK_SECONDS)
        except queue_module.Empty:
            if parent is not None and not parent.is_alive():
                return  # the editor is gone (killed, crashed): do not linger
            continue
        except (EOFError, OSError):
            return
        # Newest wins: of what is waiting, only the last request is rendered.
        while True:
            if message[0] == "close":
                return
            try:
                message = requests.get_nowait()
            except queue_module.Empty:
                break
        request: _Request = message[1]
        results.send(("started", request.ticket))
        results.send(("done", render_request(request)))


def render_request(request: _Request) -> RenderResult:
    """Run one request; any failure becomes an error result naming it."""
    from esg_author.core.render.edition import render_edition_pdf, render_language, render_section_html, render_section_pdf
    from esg_author.core.render.template import load_template

    started = time.perf_counter()
    result = RenderResult(request.ticket, request.lang, request.scope, request.output)
    try:
        project = pickle.loads(request.snapshot)  # our own snapshot, made by the parent process
        if not isinstance(project, Project):
            raise RenderError(f"render request {request.ticket} does not hold a project")
        if request.lang not in project.meta.languages:
            raise RenderError(f"the project has no language {request.lang} (it has {', '.join(project.meta.languages)})")
        template = load_template(project.meta.template)
        section_id = parse_scope(request.scope)
        if request.output == "html":
            if section_id is None:
                html, findings, seconds = render_language(project, request.lang, template, "pdf")
            else:
                edition = render_section_html(project, section_id, request.lang, template, request.page_map)
                html, findings, seconds = edition.html, edition.findings, edition.seconds
            result.html, result.findings, result.seconds = html, findings, dict(seconds)
        else:
            pdf = (render_edition_pdf(project, request.lang, template) if section_id is None else
                   render_section_pdf(project, section_id, request.lang, template, request.page_map))
            result.pdf, result.html, result.pages = pdf.pdf, pdf.html, pdf.pages
            result.anchor_pages, result.findings, result.seconds = pdf.anchor_pages, pdf.findings, dict(pdf.seconds)
    except EsgAuthorError as exc:
        result = RenderResult(request.ticket, request.lang, request.scope, request.output,
                              error=str(exc), error_type=type(exc).__name__)
    except Exception as exc:  # noqa: BLE001 - reported to the caller; the process serves the next request
        logger.error("render request %s failed:\n%s", request.ticket, traceback.format_exc())
        result = RenderResult(request.ticket, request.lang, request.scope, request.output,
                              error=f"internal error: {type(exc).__name__}: {exc}", error_type=type(exc).__name__)
    result.seconds["total"] = time.perf_counter() - started
    return result


def _warm_up() -> None:
    """Import WeasyPrint and lay out a page with Latin and CJK text, so fontconfig, Pango and the
    fonts are loaded before the first request (the first layout of a fresh process is slow)."""
    try:
        from weasyprint import HTML

        HTML(string='<p lang="en">Report</p><p lang="zh-Hant-HK">報告</p><p lang="zh-Hans-CN">报告</p>').render()
    except Exception:  # warming up is an optimisation; a real request reports real errors
        logger.exception("render process warm-up failed")
