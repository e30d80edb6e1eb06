"""Seed 002 end to end: 金融壹賬通 (OneConnect) 2023 ESG report, rebuilt as a new user would.

The published report (shared/seeds/002_632a5ce3aaf2bbde.txt, KPI appendix L1440–1545, HKEX index
L1545–1650) contains arithmetic and index errors (shared/research/seed-anatomy.md §7 items 28–38).
This module builds the same report with esg-author — project in code through the public model and
commands, data through the Excel workbook and the CLI — and checks that the preflight flags the
seed's real errors, leaves its consistent figures alone, and that the PDFs print what was typed.

Pipeline (module-scoped fixtures, each step a real CLI call through `python -m esg_author`):
project built in code → `excel export` → workbook filled with openpyxl → `excel import --dry-run`
→ `excel import` → `check` (typed draft values) → `kpi recompute` → `check` → `build --format pdf`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from esg_author.core.commands import (
    AddKpi,
    AddKpiTable,
    AddSection,
    SetDisclosureStatus,
    UndoStack,
)
from esg_author.core.frameworks import default_registry
from esg_author.core.frameworks.index import ROW_KINDS
from esg_author.core.model import (
    DisclosureStatus,
    Kpi,
    KpiTable,
    KpiValue,
    Project,
    ReportMeta,
    Section,
    SectionText,
)
from esg_author.core.storage import open_project, save_project

pytestmark = pytest.mark.slow

FW = "hkex-esg-2020"  # the seed cites the Guide "2023年12月31日版本" (Appendix C2 = the 2020 Guide's text)
YEAR = 2023
LANGS = ["zh-Hant", "en"]

# -- running the CLI ------------------------------------------------------------------------


def esg(*args: object) -> subprocess.CompletedProcess[str]:
    """Run the command line exactly as a user would: `python -m esg_author …`."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "esg_author", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=900, check=False)


def run_check(project_path: Path) -> dict[str, Any]:
    proc = esg("check", project_path, "--json", "--no-render")
    assert proc.returncode in (0, 1), f"check crashed (exit {proc.returncode}):\n{proc.stderr}"
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:  # pragma: no cover - shown on failure only
        raise AssertionError(f"`check --json` did not print JSON ({exc}):\n{proc.stdout[:2000]}\n{proc.stderr}") from exc
    data["returncode"] = proc.returncode
    return data


def findings(check: dict[str, Any], rule: str, location: str | None = None) -> list[dict[str, str]]:
    return [f for f in check["findings"] if f["rule"] == rule and (location is None or f["target"]["id"] == location)]


def show(check: dict[str, Any], rules: tuple[str, ...] = ()) -> str:
    """All findings (or those of some rules) as lines, for assertion messages."""
    return "\n".join(f"{f['severity']} {f['rule']} {f['target']['id']} [{f['lang']}] {f['message']}"
                     for f in check["findings"] if not rules or f["rule"] in rules)


# -- the project, as a new user builds it in code ----------------------------------------------


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh-Hant": zh, "en": en}


def _v(number: str, note: tuple[str, str] | None = None) -> KpiValue:
    return KpiValue("number", Decimal(number), note=_t(*note) if note else {})


def _kpi(kpi_id: str, zh: str, en: str, unit: str, group: str, *, parent: str | None = None, dim: str = "",
         precision: int = 0, codes: tuple[str, ...] = (), formula: str = "",
         values: dict[int, KpiValue | str] | None = None) -> Kpi:
    stored = {year: (v if isinstance(v, KpiValue) else _v(v)) for year, v in (values or {}).items()}
    return Kpi(kpi_id, _t(zh, en), unit, group, parent_id=parent, dimension=dim, precision=precision,
               codes=[f"{FW}:{code}" for code in codes], formula=formula, values=stored)


def _na(zh: str, en: str) -> KpiValue:
    return KpiValue("not_applicable", reason=_t(zh, en))


