"""Shared fixtures. No Qt here: only tests/gui/ starts Qt (see tests/gui/conftest.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from esg_author.core.bundled import load_demo_project
from esg_author.core.model import (
    Kpi,
    KpiTable,
    KpiValue,
    Project,
    ReportMeta,
    Section,
    SectionText,
)
from esg_author.core.storage import save_project


def make_small_project() -> Project:
    """A tiny but complete project: two chapters, three KPIs, one table, all three languages."""
    meta = ReportMeta(
        company={"en": "Example Co", "zh-Hant": "範例公司", "zh-Hans": "范例公司"},
        title={"en": "ESG Report 2025", "zh-Hant": "2025年環境、社會及管治報告", "zh-Hans": "2025年环境、社会及管治报告"},
        year=2025, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
        frameworks=["hkex-esg-2020"],
    )
    project = Project(meta=meta)

    def texts(en: str, hant: str, hans: str, title: tuple[str, str, str]) -> dict[str, SectionText]:
        return {"en": SectionText(title[0], en), "zh-Hant": SectionText(title[1], hant), "zh-Hans": SectionText(title[2], hans)}

    project.sections += [
        Section("intro", None, False, texts(
            "We employ [[kpi:emp.total]] people. See [[ref:env]].",
            "我們共有[[kpi:emp.total]]名僱員。詳見[[ref:env]]。",
            "我们共有[[kpi:emp.total]]名员工。详见[[ref:env]]。",
            ("About", "關於", "关于"))),
        Section("env", None, True, texts(
            "Emissions fell.\n\n[[table:env]]", "排放下降。\n\n[[table:env]]", "排放下降。\n\n[[table:env]]",
            ("Environment", "環境", "环境")), ["hkex-esg-2020:A1.0"]),
        Section("env-data", "env", True, texts("Data.", "數據。", "数据。", ("Data", "數據", "数据"))),
    ]
    names = {"en": "Total employees", "zh-Hant": "僱員總數", "zh-Hans": "员工总数"}
    project.kpis["emp.total"] = Kpi("emp.total", names, "person", "employment", codes=["hkex-esg-2020:B1.1"],
                                    values={2024: KpiValue("number", Decimal("100")),
                                            2025: KpiValue("number", Decimal("120"))})
    project.kpis["ghg.total"] = Kpi("ghg.total", {"en": "GHG emissions", "zh-Hant": "溫室氣體排放", "zh-Hans": "温室气体排放"},
                                    "tCO2e", "emissions", precision=2,
                                    values={2024: KpiValue("number", Decimal("10.5")),
                                            2025: KpiValue("number", Decimal("9.25"))})
    project.kpis["ghg.scope2"] = Kpi("ghg.scope2", {"en": "Scope 2", "zh-Hant": "範圍二", "zh-Hans": "范围二"},
                                     "tCO2e", "emissions", parent_id="ghg.total", dimension="scope", precision=2,
                                     values={2024: KpiValue("number", Decimal("10.5")),
                                             2025: KpiValue("not_applicable", reason={"en": "No offices", "zh-Hant": "無", "zh-Hans": "无"})})
    project.tables["env"] = KpiTable("env", {"en": "Environment", "zh-Hant": "環境", "zh-Hans": "环境"},
                                     ["ghg.total", "ghg.scope2", "emp.total"], [2024, 2025])
    return project


@pytest.fixture
def small_project() -> Project:
    return make_small_project()


@pytest.fixture
def small_project_path(tmp_path: Path) -> Path:
    path = tmp_path / "small.esgproj"
    save_project(make_small_project(), path)
    return path


@pytest.fixture(scope="session")
def demo_project() -> Project:
    return load_demo_project()


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.esgproj"
    save_project(load_demo_project(), path)
    return path
