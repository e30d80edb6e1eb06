"""Benchmark: importing a data-collection workbook with 10,000 values.

Builds a project of 10,000 KPIs in 20 groups (two earlier years filled in), exports the
workbook, fills every input cell the way colleagues do (a mix of numbers and text such as
"1,234.5", "12 %", "N/A"), then times the import: reading and checking the workbook (openpyxl +
our parsing) and applying the changes as one command. Export is timed too, for information.

Target (issue "KPI data", item 5): parse + apply ≤ 1 s.
Run:  .venv/bin/python benchmarks/import_workbook.py [--runs 3] [--values 10000]
Prints the figures and writes them to benchmarks/RESULTS.md (section "import_workbook").
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl

from benchmarks.results import write_section
from esg_author.core.data.workbook_export import DataSheetLayout, export_workbook
from esg_author.core.data.workbook_import import import_command, read_workbook
from esg_author.core.model import Kpi, KpiValue, Project, ReportMeta

TARGET_SECONDS = 1.0
GROUPS = 20
UNITS = ("MWh", "t", "person", "percent", "tCO2e", "m3", "hour", "case")


def build_project(count: int) -> Project:
    meta = ReportMeta(company={"en": "Benchmark Ltd", "zh-Hant": "基準有限公司", "zh-Hans": "基准有限公司"},
                      title={"en": "ESG Report 2025"}, year=2025, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    project = Project(meta=meta)
    for index in range(count):
        kpi_id = f"group{index % GROUPS:02d}.kpi{index:05d}"
        values = {2023: KpiValue("number", Decimal(index) / 4), 2024: KpiValue("number", Decimal(index) / 8)}
        project.kpis[kpi_id] = Kpi(kpi_id, {"en": f"Indicator {index}", "zh-Hant": f"指標{index}", "zh-Hans": f"指标{index}"},
                                   UNITS[index % len(UNITS)], f"group{index % GROUPS:02d}", precision=2, values=values)
    return project


def fill_workbook(path: Path) -> int:
    """Type a value into every input cell, like a colleague would; returns the number of values."""
    layout = DataSheetLayout((2023, 2024, 2025))
    workbook = openpyxl.load_workbook(path)
    filled = 0
    for sheet in workbook.worksheets[1:GROUPS + 1]:
        for row in range(2, sheet.max_row + 1):
            kpi_id = sheet.cell(row, 1).value
            if not kpi_id:
                continue
            index = int(str(kpi_id).rsplit("kpi", 1)[1])
            unit = UNITS[index % len(UNITS)]
            style = index % 5
            if unit == "percent":
                value: object = f"{index % 100}.5 %"
            elif style == 0:
                value = f"{index:,}.25"  # text with thousands separators
            elif style == 1:
                value = "N/A"
            else:
                value = index + 0.125
            sheet.cell(row, layout.input_column).value = value
            filled += 1
    workbook.save(path)
    return filled


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions; the median is reported")
    parser.add_argument("--values", type=int, default=10_000, help="number of KPIs (one value each)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collect.xlsx"
        started = time.perf_counter()
        export_workbook(build_project(args.values), path)
        export_seconds = time.perf_counter() - started
        filled = fill_workbook(path)
        size_kib = path.stat().st_size / 1024

        parse, apply, changes = [], [], 0
        for _ in range(args.runs):
            project = build_project(args.values)
            started = time.perf_counter()
            result = read_workbook(project, path)
            parse.append(time.perf_counter() - started)
            assert result.ok, result.problems[:5]
            started = time.perf_counter()
            import_command(result).apply(project)
            apply.append(time.perf_counter() - started)
            changes = len(result.changes)

    parse_s, apply_s = statistics.median(parse), statistics.median(apply)
    total = parse_s + apply_s
    verdict = "met" if total <= TARGET_SECONDS else "MISSED"
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"openpyxl {openpyxl.__version__}; median of {args.runs} runs.",
        "",
        "| values filled | changes | workbook | export (s) | parse + check (s) | apply (s) | import total (s) | target |",
        "|---|---|---|---|---|---|---|---|",
        f"| {filled:,} | {changes:,} | {size_kib:,.0f} KiB | {export_seconds:.2f} | {parse_s:.3f} | {apply_s:.3f} "
        f"| {total:.3f} | ≤ {TARGET_SECONDS:.1f} s: {verdict} |",
    ]
    print("\n".join(lines))
    write_section("import_workbook", "\n".join(lines))
    return 0 if total <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
