"""Benchmark: one section previewed alone, in process and through the long-lived render worker.

In one process (warm, after one untimed run): the demo's English edition in full, a sub-section
(6.1) and a chapter (6) alone. Then the RenderWorker: its start (spawn, imports, warm-up), the
round trip of a section preview (snapshot, request, render, result), and the latency of a preview
submitted while an edition is being rendered, with each way of superseding it (restart the
process, or let the edition finish and drop it) — the figures behind the worker's "auto" choice.

Targets: a warm section preview ≤ 1 s in process and through the worker.
Run:  .venv/bin/python benchmarks/preview_section.py [--runs 3]
Prints the figures and writes them to benchmarks/RESULTS.md (section "preview_section").
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.results import write_section
from esg_author.core.bundled import load_demo_project
from esg_author.core.render.edition import render_edition_pdf, render_section_pdf
from esg_author.core.render.template import load_template
from esg_author.core.render.worker import RenderWorker, project_snapshot

TARGET_SECONDS = 1.0


def timed(function, runs: int) -> tuple[float, object]:
    seconds, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def superseding_latency(project, policy: str, page_map: dict[str, int]) -> float:
    """Seconds from submitting a preview while an edition renders until the preview arrives."""
    with RenderWorker(supersede=policy) as worker:  # type: ignore[arg-type]
        worker.wait_ready(120)
        worker.result(worker.submit(project, "en", "section:climate", page_map=page_map), 120)  # warm
        edition = worker.submit(project, "en")
        while worker.status(edition) != "rendering":
            time.sleep(0.01)
        time.sleep(0.5)  # well into the layout
        started = time.perf_counter()
        worker.result(worker.submit(project, "en", "section:climate", page_map=page_map), 120)
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions; the median is reported")
    args = parser.parse_args()

    project = load_demo_project()
    template = load_template(project.meta.template)
    full = render_edition_pdf(project, "en", template)  # warm-up, and the page map
    page_map = full.anchor_pages
    full_seconds, full = timed(lambda: render_edition_pdf(project, "en", template), args.runs)
    render_section_pdf(project, "climate", "en", template, page_map)
    sub_seconds, sub = timed(lambda: render_section_pdf(project, "climate", "en", template, page_map), args.runs)
    chapter_seconds, chapter = timed(lambda: render_section_pdf(project, "environment", "en", template, page_map), args.runs)
    snapshot_seconds, snapshot = timed(lambda: project_snapshot(project), args.runs)

    starts, trips = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        with RenderWorker() as worker:
            worker.wait_ready(120)
            starts.append(time.perf_counter() - started)
            worker.result(worker.submit(project, "en", "section:climate", page_map=page_map), 120)  # first request
            started = time.perf_counter()
            worker.result(worker.submit(project, "en", "section:climate", page_map=page_map), 120)
            trips.append(time.perf_counter() - started)
    start, trip = statistics.median(starts), statistics.median(trips)
    restart = superseding_latency(project, "restart", page_map)
    finish = superseding_latency(project, "finish", page_map)

    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"median of {args.runs} runs, warm; the demo in English.",
        "",
        "| what | pages | seconds |",
        "|---|---|---|",
        f"| full edition (render_edition_pdf) | {full.pages} | {full_seconds:.2f} |",
        f"| sub-section 6.1 alone (render_section_pdf) | {sub.pages} | {sub_seconds:.2f} |",
        f"| chapter 6 alone | {chapter.pages} | {chapter_seconds:.2f} |",
        f"| project snapshot (pickle, {len(snapshot) // 1024} KiB) | | {snapshot_seconds:.3f} |",
        f"| RenderWorker start: spawn, imports, warm-up | | {start:.2f} |",
        f"| RenderWorker round trip of the 6.1 preview | {sub.pages} | {trip:.2f} |",
        f"| 6.1 preview submitted during an edition render, supersede=restart | | {restart:.2f} |",
        f"| the same, supersede=finish (the edition finishes, its result is dropped) | | {finish:.2f} |",
        "",
        f"A preview is {full_seconds / sub_seconds:.0f}× faster than the full edition. The worker's \"auto\" policy "
        "restarts the process for a superseded render only when its remaining time is expected to exceed a restart: "
        "editions are stopped, previews finish.",
        f"Target: a warm preview ≤ {TARGET_SECONDS:.0f} s in process and through the worker.",
    ]
    text = "\n".join(lines)
    print(text)
    write_section("preview_section", text)
    ok = sub_seconds <= TARGET_SECONDS and trip <= TARGET_SECONDS
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