# The 2022 column (and 2021 for health and safety) is typed in from last year's report, exactly as
# printed — including the seed's 2022 slips (0.0810 t/person; Scope 2 on a factor of 0.5845).
SEED_KPIS: list[Kpi] = [
    # ---- environment (seed L1447–1462)
    _kpi("ghg.total", "溫室氣體排放總量", "Total GHG emissions", "tCO2e", "emissions", precision=2,
         formula="children(ghg.total)", codes=("A1.2",)),
    _kpi("ghg.scope1", "範圍一溫室氣體排放量", "Scope 1 GHG emissions", "tCO2e", "emissions", parent="ghg.total",
         dim="scope", precision=2, codes=("A1.2",),
         values={2022: _na("不涉及範圍一排放", "No Scope 1 emissions")}),
    _kpi("ghg.scope2", "範圍二溫室氣體排放量", "Scope 2 GHG emissions", "tCO2e", "emissions", parent="ghg.total",
         dim="scope", precision=2, codes=("A1.2",),
         formula="energy.electricity * factor(cn_grid_power_sector_2022)",
         values={2022: "1326.30"}),  # seed L1449: 2,269.01 MWh × 0.5703 is 1,294.02, not 1,326.30 (item 35)
    _kpi("ghg.scope2_intensity", "範圍二溫室氣體排放密度", "Scope 2 GHG intensity", "tCO2e_per_person", "emissions",
         precision=2, codes=("A1.2",), formula="ghg.scope2 / emp.total", values={2022: "0.47"}),
    _kpi("waste.hazardous", "有害廢棄物總量", "Hazardous waste", "t", "waste", precision=2, codes=("A1.3",),
         values={2022: "4.16"}),
    _kpi("waste.hazardous_intensity", "有害廢棄物密度", "Hazardous waste intensity", "t_per_person", "waste",
         precision=4, codes=("A1.3",), formula="waste.hazardous / emp.total", values={2022: "0.0015"}),
    _kpi("waste.nonhazardous", "無害廢棄物總量", "Non-hazardous waste", "t", "waste", precision=2, codes=("A1.4",),
         values={2022: "229.10"}),
    _kpi("waste.nonhazardous_intensity", "無害廢棄物密度", "Non-hazardous waste intensity", "t_per_person", "waste",
         precision=4, codes=("A1.4",), formula="waste.nonhazardous / emp.total",
         values={2022: "0.0810"}),  # seed L1457: 229.10 / 2,832 = 0.0809 (item 37)
    _kpi("energy.electricity", "總耗電量", "Electricity consumption", "MWh", "energy", precision=2, codes=("A2.1",),
         values={2022: "2269.01"}),
    _kpi("energy.electricity.change", "總耗電量較上年變化", "Change in electricity consumption", "percent", "energy",
         parent="energy.electricity", dim="change", precision=0),
    _kpi("energy.electricity_intensity", "用電密度", "Electricity intensity", "MWh_per_person", "energy", precision=2,
         codes=("A2.1",), formula="energy.electricity / emp.total", values={2022: "0.80"}),
    _kpi("water.total", "總耗水量", "Water consumption", "m3", "water", precision=2, codes=("A2.2",),
         values={2022: "16098.54"}),
    _kpi("water.change", "總耗水量較上年變化", "Change in water consumption", "percent", "water",
         parent="water.total", dim="change", precision=0),
    _kpi("water.intensity", "用水密度", "Water intensity", "m3_per_person", "water", precision=2, codes=("A2.2",),
         formula="water.total / emp.total", values={2022: "5.68"}),
    _kpi("resources.paper", "辦公用紙量", "Office paper", "t", "resources", precision=2, values={2022: "6.61"}),
    # ---- employment (seed L1481–1500)
    _kpi("emp.total", "員工總人數", "Total employees", "person", "employment", codes=("B1.1",), values={2022: "2832"}),
    _kpi("emp.gender.male", "男性員工", "Male", "person", "employment", parent="emp.total", dim="gender",
         codes=("B1.1",), values={2022: "1836"}),
    _kpi("emp.gender.female", "女性員工", "Female", "person", "employment", parent="emp.total", dim="gender",
         codes=("B1.1",), values={2022: "996"}),
    _kpi("emp.category.senior", "高級和班子成員", "Senior management", "person", "employment", parent="emp.total",
         dim="category", codes=("B1.1",), values={2022: "51"}),
    _kpi("emp.category.middle", "中級員工", "Middle-level staff", "person", "employment", parent="emp.total",
         dim="category", codes=("B1.1",), values={2022: "600"}),
    _kpi("emp.category.junior", "初級員工", "Junior staff", "person", "employment", parent="emp.total",
         dim="category", codes=("B1.1",), values={2022: "2181"}),
    _kpi("emp.age.under30", "30歲以下", "Under 30", "person", "employment", parent="emp.total", dim="age",
         codes=("B1.1",), values={2022: "637"}),
    _kpi("emp.age.30to50", "30-50歲", "30–50", "person", "employment", parent="emp.total", dim="age",
         codes=("B1.1",), values={2022: "2148"}),
    _kpi("emp.age.over50", "50歲以上", "Over 50", "person", "employment", parent="emp.total", dim="age",
         codes=("B1.1",), values={2022: "47"}),
    _kpi("emp.region.mainland", "中國大陸員工", "Mainland China", "person", "employment", parent="emp.total",
         dim="region", codes=("B1.1",), values={2022: "2629"}),
    _kpi("emp.region.hk_overseas", "海外及港澳臺員工", "Overseas, HK, Macao and Taiwan", "person", "employment",
         parent="emp.total", dim="region", codes=("B1.1",), values={2022: "203"}),
    _kpi("turnover.rate", "員工流失比率", "Employee turnover rate", "percent", "employment", codes=("B1.2",)),
    *[_kpi(f"turnover.{dim}.{key}", zh, en, "percent", "employment", parent="turnover.rate", dim=dim, codes=("B1.2",),
           values={2022: v2022})
      for dim, key, zh, en, v2022 in [
          ("gender", "male", "男性員工流失比率", "Turnover rate – male", "36"),
          ("gender", "female", "女性員工流失比率", "Turnover rate – female", "33"),
          ("age", "under30", "30歲以下員工流失比率", "Turnover rate – under 30", "39"),
          ("age", "30to50", "30-50歲員工流失比率", "Turnover rate – 30–50", "33"),
          ("age", "over50", "50歲以上員工流失比率", "Turnover rate – over 50", "36"),
          ("region", "mainland", "中國大陸員工流失比率", "Turnover rate – Mainland China", "34"),
          ("region", "hk_overseas", "海外及港澳臺員工流失比率", "Turnover rate – overseas, HK, Macao, Taiwan", "48"),
      ]],
    # ---- health and safety (seed L1508–1513)
    _kpi("hs.fatalities", "因工亡故人數", "Work-related fatalities", "person", "health_safety", codes=("B2.1",),
         values={2021: "0", 2022: "0"}),
    _kpi("hs.fatality_rate", "因工亡故比率", "Work-related fatality rate", "percent", "health_safety", codes=("B2.1",),
         formula="percent(hs.fatalities, emp.total)", values={2021: "0"}),
    _kpi("hs.lost_days", "因工傷損失工作日數", "Lost days due to work injury", "day", "health_safety", codes=("B2.2",),
         values={2021: KpiValue("not_reported", reason=_t("未統計", "Not collected")), 2022: "0"}),
    # ---- development and training (seed L1104–1108 and L1515–1525)
    _kpi("training.trained", "受訓員工人數", "Employees trained", "person", "training", codes=("B3.1",),
         formula="children(training.trained, gender)"),
    _kpi("training.trained.male", "受訓男性員工", "Trained – male", "person", "training", parent="training.trained",
         dim="gender", codes=("B3.1",)),
    _kpi("training.trained.female", "受訓女性員工", "Trained – female", "person", "training",
         parent="training.trained", dim="gender", codes=("B3.1",)),
    _kpi("training.trained.senior", "受訓高級和班子成員", "Trained – senior management", "person", "training",
         parent="training.trained", dim="category", codes=("B3.1",)),
    _kpi("training.trained.middle", "受訓中級員工", "Trained – middle-level staff", "person", "training",
         parent="training.trained", dim="category", codes=("B3.1",)),
    _kpi("training.trained.junior", "受訓初級員工", "Trained – junior staff", "person", "training",
         parent="training.trained", dim="category", codes=("B3.1",)),
    _kpi("training.coverage", "受訓員工百分比", "Employees trained (share)", "percent", "training", precision=1,
         codes=("B3.1",), formula="percent(training.trained, emp.total)"),
    _kpi("training.coverage.male", "受訓員工百分比－男性", "Trained – male (share)", "percent", "training",
         parent="training.coverage", dim="gender", precision=1, codes=("B3.1",), values={2022: "90.8"}),
    _kpi("training.coverage.female", "受訓員工百分比－女性", "Trained – female (share)", "percent", "training",
         parent="training.coverage", dim="gender", precision=1, codes=("B3.1",), values={2022: "94.8"}),
    _kpi("training.coverage.senior", "受訓員工百分比－高級和班子成員", "Trained – senior management (share)", "percent",
         "training", parent="training.coverage", dim="category", precision=1, codes=("B3.1",),
         formula="percent(training.trained.senior, emp.category.senior)", values={2022: "20"}),
    # 2023: the draft HR memo says 99.3 %, but 433 of 447 is 96.9 % (item 30)
    _kpi("training.coverage.middle", "受訓員工百分比－中級員工", "Trained – middle-level staff (share)", "percent",
         "training", parent="training.coverage", dim="category", precision=1, codes=("B3.1",),
         formula="percent(training.trained.middle, emp.category.middle)", values={2022: "70", 2023: "99.3"}),
    _kpi("training.coverage.junior", "受訓員工百分比－初級員工", "Trained – junior staff (share)", "percent",
         "training", parent="training.coverage", dim="category", precision=1, codes=("B3.1",),
         formula="percent(training.trained.junior, emp.category.junior)", values={2022: "100"}),
    _kpi("training.hours_avg", "每名員工平均受訓時數", "Average training hours", "hour_per_person", "training",
         precision=1, codes=("B3.2",)),
    *[_kpi(f"training.hours_avg.{key}", zh, en, "hour_per_person", "training", parent="training.hours_avg", dim=dim,
           precision=1, codes=("B3.2",), values={2022: v2022})
      for dim, key, zh, en, v2022 in [
          ("gender", "male", "平均受訓時數－男性", "Average training hours – male", "7.2"),
          ("gender", "female", "平均受訓時數－女性", "Average training hours – female", "7.2"),
          ("category", "senior", "平均受訓時數－高級和班子成員", "Average training hours – senior management", "20"),
          ("category", "middle", "平均受訓時數－中級員工", "Average training hours – middle-level staff", "8"),
          ("category", "junior", "平均受訓時數－初級員工", "Average training hours – junior staff", "7"),
      ]],
    # ---- supply chain, product responsibility, anti-corruption (seed L1527–1539)
    _kpi("suppliers.new", "當年新增合作供應商數", "New suppliers", "company", "supply_chain", codes=("B5.1",),
         values={2022: "864"}),
    _kpi("suppliers.new.mainland", "中國大陸供應商數量", "Mainland China suppliers", "company", "supply_chain",
         parent="suppliers.new", dim="region", codes=("B5.1",), values={2022: "857"}),
    _kpi("suppliers.new.hk_overseas", "海外及港澳臺供應商數量", "Overseas, HK, Macao and Taiwan suppliers", "company",
         "supply_chain", parent="suppliers.new", dim="region", codes=("B5.1",), values={2022: "7"}),
    _kpi("suppliers.assessed", "准入審核環節考察的供應商數量", "Suppliers assessed at onboarding", "company",
         "supply_chain", codes=("B5.2",), values={2022: "1563"}),
    _kpi("suppliers.terminated", "因發現存在異常行為而終止合作的供應商數量", "Suppliers terminated for misconduct",
         "company", "supply_chain", codes=("B5.2",), values={2022: "11"}),
    _kpi("complaints.total", "產品及服務投訴數量", "Product and service complaints", "case", "product",
         codes=("B6.2",), values={2022: "6"}),
    _kpi("complaints.resolution_rate", "投訴問題解決率", "Complaints resolved", "percent", "product", codes=("B6.2",),
         values={2022: "100"}),
    _kpi("service.satisfaction", "在線服務滿意度", "Online service satisfaction", "score", "product", precision=1,
         values={2022: KpiValue("score", Decimal("9"), maximum=Decimal("10"))}),
    _kpi("corruption.cases", "對公司及員工提出的貪污訴訟案件數量", "Corruption lawsuits", "case", "anti_corruption",
         codes=("B7.1",), values={2022: "0"}),
    _kpi("corruption.loss", "貪污訴訟案件給公司造成的經濟損失", "Losses from corruption lawsuits", "RMB",
         "anti_corruption", codes=("B7.1",), values={2022: "0"}),
    # ---- board composition (seed L527–533): 9 directors
    _kpi("board.directors", "董事人數", "Directors", "person", "governance"),
    _kpi("board.type.executive", "執行董事佔比", "Executive directors", "percent", "governance",
         parent="board.directors", dim="category", precision=2),
    _kpi("board.type.non_executive", "非執行董事佔比", "Non-executive directors", "percent", "governance",
         parent="board.directors", dim="category", precision=2),
    _kpi("board.type.independent", "獨立非執行董事佔比", "Independent non-executive directors", "percent",
         "governance", parent="board.directors", dim="category", precision=2),
    _kpi("board.gender.female", "女性董事佔比", "Female directors", "percent", "governance",
         parent="board.directors", dim="gender", precision=2),
    _kpi("board.gender.male", "男性董事佔比", "Male directors", "percent", "governance",
         parent="board.directors", dim="gender", precision=2),
]

