"""validate(project): every invariant in one place, used by the loaders and the commands."""

from __future__ import annotations

import copy
import sqlite3
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from esg_author.core.errors import InvalidProjectError, ProjectFormatError
from esg_author.core.model import Asset, DisclosureStatus, EmissionFactor, GlossaryTerm, Kpi, KpiValue, Project, Section
from esg_author.core.model.validate import BASIC_VOCABULARY, check_valid, validate
from esg_author.core.storage import open_project, save_project
from esg_author.core.vocabulary import STANDARD_VOCABULARY


def fields_of(project: Project) -> list[str]:
    return [problem.field for problem in validate(project, STANDARD_VOCABULARY)]


def test_demo_and_small_projects_are_valid(demo_project, small_project):
    assert validate(demo_project, STANDARD_VOCABULARY) == []
    assert validate(small_project, STANDARD_VOCABULARY) == []
    check_valid(small_project)


# Each case breaks one rule; the problem names the field.
BREAKERS = [
    ("year", lambda p: setattr(p.meta, "year", "2025年")),
    ("year", lambda p: setattr(p.meta, "year", 20255)),
    ("year", lambda p: setattr(p.meta, "year", True)),
    ("period_end", lambda p: setattr(p.meta, "period_end", date(2024, 12, 31))),
    ("period_start", lambda p: setattr(p.meta, "period_start", "2025-01-01")),
    ("currency", lambda p: setattr(p.meta, "currency", "Yuan")),
    ("languages", lambda p: setattr(p.meta, "languages", ["fr"])),
    ("languages", lambda p: setattr(p.meta, "languages", [])),
    ("languages", lambda p: setattr(p.meta, "languages", ["en", "en"])),
    ("company.fr", lambda p: p.meta.company.update(fr="Exemple")),
    ("frameworks", lambda p: setattr(p.meta, "frameworks", ["GRI 2021"])),
    ("template", lambda p: setattr(p.meta, "template", "../x")),
    ("logo", lambda p: setattr(p.meta, "logo", "missing.png")),
    ("option.date_style", lambda p: p.meta.options.update(date_style="roman")),
    ("option.bilingual_tables", lambda p: p.meta.options.update(bilingual_tables=1)),
    ("option.yoy_threshold", lambda p: p.meta.options.update(yoy_threshold=float("nan"))),
    ("section[env].id", lambda p: p.sections.append(Section("env"))),
    ("section[bad id].id", lambda p: p.sections.append(Section("bad id"))),
    ("section[x].parent_id", lambda p: p.sections.append(Section("x", "nowhere"))),
    ("section[env].parent_id", lambda p: setattr(p.section("env"), "parent_id", "env-data")),
    ("section[env].disclosures", lambda p: p.section("env").disclosures.append("no colon")),
    ("section[env].en.state", lambda p: setattr(p.section("env").texts["en"], "state", "done")),
    ("kpi[ghg.total].unit", lambda p: setattr(p.kpis["ghg.total"], "unit", "furlong")),
    ("kpi[ghg.total].display_unit", lambda p: setattr(p.kpis["ghg.total"], "display_unit", "MWh")),
    ("kpi[ghg.total].precision", lambda p: setattr(p.kpis["ghg.total"], "precision", 7)),
    ("kpi[ghg.total].parent_id", lambda p: setattr(p.kpis["ghg.total"], "parent_id", "ghg.scope2")),
    ("kpi[emp.total].parent_id", lambda p: setattr(p.kpis["emp.total"], "parent_id", "nope")),
    ("kpi[emp.total].values[2025].number", lambda p: p.kpis["emp.total"].values.update({2025: KpiValue("number", Decimal("NaN"))})),
    ("kpi[emp.total].values[2025].number", lambda p: p.kpis["emp.total"].values.update({2025: KpiValue("number", Decimal("Infinity"))})),
    ("kpi[emp.total].values", lambda p: p.kpis["emp.total"].values.update({99: KpiValue("number", Decimal(1))})),
    ("kpi[emp.total].entity_values", lambda p: p.kpis["emp.total"].entity_values.update({" HK ": {}})),
    ("kpi[emp.total].values[2025].maximum", lambda p: p.kpis["emp.total"].values.update(
        {2025: KpiValue("score", Decimal(1), Decimal(0))})),
    ("kpi[x].id", lambda p: p.kpis.update(x=Kpi("y", {}, "t"))),
    ("table[env].rows", lambda p: p.tables["env"].rows.append("nope")),
    ("table[env].rows", lambda p: p.tables["env"].rows.append("ghg.total")),
    ("table[env].years", lambda p: setattr(p.tables["env"], "years", [2025, 2025])),
    ("table[env].order", lambda p: setattr(p.tables["env"], "order", "newest first")),
    ("status[gri-2021:305-1].status", lambda p: p.statuses.update(
        {("gri-2021", "305-1"): DisclosureStatus("gri-2021", "305-1", "maybe")})),
    ("status[gri-2021:305-1].omission_reason", lambda p: p.statuses.update(
        {("gri-2021", "305-1"): DisclosureStatus("gri-2021", "305-1", "omitted", omission_reason="lazy")})),
    ("factor[f].value", lambda p: p.factors.update(f=EmissionFactor("f", Decimal("NaN"), "tCO2e/MWh", {}, 2024))),
    ("factor[f].unit", lambda p: p.factors.update(f=EmissionFactor("f", Decimal(1), "tCO2e/wombat", {}, 2024))),
    ("asset[../x.png]", lambda p: p.assets.update({"../x.png": Asset("../x.png", "image/png", b"")})),
    ("asset[A.png]", lambda p: p.assets.update({"a.png": Asset("a.png", "image/png", b""), "A.png": Asset("A.png", "image/png", b"")})),
    ("glossary[0].forms", lambda p: p.glossary.append(GlossaryTerm({"en": " "}))),
]


