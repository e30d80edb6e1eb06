"""Benchmark: building the demo report, split into our own code and WeasyPrint.

For each language, in one process (warm, after one untimed build): our code (context building
with Markdown, and Jinja) and WeasyPrint (layout, PDF writing); then WeasyPrint alone on the same
final HTML. Then three languages built one after another versus in parallel processes.

Targets (issue #2): our code ≤ 10 % of a language's build; parallel ≤ 0.65 × sequential.
Run:  .venv/bin/python benchmarks/build_demo.py [--runs 3]
Prints the figures and writes them to benchmarks/RESULTS.md (section "build_demo").
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.results import write_section
from esg_author.core.bundled import load_demo_project
from esg_author.core.render.build import build_project
from esg_author.core.render.edition import render_edition_pdf
from esg_author.core.render.pdf import render_pdf
from esg_author.core.render.template import load_template
from esg_author.core.storage import save_project


def time_language(project, lang: str, template) -> dict[str, float]:
    pdf = render_edition_pdf(project, lang, template)
    stylesheets = [template.file(css) for css in template.pdf_stylesheets]
    started = time.perf_counter()
    render_pdf(pdf.html, template.folder, stylesheets, project.assets, lang)  # WeasyPrint alone
    alone = time.perf_counter() - started
    return {**pdf.seconds, "weasyprint_alone": alone, "pages": pdf.pages}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions; the median is reported")
    args = parser.parse_args()

    project = load_demo_project()
    template = load_template(project.meta.template)
    languages = project.meta.languages
    for lang in languages:  # warm-up: imports, fonts, caches
        time_language(project, lang, template)

    per_language: dict[str, list[dict[str, float]]] = {lang: [] for lang in languages}
    for _ in range(args.runs):
        for lang in languages:
            per_language[lang].append(time_language(project, lang, template))

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.esgproj"
        save_project(project, path)
        sequential, parallel = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            build_project(path, Path(folder), formats=("pdf",), parallel=False)
            sequential.append(time.perf_counter() - started)
            started = time.perf_counter()
            build_project(path, Path(folder), formats=("pdf",), parallel=True)
            parallel.append(time.perf_counter() - started)

    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"median of {args.runs} runs, warm.",
        "",
        "| language | pages | context + Markdown (s) | Jinja (s) | WeasyPrint layout (s) | PDF write (s) "
        "| our share | WeasyPrint alone on the same HTML (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    shares = []
    for lang in languages:
        runs = per_language[lang]
        med = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        ours = med["context"] + med["jinja"]
        total = ours + med["layout"] + med["write"]
        shares.append(ours / total)
        lines.append(f"| {lang} | {int(med['pages'])} | {med['context']:.3f} | {med['jinja']:.3f} | "
                     f"{med['layout']:.2f} | {med['write']:.2f} | {ours / total:.1%} | {med['weasyprint_alone']:.2f} |")
    seq, par = statistics.median(sequential), statistics.median(parallel)
    lines += [
        "",
        f"Three languages (PDF only, whole build incl. opening the project): sequential {seq:.2f} s, "
        f"parallel processes {par:.2f} s → ratio {par / seq:.2f} (target ≤ 0.65).",
        f"Our code's share of a language build: at most {max(shares):.1%} (target ≤ 10 %).",
    ]
    text = "\n".join(lines)
    print(text)
    write_section("build_demo", text)
    ok = max(shares) <= 0.10 and par / seq <= 0.65
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