SEED_TABLES: list[KpiTable] = [
    KpiTable("env", _t("環境績效", "Environmental performance"),
             ["ghg.scope1", "ghg.scope2", "ghg.scope2_intensity", "waste.hazardous", "waste.hazardous_intensity",
              "waste.nonhazardous", "waste.nonhazardous_intensity", "energy.electricity",
              "energy.electricity_intensity", "water.total", "water.intensity", "resources.paper"],
             [2022, 2023],
             notes=[_t("本報告中公司運營涉及的環境數據收集時間範圍為2023年1月1日-2023年12月31日。",
                       "Environmental data cover 1 January to 31 December 2023."),
                    _t("公司統計的總耗水量主要為市政供水（自來水），不含飲用的桶裝水和瓶裝水消耗。",
                       "Water is municipal tap water, excluding bottled drinking water.")]),
    KpiTable("employment", _t("社會績效－僱傭", "Social performance – employment"),
             ["emp.total", "emp.gender.male", "emp.gender.female", "emp.category.senior", "emp.category.middle",
              "emp.category.junior", "emp.age.under30", "emp.age.30to50", "emp.age.over50", "emp.region.mainland",
              "emp.region.hk_overseas", "turnover.gender.male", "turnover.gender.female", "turnover.age.under30",
              "turnover.age.30to50", "turnover.age.over50", "turnover.region.mainland",
              "turnover.region.hk_overseas"],
             [2022, 2023]),
    KpiTable("health-safety", _t("社會績效－健康與安全", "Social performance – health and safety"),
             ["hs.fatalities", "hs.fatality_rate", "hs.lost_days"], [2021, 2022, 2023]),
    KpiTable("training", _t("社會績效－發展及培訓", "Social performance – development and training"),
             ["training.trained", "training.trained.male", "training.trained.female", "training.trained.senior",
              "training.trained.middle", "training.trained.junior", "training.coverage", "training.coverage.male",
              "training.coverage.female", "training.coverage.senior", "training.coverage.middle",
              "training.coverage.junior", "training.hours_avg.male", "training.hours_avg.female",
              "training.hours_avg.senior", "training.hours_avg.middle", "training.hours_avg.junior"],
             [2022, 2023]),
    KpiTable("operations", _t("社會績效－供應鏈、產品責任及商業道德",
                              "Social performance – supply chain, product responsibility, business ethics"),
             ["suppliers.new", "suppliers.new.mainland", "suppliers.new.hk_overseas", "suppliers.assessed",
              "suppliers.terminated", "complaints.total", "complaints.resolution_rate", "service.satisfaction",
              "corruption.cases", "corruption.loss"],
             [2022, 2023],
             # The seed's only note (L1539) explains 324 < 479, not the fall from 1,563 to 324.
             notes=[_t("2023年度准入審核環節考察的供應商數量比2023年度當年新增合作供應商數少，其原因是部分2023年度"
                       "當年新增合作供應商為2022年度准入審核環節考察的供應商。",
                       "Fewer suppliers were assessed than were added in 2023 because some of 2023's new suppliers "
                       "had been assessed in 2022.")]),
    KpiTable("board", _t("董事會構成", "Board composition"),
             ["board.directors", "board.type.executive", "board.type.non_executive", "board.type.independent",
              "board.gender.female", "board.gender.male"], [2023]),
]

