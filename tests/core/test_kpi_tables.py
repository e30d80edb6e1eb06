"""KPI tables built from the registry: groups, breakdowns, markers, year order, change column."""

from __future__ import annotations

from esg_author.core.render.kpi_tables import build_kpi_table


def test_groups_breakdowns_and_notes(small_project):
    table = build_kpi_table(small_project, small_project.tables["env"], "en")
    kinds = [(r["kind"], r.get("label")) for r in table["rows"]]
    assert kinds == [("group", "Emissions"), ("kpi", "GHG emissions"), ("dimension", "By scope"),
                     ("kpi", "Scope 2"), ("group", "Employment"), ("kpi", "Total employees")]
    scope2 = table["rows"][3]
    assert scope2["depth"] == 2 and scope2["unit"] == "tCO₂e"
    assert [c["text"] for c in scope2["cells"]] == ["10.50", "Not applicable"]
    assert scope2["cells"][1]["marker"] == 1
    assert table["notes"] == [{"marker": 1, "text": "No offices"}]
    assert table["years"] == ["2024", "2025"]


def test_descending_years_and_change_column(small_project):
    spec = small_project.tables["env"]
    spec.order, spec.show_change = "descending", True
    table = build_kpi_table(small_project, spec, "zh-Hant")
    assert table["years"] == ["2025", "2024"]
    employees = next(r for r in table["rows"] if r.get("id") == "emp.total")
    assert [c["text"] for c in employees["cells"]] == ["120", "100"]
    assert employees["change"] == "+20.0%"  # on the earlier year's base
    assert table["rows"][0]["label"] == "排放物"


def test_unknown_kpi_is_reported(small_project):
    small_project.tables["env"].rows.append("ghost")
    assert build_kpi_table(small_project, small_project.tables["env"], "en")["missing"] == ["ghost"]