@pytest.mark.parametrize("field, breaker", BREAKERS, ids=[f for f, _ in BREAKERS])
def test_each_broken_rule_names_its_field(small_project, field, breaker):
    breaker(small_project)
    found = fields_of(small_project)
    assert field in found, found
    with pytest.raises(InvalidProjectError) as info:
        check_valid(small_project, STANDARD_VOCABULARY)
    assert info.value.problems


def test_messages_read_as_a_field_a_value_and_why(small_project):
    small_project.meta.year = "2025年"
    assert str(validate(small_project)[0]) == "year: '2025年' is not a year (4 digits)"
    small_project.meta.year = 2025
    small_project.meta.period_end = date(2024, 6, 30)
    assert str(validate(small_project)[0]) == "period_end: datetime.date(2024, 6, 30) is not after the start of the period (2025-01-01)"


def test_a_cycle_of_kpi_parents_is_one_problem_per_kpi_in_it(small_project):
    small_project.kpis["ghg.total"].parent_id = "ghg.scope2"  # ghg.scope2's parent is ghg.total
    assert sorted(f for f in fields_of(small_project) if f.endswith("parent_id")) == [
        "kpi[ghg.scope2].parent_id", "kpi[ghg.total].parent_id"]


def test_what_depends_on_this_computer_is_not_an_invariant(small_project):
    """A project from a colleague with another template or catalogue still opens; the commands
    refuse such names when they are set, and `check` reports them."""
    small_project.meta.template = "corporate"
    small_project.meta.frameworks = ["our-own-framework"]
    small_project.kpis["ghg.total"].formula = "nope + 1"  # a formula that cannot be used
    assert validate(small_project, STANDARD_VOCABULARY) == []


def test_units_need_the_standard_vocabulary(small_project):
    small_project.kpis["ghg.total"].unit = "furlong"
    assert validate(small_project, BASIC_VOCABULARY) == []
    assert fields_of(small_project) == ["kpi[ghg.total].unit"]


def test_a_project_file_with_an_unknown_unit_does_not_open(small_project, tmp_path):
    """As the same KPI in a bundled TOML file is refused, so is it in a .esgproj."""
    path = tmp_path / "p.esgproj"
    save_project(small_project, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE kpis SET unit = 'furlong' WHERE id = 'ghg.total'")
    conn.close()
    with pytest.raises(ProjectFormatError, match=r"kpi\[ghg.total\].unit: 'furlong' cannot be used") as info:
        open_project(path)
    assert info.value.path == path


def test_a_project_file_with_a_bad_year_or_nan_does_not_open(small_project, tmp_path):
    path = tmp_path / "p.esgproj"
    save_project(small_project, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE kpi_values SET number = 'NaN' WHERE kpi_id = 'emp.total' AND year = 2025")
    conn.close()
    with pytest.raises(ProjectFormatError, match=r"kpi\[emp.total\].values\[2025\].number: Decimal\('NaN'\) is not a finite number"):
        open_project(path)


def test_many_problems_are_summarised(small_project):
    for kpi in small_project.kpis.values():
        kpi.precision = 9
    error = InvalidProjectError(validate(small_project))
    assert len(error.problems) == 3 and "more" not in str(error)
    for kpi_id in ("a", "b"):
        small_project.kpis[kpi_id] = Kpi(kpi_id, {}, "t", precision=9)
    assert str(InvalidProjectError(validate(small_project))).endswith("(and 2 more)")


def test_every_entry_point_installs_the_standard_vocabulary():
    """The command line checks units without anyone importing the vocabulary by hand."""
    code = ("import esg_author.cli as cli; cli.build_parser();"
            "from esg_author.core.model.validate import installed_vocabulary;"
            "print(installed_vocabulary().complete)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[3])
    assert result.stdout.strip() == "True"


def test_validation_of_the_demo_is_fast(demo_project):
    import time

    project = copy.deepcopy(demo_project)
    start = time.perf_counter()
    validate(project, STANDARD_VOCABULARY)
    assert time.perf_counter() - start < 0.5  # about 12 ms here; opening must not feel it