# (id, parent, numbered, zh-Hant title, en title, zh-Hant body, en body, disclosures) in reading order.
# Chapter titles are the seed's (TOC L65–L94); the three front-matter sections are unnumbered so the
# chapters are numbered 1–5 as in the seed.
SEED_SECTIONS: list[tuple[str, str | None, bool, str, str, str, str, list[str]]] = [
    ("about", None, False, "關於本報告", "About this report",
     "本報告根據聯交所《環境、社會及管治報告指引》（2023年12月31日版本）編製。\n\n"
     "量化：量化原則的應用主要體現在公司環境和社會關鍵績效指標的計算和披露中，詳見[[ref:kpi-table]]。",
     "This report follows the HKEX ESG Reporting Guide (version of 31 December 2023).\n\n"
     "Quantitative: key performance indicators are disclosed in [[ref:kpi-table]].",
     ["MDR-RP-MAT", "MDR-RP-QUANT", "MDR-RP-CONS", "MDR-BOUND"]),
    ("chairman", None, False, "董事長致辭", "Chairman's statement",
     "金融科技行業正迎來前所未有的變革浪潮。", "The fintech industry is going through unprecedented change.", []),
    ("company", None, False, "關於金融壹賬通", "About OneConnect",
     "金融壹賬通是面向金融機構的商業科技雲服務平台。", "OneConnect is a technology-as-a-service platform for financial institutions.", []),
    ("governance", None, True, "可持續發展治理", "Sustainability governance",
     "我們將可持續發展融入公司治理。", "Sustainability is part of how we govern the company.", []),
    # Deliberately empty: linked as "disclosed" for the board statement, but never written.
    ("board-statement", "governance", True, "董事會聲明", "Board statement", "", "", ["MDR-GOV"]),
    ("esg-governance", "governance", True, "ESG管治體系", "ESG governance structure",
     "董事會是公司環境、社會及管治戰略的最高決策機構。\n\n[[table:board]]",
     "The board is the highest decision-making body for ESG strategy.\n\n[[table:board]]", ["MDR-GOV"]),
    ("stakeholders", "governance", True, "持份者溝通", "Stakeholder engagement",
     "我們通過多種渠道與持份者保持溝通。", "We engage with stakeholders through many channels.", []),
    ("materiality", "governance", True, "實質性議題識別", "Materiality assessment",
     "我們識別了25項實質性議題。", "We identified 25 material topics.", []),
    ("sdgs", "governance", True, "推動聯合國可持續發展目標(SDGs)", "Advancing the UN SDGs",
     "我們的業務支持多項可持續發展目標。", "Our business supports several SDGs.", []),
    ("operations", None, True, "管治-穩健經營", "Governance – sound operations",
     "穩健經營是公司發展的基石。", "Sound operations are the basis of our growth.", []),
    ("compliance", "operations", True, "合規經營", "Compliance",
     "我們尊重並保護知識產權。", "We respect and protect intellectual property.", ["B6.3"]),
    ("ethics", "operations", True, "商業道德", "Business ethics",
     "我們對貪污零容忍，並設有舉報渠道及反貪污培訓。",
     "We have zero tolerance for corruption, with whistle-blowing channels and anti-corruption training.",
     ["B7", "B7.2", "B7.3"]),
    ("social", None, True, "社會-生態共贏", "Social – win-win ecosystem",
     "我們與客戶、員工及夥伴共同成長。", "We grow together with customers, employees and partners.", []),
    # B6.6 does not exist (B6 ends at B6.5): a link to a code that is not in the Guide.
    ("customers", "social", True, "以客為先", "Customers first",
     "我們重視服務質量、消費者私隱及投訴處理。", "We care about service quality, privacy and complaint handling.",
     ["B6", "B6.2", "B6.4", "B6.5", "B6.6"]),
    ("people", "social", True, "以人為本", "People first",
     "我們提供公平的僱傭、健康安全的職場及完善的培訓。",
     "We offer fair employment, a safe workplace and training for everyone.",
     ["B1", "B2", "B2.3", "B3", "B4", "B4.1", "B4.2"]),
    ("industry", "social", True, "共建行業", "Building the industry together",
     "我們在供應商准入審核中加入可持續發展要求。", "Supplier onboarding includes sustainability requirements.",
     ["B5", "B5.2", "B5.3", "B5.4"]),
    ("community", "social", True, "共享發展", "Shared development",
     "我們積極參與社區公益。", "We take part in community programmes.", ["B8", "B8.1", "B8.2"]),
    ("environment", None, True, "環境-邁向低碳", "Environment – towards low carbon",
     "我們致力於減少營運對環境的影響。", "We work to reduce the environmental impact of our operations.", []),
    ("climate", "environment", True, "應對氣候變化", "Responding to climate change",
     "我們識別氣候相關風險並制定應對措施。", "We identify climate-related risks and respond to them.",
     ["A1.2", "A4", "A4.1"]),
    # Seed L1427/L1437–1439: "降低約123%" — the change divided by the 2023 value instead of 2022's.
    ("green-ops", "environment", True, "開展綠色運營", "Green operations",
     "公司用水主要為市政供應用水，年度耗水量僅為[[kpi:water.total]]。"
     "2023年，公司職場總用電量較2022年降低約18%，總用水量較2022年降低約123%。",
     "Our offices use municipal water: [[kpi:water.total]] in 2023. "
     "Office electricity consumption decreased by about 18% and total water consumption decreased by about 123% "
     "compared with 2022.",
     ["A1", "A1.5", "A1.6", "A2", "A2.3", "A2.4"]),
    ("appendix", None, True, "附錄", "Appendix", "本附錄列出關鍵績效指標及索引。",
     "This appendix lists our key performance indicators and the content index.", []),
    ("kpi-tables", "appendix", True, "關鍵績效指標表", "Key performance indicators",
     "[[table:env]]\n\n[[table:employment]]\n\n[[table:health-safety]]\n\n[[table:training]]\n\n[[table:operations]]",
     "[[table:env]]\n\n[[table:employment]]\n\n[[table:health-safety]]\n\n[[table:training]]\n\n[[table:operations]]",
     []),
    ("hkex-index", "appendix", True, "聯交所ESG報告指引指標索引表", "HKEX ESG Reporting Guide content index",
     f"[[index:{FW}]]", f"[[index:{FW}]]", []),
]

NOT_APPLICABLE = {  # seed L1556, L1575, L1580–1581, L1637
    "A1.1": ("金融壹賬通在業務過程中不涉及空氣污染物的排放，因此該指標不適用。",
             "OneConnect's business emits no air pollutants, so this KPI does not apply."),
    "A2.5": ("金融壹賬通的業務不涉及直接為製成品提供包裝材料，因此該指標不適用。",
             "OneConnect makes no packaged products, so this KPI does not apply."),
    "A3.0": ("金融壹賬通在日常運營中不涉及其他環境及天然資源，因此A3層面的披露不適用。",
             "OneConnect's operations have no other significant impact on the environment and natural resources."),
    "A3.1": ("金融壹賬通在日常運營中不涉及其他環境及天然資源，因此A3層面的披露不適用。",
             "OneConnect's operations have no other significant impact on the environment and natural resources."),
    "B6.1": ("金融壹賬通的業務不涉及可能影響安全與健康的相關產品，因此該指標不適用。",
             "OneConnect sells no products with safety or health risks, so this KPI does not apply."),
}


