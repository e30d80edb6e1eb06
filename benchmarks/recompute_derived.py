"""Benchmark: recomputing the derived KPIs of a large synthetic project for one year.

The project has 2,000 KPIs: 450 sites, each with electricity and headcount (entered), a Scope 2
figure derived from electricity with an emission factor, and an energy intensity per head; sums
over 50 regions of 9 sites each (children()), group totals, an intensity and a prev() change on
top, and a chain of 95 formulas that each use the previous link. Inputs change before every run, so every derived
value is rewritten (the slowest case). Compiling the formulas (parsing, unit checks,
topological sort) is included in the time.

Target (issue "KPI data"): ≤ 0.2 s for one year.
Run:  .venv/bin/python benchmarks/recompute_derived.py [--runs 5]
Prints the figures and writes them to benchmarks/RESULTS.md (section "recompute_derived").
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.results import write_section
from esg_author.core.data.derived import recompute_derived
from esg_author.core.model import Kpi, KpiValue, Project, ReportMeta

YEAR = 2025
TARGET_SECONDS = 0.2


def synthetic_project() -> Project:
    meta = ReportMeta(company={"en": "Synthetic"}, title={"en": "Benchmark"}, year=YEAR,
                      period_start=date(YEAR, 1, 1), period_end=date(YEAR, 12, 31))
    project = Project(meta=meta)

    def add(kpi_id: str, unit: str, formula: str = "", value: str | None = None, parent: str | None = None,
            dimension: str = "", precision: int = 2) -> None:
        values = {YEAR - 1: KpiValue("number", Decimal(value)), YEAR: KpiValue("number", Decimal(value))} if value else {}
        project.kpis[kpi_id] = Kpi(kpi_id, {"en": kpi_id}, unit, parent_id=parent, dimension=dimension,
                                   precision=precision, formula=formula, values=values)

    add("emp.total", "person", value="25000", precision=0)
    add("energy.total", "MWh", "children(energy.total)")
    add("ghg.total", "tCO2e", "children(ghg.total)")
    add("ghg.intensity", "tCO2e_per_person", "ghg.total / emp.total", precision=4)
    add("ghg.change", "percent", "percent(ghg.total - prev(ghg.total), prev(ghg.total))", precision=1)
    for region in range(50):
        add(f"energy.r{region}", "MWh", f"children(energy.r{region})", parent="energy.total", dimension="region")
        add(f"ghg.r{region}", "tCO2e", f"children(ghg.r{region})", parent="ghg.total", dimension="region")
        for site in range(9):
            sid = f"r{region}.s{site}"
            add(f"energy.{sid}", "MWh", value=f"{1000 + region * 10 + site}.25", parent=f"energy.r{region}", dimension="site")
            add(f"ghg.{sid}", "tCO2e", f"energy.{sid} * factor(cn_grid_2023)", parent=f"ghg.r{region}", dimension="site")
            add(f"emp.{sid}", "person", value=f"{40 + site}", precision=0)
            add(f"intensity.{sid}", "MWh_per_person", f"energy.{sid} / emp.{sid}", precision=3)
    add("chain.0", "MWh", "energy.r0.s0 * 2")
    while len(project.kpis) < 2000:  # a chain: each link needs the one before
        link = len(project.kpis) - 1905  # chain.0 is the 1,906th KPI
        add(f"chain.{link}", "MWh", f"chain.{link - 1} + sum(energy.r{link % 50}.s1, energy.r{link % 50}.s2) / 100")
    return project


def touch_inputs(project: Project, run: int) -> None:
    """Change every entered energy value, so every derived value differs from the stored one."""
    for kpi in project.kpis.values():
        if kpi.id.startswith("energy.r") and kpi.id.count(".") == 2 and not kpi.formula:
            kpi.values[YEAR] = KpiValue("number", kpi.values[YEAR].number + Decimal(run + 1))  # type: ignore[operator]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions; the median is reported")
    args = parser.parse_args()

    project = synthetic_project()
    derived = sum(1 for kpi in project.kpis.values() if kpi.formula)
    recompute_derived(project, [YEAR])  # warm-up: pint registry, factor library, parser cache
    times, changed = [], 0
    for run in range(args.runs):
        touch_inputs(project, run)
        started = time.perf_counter()
        commands, problems = recompute_derived(project, [YEAR])
        times.append(time.perf_counter() - started)
        changed = len(commands)
        assert not problems
    median = statistics.median(times)
    text = "\n".join([
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"median of {args.runs} runs, warm.",
        "",
        f"Synthetic project: {len(project.kpis)} KPIs, {derived} derived (sums over children, factors, "
        "intensities, prev(), a chain of formulas).",
        f"recompute_derived for one year: {median * 1000:.0f} ms (min {min(times) * 1000:.0f} ms, max "
        f"{max(times) * 1000:.0f} ms), {changed} values changed; target ≤ {TARGET_SECONDS * 1000:.0f} ms.",
    ])
    print(text)
    write_section("recompute_derived", text)
    ok = median <= TARGET_SECONDS
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