def build_seed_project() -> Project:
    """The seed's report as a new user sets it up: metadata, sections, KPIs, tables, statuses."""
    meta = ReportMeta(
        company=_t("金融壹賬通", "OneConnect Financial Technology"),
        title=_t("2023年環境、社會及管治報告", "2023 Environmental, Social and Governance Report"),
        year=YEAR, period_start=date(2023, 1, 1), period_end=date(2023, 12, 31),
        languages=list(LANGS), frameworks=[FW], currency="RMB",
    )
    project = Project(meta=meta)
    stack = UndoStack(project)
    for section_id, parent, numbered, zh, en, body_zh, body_en, codes in SEED_SECTIONS:
        stack.execute(AddSection(Section(section_id, parent, numbered,
                                         {"zh-Hant": SectionText(zh, body_zh), "en": SectionText(en, body_en)},
                                         [f"{FW}:{code}" for code in codes])))
    for kpi in SEED_KPIS:
        stack.execute(AddKpi(kpi))
    for table in SEED_TABLES:
        stack.execute(AddKpiTable(table))
    for code, (zh, en) in NOT_APPLICABLE.items():
        stack.execute(SetDisclosureStatus(FW, code, DisclosureStatus(FW, code, "not_applicable", _t(zh, en))))
    return project


# -- what the colleagues type into the workbook (2023 column), as the seed prints it ------------

TYPED_2023: dict[str, object | tuple[object, str]] = {
    "ghg.scope1": ("不適用", "金融壹賬通在運營和業務開展過程中不涉及範圍一溫室氣體排放。"),
    "waste.hazardous": 4.2,
    "waste.nonhazardous": "190.80",
    "energy.electricity": "1,924.37 MWh",
    "energy.electricity.change": "-18%",  # seed L1433–1435: really −15.2 %
    "water.total": "7,221.46",
    "water.change": "-123%",  # seed L1437–1439: really −55.1 %
    "resources.paper": 4.58,
    "emp.total": "２，４４０",  # typed with a Chinese input method: full-width digits and comma
    "emp.gender.male": 1581, "emp.gender.female": 859,
    "emp.category.senior": 48, "emp.category.middle": 447, "emp.category.junior": "1,945",
    "emp.age.under30": 450, "emp.age.30to50": "1,953", "emp.age.over50": 37,
    "emp.region.mainland": "2,296", "emp.region.hk_overseas": 144,
    "turnover.gender.male": "27%", "turnover.gender.female": "27%",
    "turnover.age.under30": "28%", "turnover.age.30to50": "27%",
    "turnover.age.over50": ("45%", "50歲以上員工人數基數較小，輕微人員變動就會導致流失率較大"),
    "turnover.region.mainland": "25%",
    "turnover.region.hk_overseas": ("48%", "海外及港澳臺員工人數基數較小"),
    "hs.fatalities": 0,
    "hs.lost_days": ("35", "2023年經社保局認定工傷1人，該員工受傷時休病假天數為35天。"),
    # seed L1104–1108: 1,562 + 848 = 2,410 trained by gender, 47 + 433 + 1,920 = 2,400 by level (item 30)
    "training.trained.male": "1,562", "training.trained.female": 848,
    "training.trained.senior": 47, "training.trained.middle": 433, "training.trained.junior": "1,920",
    "training.coverage.male": "98.8%", "training.coverage.female": "98.7%",
    "training.hours_avg.male": 4.1, "training.hours_avg.female": 5.2, "training.hours_avg.senior": 6.6,
    "training.hours_avg.middle": 4.6, "training.hours_avg.junior": 4.4,
    "suppliers.new": 479, "suppliers.new.mainland": 461, "suppliers.new.hk_overseas": 18,
    "suppliers.assessed": "324",  # 1,563 → 324 (−79 %) with no note (item 36)
    "suppliers.terminated": 39,
    "complaints.total": 4, "complaints.resolution_rate": "100%",
    "service.satisfaction": "8.5/9",  # 2022 was 9 of 10 (item 34)
    "corruption.cases": 0, "corruption.loss": 0,
    "board.directors": 9,
    # seed L531–533: 1, 4 and 4 of 9 directors are 11.11 %, 44.44 %, 44.44 %, printed adjusted to 100 (item 29)
    "board.type.executive": "11.10%", "board.type.non_executive": "44.45%", "board.type.independent": "44.45%",
    "board.gender.female": "22.22%", "board.gender.male": "77.78%",
}


def fill_workbook(path: Path, typed: dict[str, object | tuple[object, str]]) -> dict[str, str]:
    """Type the values into the yellow input column (and notes) with openpyxl; returns kpi id → sheet!cell."""
    workbook = openpyxl.load_workbook(path)
    where: dict[str, str] = {}
    for sheet in workbook.worksheets:
        if sheet.title in ("Instructions", "KPI definitions", "Units", "_esg"):
            continue
        headers = [str(cell.value or "") for cell in sheet[1]]
        input_col = next(i for i, h in enumerate(headers, 1) if "fill in" in h)
        notes_col = input_col + 1
        assert headers[notes_col - 1].startswith("Notes"), headers
        for row in range(2, sheet.max_row + 1):
            kpi_id = sheet.cell(row, 1).value
            if kpi_id not in typed:
                continue
            entry = typed[kpi_id]
            value, note = entry if isinstance(entry, tuple) else (entry, None)
            sheet.cell(row, input_col).value = value
            if note is not None:
                sheet.cell(row, notes_col).value = note
            where[kpi_id] = f"{sheet.title}!{sheet.cell(row, input_col).coordinate}"
    workbook.save(path)
    missing = set(typed) - set(where)
    assert not missing, f"these KPIs have no input row in the exported workbook: {sorted(missing)}"
    return where


# -- the pipeline, shared by the tests ------------------------------------------------------------


@dataclass
class Pipeline:
    folder: Path
    project: Path
    workbook: Path
    cells: dict[str, str]
    export: subprocess.CompletedProcess[str]
    dry_run: subprocess.CompletedProcess[str]
    bytes_before_dry_run: str
    bytes_after_dry_run: str
    imported: subprocess.CompletedProcess[str]
    check_after_import: dict[str, Any]
    recompute: subprocess.CompletedProcess[str]
    check: dict[str, Any]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    folder = tmp_path_factory.mktemp("seed002")
    project_path = folder / "oneconnect-2023.esgproj"
    save_project(build_seed_project(), project_path)

    workbook = folder / "oneconnect-2023-data.xlsx"
    export = esg("excel", "export", project_path, workbook)
    assert export.returncode == 0, f"excel export failed:\n{export.stderr}"
    cells = fill_workbook(workbook, TYPED_2023)

    before = _sha(project_path)
    dry_run = esg("excel", "import", project_path, workbook, "--dry-run")
    after = _sha(project_path)
    imported = esg("excel", "import", project_path, workbook)
    assert imported.returncode == 0, f"excel import failed:\n{imported.stdout}\n{imported.stderr}"

    check_after_import = run_check(project_path)
    recompute = esg("kpi", "recompute", project_path)
    assert recompute.returncode == 0, f"kpi recompute failed:\n{recompute.stdout}\n{recompute.stderr}"
    check = run_check(project_path)
    return Pipeline(folder, project_path, workbook, cells, export, dry_run, before, after, imported,
                    check_after_import, recompute, check)


@pytest.fixture(scope="module")
def pdfs(pipeline: Pipeline) -> dict[str, PdfReader]:
    out = pipeline.folder / "out"
    proc = esg("build", pipeline.project, "--format", "pdf", "--lang", "en,zh-Hant", "--out", out)
    assert proc.returncode == 0, f"build failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    readers = {}
    for lang in ("en", "zh-Hant"):
        path = out / f"{pipeline.project.stem}.{lang}.pdf"
        assert path.exists(), f"no PDF for {lang} in {sorted(p.name for p in out.iterdir())}; stdout: {proc.stdout}"
        readers[lang] = PdfReader(path)
    return readers


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


# == 1. the project ===============================================================================


def test_project_is_built_like_the_seed(pipeline: Pipeline) -> None:
    """The seed's five numbered chapters (1 可持續發展治理 … 5 附錄) and 5.1/5.2 appendix sections."""
    project = open_project(pipeline.project)
    numbers = project.section_numbers()
    assert numbers["governance"] == "1" and numbers["environment"] == "4" and numbers["appendix"] == "5"
    assert numbers["green-ops"] == "4.2" and numbers["kpi-tables"] == "5.1" and numbers["hkex-index"] == "5.2"
    assert project.meta.frameworks == [FW]
    info = esg("info", pipeline.project, "--json")
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert data["year"] == YEAR and data["kpis"] == len(SEED_KPIS) and data["kpi_tables"] == len(SEED_TABLES)


# == 2. the Excel workbook ========================================================================


def test_export_marks_derived_kpis_as_calculated(pipeline: Pipeline) -> None:
    """The colleagues' workbook: derived KPIs (intensities, totals) are calculated, not typed."""
    assert "wrote" in pipeline.export.stdout, pipeline.export.stdout
    book = openpyxl.load_workbook(pipeline.workbook)
    assert "_esg" in book.sheetnames and "Instructions" in book.sheetnames
    derived_ids = {k.id for k in SEED_KPIS if k.formula}
    data_sheets = [s for s in book.worksheets if s.title not in ("Instructions", "KPI definitions", "Units", "_esg")]
    rows = {sheet.cell(r, 1).value: (sheet, r) for sheet in data_sheets for r in range(2, sheet.max_row + 1)}
    for kpi_id in derived_ids:
        sheet, row = rows[kpi_id]
        notes = [str(sheet.cell(row, c).value or "") for c in range(1, sheet.max_column + 1)]
        assert any("calculated" in n for n in notes), f"{kpi_id} is derived but not marked calculated: {notes}"


def test_dry_run_lists_the_changes_and_leaves_the_project_unchanged(pipeline: Pipeline) -> None:
    """`excel import --dry-run` shows conversions (1,924.37 MWh, full-width ２，４４０) and writes nothing."""
    out = pipeline.dry_run.stdout
    assert pipeline.dry_run.returncode == 0, f"dry run failed:\n{out}\n{pipeline.dry_run.stderr}"
    assert pipeline.bytes_after_dry_run == pipeline.bytes_before_dry_run, "--dry-run changed the project file"
    assert "nothing was changed" in out
    assert f"{pipeline.cells['water.total']}  water.total 2023: (empty) → 7221.46" in out, out
    assert f"{pipeline.cells['emp.total']}  emp.total 2023: (empty) → 2440" in out, out
    assert f"{pipeline.cells['energy.electricity']}  energy.electricity 2023: (empty) → 1924.37" in out, out
    assert f"{pipeline.cells['ghg.scope1']}  ghg.scope1 2023: (empty) → not applicable" in out, out
    assert f"dry run: {len(TYPED_2023)} values would change (2023)" in out, out


def test_import_stores_exactly_what_was_typed(pipeline: Pipeline) -> None:
    """Text, units, percentages, full-width digits and 不適用 become exact values with provenance."""
    assert f"imported {len(TYPED_2023)} values (2023)" in pipeline.imported.stdout, pipeline.imported.stdout
    project = open_project(pipeline.project)
    value = lambda kpi_id: project.kpis[kpi_id].values[YEAR]  # noqa: E731
    assert value("water.total").number == Decimal("7221.46")
    assert value("energy.electricity").number == Decimal("1924.37")
    assert value("emp.total").number == Decimal("2440")
    assert value("training.coverage.male").number == Decimal("98.8")
    assert value("water.change").number == Decimal("-123")
    assert value("service.satisfaction").kind == "score" and value("service.satisfaction").maximum == Decimal("9")
    scope1 = value("ghg.scope1")
    assert scope1.kind == "not_applicable" and "範圍一" in scope1.reason.get("zh-Hant", ""), scope1
    provenance = value("water.total").provenance
    assert provenance.source == "imported" and pipeline.cells["water.total"] in provenance.detail


# == 3. the preflight check ========================================================================


def test_training_breakdowns_that_do_not_add_up_are_flagged(pipeline: Pipeline) -> None:
    """Seed item 30: trained by gender 1,562 + 848 = 2,410, by level 47 + 433 + 1,920 = 2,400."""
    hits = findings(pipeline.check, "kpi.breakdown", "training.trained")
    assert any("2,400" in f["message"] and "2,410" in f["message"] for f in hits), \
        "the 2,410 vs 2,400 training breakdown was not flagged:\n" + show(pipeline.check, ("kpi.breakdown",))
    assert pipeline.check["errors"] and pipeline.check["returncode"] == 1
    # before `kpi recompute` the derived total is still empty: the two breakdowns must disagree too
    before = findings(pipeline.check_after_import, "kpi.breakdown", "training.trained")
    assert any("2,400" in f["message"] and "2,410" in f["message"] for f in before), \
        show(pipeline.check_after_import, ("kpi.breakdown",))


def test_middle_level_training_share_is_computed_from_its_counts(pipeline: Pipeline) -> None:
    """Seed item 30: 433 of 447 middle-level staff trained is 96.9 %, the draft said 99.3 %. The
    share is a derived KPI, so importing the counts recomputes it: the draft's figure cannot reach
    print, and nothing is left to flag."""
    value = open_project(pipeline.project).kpis["training.coverage.middle"].values[2023]
    assert value.number == Decimal("96.9") and value.provenance.source == "derived", value
    assert not findings(pipeline.check_after_import, "kpi.derived", "training.coverage.middle"), \
        show(pipeline.check_after_import, ("kpi.derived", "kpi.intensity"))


def test_prior_year_figures_on_a_different_basis_are_flagged(pipeline: Pipeline) -> None:
    """Seed items 35 and 37: 2022 Scope 2 (1,326.30 t ≠ 2,269.01 MWh × 0.5703) and 0.0810 t/person."""
    check = pipeline.check_after_import
    scope2 = findings(check, "kpi.derived", "ghg.scope2")
    assert any("2022" in f["message"] and "1,326.3" in f["message"] and "1,294.02" in f["message"] for f in scope2), \
        show(check, ("kpi.derived",))
    waste = findings(check, "kpi.intensity", "waste.nonhazardous_intensity")
    assert any("2022" in f["message"] and "0.081" in f["message"] and "0.0809" in f["message"] for f in waste), \
        show(check, ("kpi.intensity",))
    # the 2022 intensities that the seed printed correctly are not flagged
    for kpi_id in ("waste.hazardous_intensity", "water.intensity", "energy.electricity_intensity",
                   "ghg.scope2_intensity"):
        assert not findings(check, "kpi.intensity", kpi_id), show(check, ("kpi.intensity",))


def test_decrease_of_more_than_100_percent_is_flagged(pipeline: Pipeline) -> None:
    """Seed item 28: "總用水量較2022年降低約123%" (really −55.1 %) and electricity "−18 %" (really −15.2 %)."""
    check = pipeline.check
    claims = findings(check, "kpi.impossible_decrease", "green-ops")
    assert {f["lang"] for f in claims} == {"zh-Hant", "en"}, show(check, ("kpi.impossible_decrease",))
    assert any("123" in f["message"] for f in claims)
    assert not any("18%" in f["message"] for f in claims), "an 18 % decrease is possible and must not be flagged"
    water = findings(check, "kpi.change_base", "water.change")
    assert any("123" in f["message"] for f in water), show(check, ("kpi.change_base",))
    electricity = findings(check, "kpi.change_base", "energy.electricity.change")
    assert any("-15" in f["message"] or "−15" in f["message"] for f in electricity), \
        "the electricity change computed on the 2023 base (−18 % instead of −15.2 %) was not flagged:\n" + \
        show(check, ("kpi.change_base",))


def test_supplier_swing_without_a_note_is_flagged(pipeline: Pipeline) -> None:
    """Seed item 36: suppliers assessed 1,563 → 324 (−79 %) with no note on the 2023 value."""
    hits = findings(pipeline.check, "kpi.yoy", "suppliers.assessed")
    assert hits and "1,563" in hits[0]["message"] and "324" in hits[0]["message"], show(pipeline.check, ("kpi.yoy",))
    assert hits[0]["severity"] == "warning"
    assert findings(pipeline.check, "kpi.yoy", "suppliers.terminated"), "11 → 39 (+254.5 %) not flagged"


def test_board_shares_forced_to_100_are_flagged(pipeline: Pipeline) -> None:
    """Seed item 29: 11.10 / 44.45 / 44.45 % of 9 directors; 22.22 / 77.78 % are right."""
    flagged = {f["target"]["id"] for f in findings(pipeline.check, "kpi.share_adjusted")}
    assert {"board.type.executive", "board.type.non_executive", "board.type.independent"} <= flagged, \
        show(pipeline.check, ("kpi.share_adjusted", "kpi.shares"))
    assert not flagged & {"board.gender.female", "board.gender.male"}


def test_wrong_framework_links_are_flagged(pipeline: Pipeline) -> None:
    """Seed items 31/33: an index row for a code that does not exist (B6.6), a "disclosed" row
    pointing at a section with no text (1.1 董事會聲明), a reference to a heading that does not exist."""
    check = pipeline.check
    unknown = findings(check, "framework.unknown-code")
    assert any("B6.6" in f["message"] and "customers" in f["target"]["id"] for f in unknown), \
        show(check, ("framework.unknown-code",))
    empty = findings(check, "framework.empty-section", f"{FW}:MDR-GOV")
    assert any("board-statement" in f["message"] for f in empty), show(check, ("framework.empty-section",))
    # only the empty section is reported, not esg-governance, which also answers MDR-GOV
    assert not any("esg-governance" in f["message"] for f in empty)
    unresolved = [f for f in check["findings"] if "kpi-table" in f["message"] and f["target"]["id"] == "about"]
    assert unresolved and all(f["severity"] == "error" for f in unresolved), \
        "[[ref:kpi-table]] (a heading that does not exist) was not reported:\n" + show(check)


def test_values_that_reconcile_are_not_flagged(pipeline: Pipeline) -> None:
    """The seed's consistent figures: 1,581 + 859 = 2,440 employees (also by level, age, region),
    461 + 18 = 479 new suppliers, intensities after `kpi recompute`, the 22.22/77.78 gender split."""
    check = pipeline.check
    for kpi_id in ("emp.total", "suppliers.new", "ghg.total", "board.directors"):
        assert not findings(check, "kpi.breakdown", kpi_id), show(check, ("kpi.breakdown",))
        assert not findings(check, "kpi.shares", kpi_id), show(check, ("kpi.shares",))
    for rule in ("kpi.intensity", "kpi.derived", "kpi.formula", "kpi.missing_value"):
        # 2022 keeps the seed's published slips (items 35, 37): restating them is the user's decision
        assert not [f for f in findings(check, rule) if "2022" not in f["message"]], show(check, (rule,))
    # headcount fell 13.8 %, electricity 15.2 %: below the ±30 % threshold
    for kpi_id in ("emp.total", "energy.electricity", "emp.gender.male"):
        assert not findings(check, "kpi.yoy", kpi_id), show(check, ("kpi.yoy",))
    # the not-applicable rows have their explanations in both languages
    assert not findings(check, "framework.no-reason"), show(check, ("framework.no-reason",))
    assert not findings(check, "framework.gap"), show(check, ("framework.gap",))
    assert not findings(check, "framework.unknown"), show(check)


def test_satisfaction_scale_change_is_flagged(pipeline: Pipeline) -> None:
    """Seed item 34: online-service satisfaction 9 (of 10) in 2022, 8.5 (of 9) in 2023, no note."""
    about_satisfaction = [f for f in pipeline.check["findings"] if f["target"]["id"] == "service.satisfaction"]
    assert about_satisfaction, (
        "PRODUCT GAP: a score KPI whose maximum changes between years (9/10 in 2022 → 8.5/9 in 2023) is not "
        "flagged by any check; esg_author/core/checks/kpi_rules.py check_year_over_year() only compares "
        "kind == 'number' values and no rule compares score maxima (seed-anatomy §8: 'A changed scale or method "
        "between years flagged (34, 35)'). Findings seen:\n" + show(pipeline.check))


def test_derived_values_left_empty_by_an_import_are_reported(pipeline: Pipeline) -> None:
    """A new user imports the workbook and runs `check` before `kpi recompute` (nothing in the README,
    the import output or the workbook mentions it): the 2023 intensities are still empty, and the
    report would print "—" in their cells."""
    stale = ("water.intensity", "energy.electricity_intensity", "waste.hazardous_intensity",
             "waste.nonhazardous_intensity", "ghg.scope2", "ghg.scope2_intensity", "training.coverage")
    reported = {f["target"]["id"] for f in pipeline.check_after_import["findings"]
                     if f["target"]["id"] in stale and "2023" in f["message"]}
    assert reported, (
        "PRODUCT DEFECT: after `excel import`, derived KPIs printed in the report (" + ", ".join(stale) + ") have "
        "no 2023 value although every input is present, and `esg-author check` says nothing about it: "
        "esg_author/core/checks/kpi_rules.py check_missing_values() skips every KPI with a formula and "
        "check_derived_values() skips a KPI whose stored value is missing. Neither `excel import` nor `build` "
        "recomputes, so the PDF prints '—' for the 2023 intensities unless the user knows to run "
        "`esg-author kpi recompute`. Findings seen:\n" + show(pipeline.check_after_import))


# == 4. the PDFs ====================================================================================


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_typed_values_print_exactly_as_formatted(pdfs: dict[str, PdfReader], lang: str) -> None:
    """What the colleague typed ("7,221.46", "1,924.37 MWh", "２，４４０", "98.8%") is what the PDF prints."""
    text = "\n".join(page_texts(pdfs[lang]))
    for printed in ("7,221.46", "1,924.37", "16,098.54", "2,440", "98.8", "190.80", "4.20"):
        assert printed in text, f"{printed!r} is not in the {lang} PDF"
    # derived after `kpi recompute`: 7,221.46 / 2,440 = 2.96; 1,924.37 × 0.5703 = 1,097.47
    for printed in ("2.96", "1,097.47", "0.0782"):
        assert printed in text, f"derived value {printed!r} is not in the {lang} PDF"
    # the [[kpi:water.total]] token in the text of 4.2
    unit = {"en": "m³", "zh-Hant": "立方米"}[lang]
    assert re.search(r"7,221\.46\s*" + re.escape(unit), text), f"token value with unit {unit} not found in {lang}"


def _index_pages(reader: PdfReader, lang: str) -> list[int]:
    texts = page_texts(reader)
    marker = {"en": "HKEX ESG Reporting Guide content index", "zh-Hant": "聯交所ESG報告指引指標索引表"}[lang]
    start = max(i for i, t in enumerate(texts) if marker in t.replace("\n", ""))
    return [i for i in range(start, len(texts)) if re.search(r"\bB\d\.\d\b|\bA\d\.\d\b", texts[i])]


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_index_lists_aspects_in_canonical_order(pdfs: dict[str, PdfReader], lang: str) -> None:
    """Seed item 31: its index put 層面B7 反貪污 before 層面B6 產品責任."""
    reader = pdfs[lang]
    texts = page_texts(reader)
    index_text = "\n".join(texts[i] for i in _index_pages(reader, lang))
    positions = {}
    for code in ("A1.1", "A2.1", "A4.1", "B1.1", "B5.1", "B6.1", "B6.2", "B7.1", "B8.1"):
        match = re.search(rf"(?m)^{re.escape(code)}\b", index_text) or re.search(rf"\b{re.escape(code)}\b", index_text)
        assert match, f"{code} missing from the {lang} index"
        positions[code] = match.start()
    order = sorted(positions, key=positions.get)
    assert order == list(positions), f"index rows out of canonical order in {lang}: {order}"
    assert "B6.6" not in index_text, "the index printed a row for the code that does not exist"


def _joined(text: str) -> str:
    """PDF text with line breaks undone: hyphenation (U+2010), CJK line breaks, runs of spaces."""
    text = text.replace("\u2010\n", "")
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    return re.sub(r"\s+", " ", text)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_index_page_numbers_point_to_the_referenced_sections(pipeline: Pipeline, pdfs: dict[str, PdfReader],
                                                              lang: str) -> None:
    """Seed item 33: its index cited headings that do not exist ("5.1 關鍵績效表" for 關鍵績效指標表).
    Here every reference carries a page number, and that page shows the section title (or, for a
    KPI table, the table's title and its rows)."""
    project = open_project(pipeline.project)
    numbers = project.section_numbers()
    reader = pdfs[lang]
    texts = page_texts(reader)
    index_pages = _index_pages(reader, lang)
    index_text = _joined("\n".join(texts[i] for i in index_pages))
    references: dict[str, str] = {}  # printed label → the title the target page must show
    for section in project.sections:
        if any(code.startswith(f"{FW}:") for code in section.disclosures) and section.id != "board-statement":
            title = section.text(lang).title
            references[f"{numbers[section.id]} {title}" if section.id in numbers else title] = title
    kpi_section = project.section("kpi-tables").text(lang).title
    for table in project.tables.values():
        if f"[[table:{table.id}]]" in project.section("kpi-tables").text(lang).body:
            references[f"{numbers['kpi-tables']} {kpi_section} · {table.title[lang]}"] = table.title[lang]
    problems = []
    for label, title in references.items():
        pages = {int(p) for p in re.findall(re.escape(label) + r" (\d+)\b", index_text)}
        if not pages:
            problems.append(f"{label!r}: not in the index, or without a page number")
            continue
        for page in sorted(pages):
            if not 1 <= page <= len(texts) or page - 1 in index_pages:
                problems.append(f"{label!r} → page {page}: not a page of the report body")
            elif _squeezed(title) not in _squeezed(texts[page - 1]):
                where = [i + 1 for i, t in enumerate(texts) if _squeezed(title) in _squeezed(t) and i not in index_pages]
                problems.append(f"{label!r} → page {page}, which does not show {title!r} (it is on page(s) {where})")
    assert not problems, (
        f"{lang}: index references that do not lead to their title:\n  " + "\n  ".join(problems) +
        "\nWhen the title is on the page before, the KPI table's <caption> was left alone at the foot of that "
        "page while its rows (and the #table-… anchor the index counts) moved to the next one: "
        "templates/default/report.css has no rule keeping a KPI table's caption with its first rows "
        "(_macros.html.j2 kpi_table: <caption> inside table.kpi-table).")
    assert len(references) >= 15


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_index_codes_fit_their_column(pdfs: dict[str, PdfReader], lang: str) -> None:
    """The index is the part the seed got wrong; its codes must at least be legible."""
    reader = pdfs[lang]
    texts = page_texts(reader)
    index_text = "\n".join(texts[i] for i in _index_pages(reader, lang))
    framework = default_registry().get(FW)
    codes = [d.code for d in framework.disclosures if d.kind in ROW_KINDS]
    # A code cell starts its line; text extraction puts a space where the next column begins.
    glued = [code for code in codes if re.search(rf"(?m)^{re.escape(code)}(?=\S)", index_text)]
    assert not glued, (
        f"PRODUCT DEFECT ({lang}): index codes run into the disclosure title: {glued} "
        "(e.g. 'MDR-RP-QUANTReporting principle'). templates/default/report.css gives the code column "
        "`table.index-table th.code { width: 17mm }` with `td.code { white-space: nowrap }`, so 'MDR-RP-QUANT' "
        "in bold overflows into the next column.")


def test_zh_hant_tables_have_no_english_group_headings(pdfs: dict[str, PdfReader]) -> None:
    """The seed is a Traditional Chinese report; every table row label must be Chinese."""
    texts = page_texts(pdfs["zh-Hant"])
    english = sorted({line.strip() for text in texts for line in text.splitlines()
                      if re.fullmatch(r"[A-Za-z][A-Za-z \-]*", line.strip())})
    assert not english, (
        f"PRODUCT DEFECT: English text in the zh-Hant PDF: {english}. A KPI group id outside the built-in list "
        "(here 'product', for complaints and satisfaction) is printed as its capitalised id in every language: "
        "esg_author/core/render/kpi_tables.py build_kpi_table() falls back to "
        "kpi.group.replace('_', ' ').capitalize(). docs/kpis.md lists only 'emissions, energy, employment …', "
        "so a user cannot know the ids that have labels (product_responsibility …), and `check` does not warn.")
