"""The built-in framework catalogues, the catalogue loader's rules and the Framework API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from esg_author.core.frameworks import (
    BUILTIN_CATALOGUE_DIR,
    LANGUAGES,
    CatalogueError,
    Framework,
    UnknownDisclosureError,
    load_catalogue,
    normalize_language,
)

BUILTIN_IDS = (
    "gri-2016", "gri-2021", "hkex-esg-2020", "hkex-esg-code-2025",
    "ifrs-s2", "nasdaq-esg-2", "tcfd", "un-sdg",
)

# Characters that occur only in Simplified (resp. only in Traditional) writing; a title in the other
# script containing one of them has mixed scripts. Ambiguous characters (后, 范, 温, 台 ...) are left out.
SIMPLIFIED_ONLY = set(
    "们这为时说国过发来对会员环经济产业气应关与动计标资级数务权变报门东风险监层议题础设训职营运购货"
    "废弃处规则实质检测费伤劳强链码织续络统让识认评审证鉴诉讼贪养护围体"
)
TRADITIONAL_ONLY = set(
    "們這為時說國過發來對會員環經濟產業氣應關與動計標資級數務權變報門東風險監層議題礎設訓職營運購貨"
    "廢棄處規則實質檢測費傷勞強鏈碼織續絡統讓識認評審證鑒訴訟貪養護溫範圍體僱"
)


def hkex_2020_expected_codes() -> list[str]:
    kpis = {"A1": 6, "A2": 5, "A3": 1, "A4": 1, "B1": 2, "B2": 3, "B3": 2, "B4": 2,
            "B5": 4, "B6": 5, "B7": 3, "B8": 2}
    codes = ["MDR", "MDR-GOV", "MDR-RP-MAT", "MDR-RP-QUANT", "MDR-RP-CONS", "MDR-BOUND"]
    for area in ("A", "B"):
        codes.append(area)
        for aspect, count in kpis.items():
            if aspect.startswith(area):
                codes.append(aspect)
                codes.extend(f"{aspect}.{n}" for n in range(count + 1))
    return codes


@pytest.fixture(scope="module")
def catalogues() -> dict[str, Framework]:
    return {path.stem: load_catalogue(path) for path in sorted(BUILTIN_CATALOGUE_DIR.glob("*.json"))}


# --- every built-in file ---------------------------------------------------------------------------

def test_builtin_files_are_exactly_the_expected_frameworks(catalogues: dict[str, Framework]) -> None:
    assert tuple(sorted(catalogues)) == BUILTIN_IDS
    for stem, framework in catalogues.items():
        assert framework.id == stem, "a catalogue file must be named <id>.json"


def test_builtin_orders_are_strictly_increasing_and_parents_precede(catalogues: dict[str, Framework]) -> None:
    for framework in catalogues.values():
        orders = [d.order for d in framework]
        assert orders == sorted(set(orders))
        seen: set[str] = set()
        for disclosure in framework:
            assert disclosure.parent is None or disclosure.parent in seen
            seen.add(disclosure.code)


def test_every_title_has_three_languages_within_length_limits(catalogues: dict[str, Framework]) -> None:
    for framework in catalogues.values():
        for text in (framework.name, framework.short_name):
            assert set(text) == set(LANGUAGES)
        for disclosure in framework:
            assert set(disclosure.title) == set(LANGUAGES), (framework.id, disclosure.code)
            assert len(disclosure.title["en"]) <= 60, (framework.id, disclosure.code)
            assert len(disclosure.title["zh-Hant"]) <= 30, (framework.id, disclosure.code)
            assert len(disclosure.title["zh-Hans"]) <= 30, (framework.id, disclosure.code)


def _chinese_texts(framework: Framework) -> list[tuple[str, Any]]:
    texts: list[tuple[str, Any]] = [("name", framework.name), ("short_name", framework.short_name)]
    for disclosure in framework:
        texts.append((disclosure.code, disclosure.title))
        if disclosure.note is not None:
            texts.append((f"{disclosure.code} note", disclosure.note))
    return texts


def test_chinese_texts_do_not_mix_scripts(catalogues: dict[str, Framework]) -> None:
    problems = []
    for framework in catalogues.values():
        for where, text in _chinese_texts(framework):
            if bad := SIMPLIFIED_ONLY & set(text["zh-Hant"]):
                problems.append(f"{framework.id} {where} zh-Hant has simplified {sorted(bad)}")
            if bad := TRADITIONAL_ONLY & set(text["zh-Hans"]):
                problems.append(f"{framework.id} {where} zh-Hans has traditional {sorted(bad)}")
    assert not problems, "\n".join(problems)


def test_chinese_texts_use_regional_terms(catalogues: dict[str, Framework]) -> None:
    # Hong Kong writes 持份者 / 私隱, the mainland 利益相关方 / 隐私.
    for framework in catalogues.values():
        for where, text in _chinese_texts(framework):
            for mainland_term in ("利益相關方", "隱私"):
                assert mainland_term not in text["zh-Hant"], (framework.id, where)
            for hong_kong_term in ("持份者", "私隐"):
                assert hong_kong_term not in text["zh-Hans"], (framework.id, where)


# --- HKEX ------------------------------------------------------------------------------------------

def test_hkex_2020_has_exactly_the_listed_codes(catalogues: dict[str, Framework]) -> None:
    assert list(catalogues["hkex-esg-2020"].codes()) == hkex_2020_expected_codes()


def test_hkex_2020_counts(catalogues: dict[str, Framework]) -> None:
    guide = catalogues["hkex-esg-2020"]
    by_kind = {kind: [d for d in guide if d.kind == kind] for kind in ("aspect", "general", "kpi")}
    assert len(by_kind["aspect"]) == 12
    assert len(by_kind["general"]) == 12
    assert len(by_kind["kpi"]) == 36
    mdr = guide.children("MDR")
    assert [d.code for d in mdr] == ["MDR-GOV", "MDR-RP-MAT", "MDR-RP-QUANT", "MDR-RP-CONS", "MDR-BOUND"]
    assert all(d.level == "mandatory" for d in (guide.get("MDR"), *mdr))
    part_c = [d for d in guide if not d.code.startswith("MDR")]
    assert all(d.level == "comply_or_explain" for d in part_c)
    assert [d.code for d in guide.top_level()] == ["MDR", "A", "B"]
    for aspect in by_kind["aspect"]:
        children = guide.children(aspect.code)
        assert children[0].code == f"{aspect.code}.0" and children[0].kind == "general"
        assert all(child.kind == "kpi" for child in children[1:])


def test_hkex_2020_data_requirements(catalogues: dict[str, Framework]) -> None:
    guide = catalogues["hkex-esg-2020"]
    assert guide.get("B2.1").data_requirements["min_years"] == 3
    assert guide.get("A2.1").data_requirements["unit_hint"] == "MWh"
    assert guide.get("B1.1").data_requirements["breakdowns"] == ("gender", "employment_type", "age", "region")
    assert guide.get("B1.2").data_requirements["breakdowns"] == ("gender", "age", "region")
    assert guide.get("B3.1").data_requirements["breakdowns"] == ("gender", "category")
    assert guide.get("B3.2").data_requirements["breakdowns"] == ("gender", "category")
    assert guide.get("B5.1").data_requirements["breakdowns"] == ("region",)
    assert not guide.get("A1.0").data_requirements


def test_hkex_code_2025_structure(catalogues: dict[str, Framework]) -> None:
    code = catalogues["hkex-esg-code-2025"]
    assert [d.code for d in code.top_level()] == ["PART-B", "PART-C", "PART-D"]
    assert [d.code for d in code.children("PART-B")] == [
        "MDR-GOV", "MDR-RP-MAT", "MDR-RP-QUANT", "MDR-RP-CONS", "MDR-BOUND"]
    assert "A4" not in code and "A4.1" not in code
    assert len([d for d in code if d.kind == "aspect"]) == 11
    assert len([d for d in code if d.kind == "kpi"]) == 35  # 36 minus A4.1
    guide_2020 = catalogues["hkex-esg-2020"]
    for disclosure in code:  # Part C codes and titles are carried over from 2020
        if disclosure.parent in ("A", "B") or disclosure.kind in ("general", "kpi"):
            assert guide_2020.get(disclosure.code).title == disclosure.title
    assert [d.code for d in code.children("PART-D")] == ["D-GOV", "D-STR", "D-RM", "D-MT"]
    assert code.get("HKD-MT-GHG1").level == "mandatory"
    assert code.get("HKD-MT-GHG2").level == "mandatory"
    assert code.get("HKD-MT-GHG3").level == "comply_or_explain"
    part_d_items = [d for d in code if d.code.startswith("HKD-")]
    assert len(part_d_items) == 17
    assert all(d.phase_in for d in part_d_items)
    assert "LargeCap" in code.get("HKD-STR-RES").phase_in


# --- GRI -------------------------------------------------------------------------------------------

def test_gri_2021_universal_disclosures(catalogues: dict[str, Framework]) -> None:
    gri = catalogues["gri-2021"]
    gri2 = [d.code for d in gri if d.code[:2] == "2-"]
    assert gri2 == [f"2-{n}" for n in range(1, 31)]
    assert [d.code for d in gri.children("GRI 3")] == ["3-1", "3-2", "3-3"]
    sections = gri.children("GRI 2")
    assert [len(gri.children(s.code)) for s in sections] == [5, 3, 13, 7, 2]
    assert all(gri.is_required(code) for code in [*gri2, "3-1", "3-2", "3-3"])
    assert not gri.is_required("305-1")


def test_gri_2021_topic_standards(catalogues: dict[str, Framework]) -> None:
    gri = catalogues["gri-2021"]
    standards = [d for d in gri if d.kind == "standard"]
    numbers = [d.code.removeprefix("GRI ") for d in standards]
    expected = ["2", "3", *map(str, range(201, 208)), *[str(n) for n in range(301, 309) if n != 307],
                *map(str, range(401, 419))]
    assert numbers == expected
    assert all(d.version for d in standards)
    assert gri.get("GRI 306").version == "2020"
    assert gri.get("GRI 303").version == "2018"
    assert gri.get("GRI 403").version == "2018"
    assert gri.get("GRI 207").version == "2019"
    assert gri.get("GRI 305").version == "2016"
    assert [d.code for d in gri.children("GRI 305")] == [f"305-{n}" for n in range(1, 8)]
    assert [d.code for d in gri.children("GRI 403")] == [f"403-{n}" for n in range(1, 11)]
    for standard in standards[2:]:
        number = standard.code.removeprefix("GRI ")
        assert all(child.code.startswith(f"{number}-") for child in gri.children(standard.code))


def test_gri_2016_maps_to_existing_gri_2021_codes(catalogues: dict[str, Framework]) -> None:
    old, new = catalogues["gri-2016"], catalogues["gri-2021"]
    assert old.maps_to_framework == "gri-2021"
    for disclosure in old:
        if disclosure.kind != "disclosure":
            continue
        for code in disclosure.maps_to:
            assert code in new, (disclosure.code, code)
        if not disclosure.maps_to:
            assert disclosure.note is not None, f"{disclosure.code}: empty maps_to needs a note"


def test_gri_2016_core_option(catalogues: dict[str, Framework]) -> None:
    old = catalogues["gri-2016"]
    gri102 = [d.code for d in old if d.code.startswith("102-")]
    assert gri102 == [f"102-{n}" for n in range(1, 57)]
    core = {d.code for d in old if d.core and d.code.startswith("102-")}
    expected = {f"102-{n}" for n in [*range(1, 15), 16, 18, *range(40, 57)]}
    assert core == expected
    assert [d.code for d in old.children("GRI 103")] == ["103-1", "103-2", "103-3"]
    assert old.get("102-15").maps_to == ()
    assert old.get("307-1").maps_to == ("2-27",)
    assert [d.code for d in old.children("GRI 403")] == ["403-1", "403-2", "403-3", "403-4"]


# --- the smaller frameworks -----------------------------------------------------------------------

def test_nasdaq_has_30_metrics(catalogues: dict[str, Framework]) -> None:
    nasdaq = catalogues["nasdaq-esg-2"]
    assert [d.code for d in nasdaq.top_level()] == ["E", "S", "G"]
    for pillar in "ESG":
        assert [d.code for d in nasdaq.children(pillar)] == [f"{pillar}{n}" for n in range(1, 11)]
    assert {d.level for d in nasdaq} == {"voluntary"}


def test_sdg_has_17_goals(catalogues: dict[str, Framework]) -> None:
    sdg = catalogues["un-sdg"]
    assert list(sdg.codes()) == [str(n) for n in range(1, 18)]
    assert {d.kind for d in sdg} == {"goal"}
    assert sdg.title("13", "en") == "Climate action"


def test_tcfd_has_11_recommended_disclosures(catalogues: dict[str, Framework]) -> None:
    tcfd = catalogues["tcfd"]
    recommendations = [d.code for d in tcfd if d.kind == "recommendation"]
    assert recommendations == ["GOV-a", "GOV-b", "STR-a", "STR-b", "STR-c",
                               "RM-a", "RM-b", "RM-c", "MT-a", "MT-b", "MT-c"]
    assert [d.code for d in tcfd.top_level()] == ["GOV", "STR", "RM", "MT"]
    assert {d.level for d in tcfd} == {"recommended"}


def test_ifrs_s2_core_content(catalogues: dict[str, Framework]) -> None:
    s2 = catalogues["ifrs-s2"]
    assert [d.code for d in s2.top_level()] == ["GOV", "STR", "RM", "MT"]
    assert [d.code for d in s2.children("MT")][:7] == [f"S2-29({letter})" for letter in "abcdefg"]
    assert s2.get("S2-29(a)").data_requirements["unit_hint"] == "tCO2e"
    assert {d.level for d in s2} == {"mandatory"}


# --- Framework API ----------------------------------------------------------------------------------

def test_framework_lookups(catalogues: dict[str, Framework]) -> None:
    guide = catalogues["hkex-esg-2020"]
    with pytest.raises(UnknownDisclosureError) as caught:
        guide.get("Z9.9")
    assert isinstance(caught.value, KeyError)
    assert "hkex-esg-2020" in str(caught.value) and "Z9.9" in str(caught.value)
    with pytest.raises(UnknownDisclosureError):
        guide.children("Z9")
    assert guide.children("A1.2") == ()
    assert guide.is_required("A1.2") and guide.is_required("MDR-GOV")
    assert not catalogues["un-sdg"].is_required("13")
    assert guide.title("B1", "zh-Hant") == "僱傭"
    assert guide.title("B1", "zh-Hant-HK") == "僱傭"
    assert guide.title("B1", "zh-CN") == "雇佣"
    assert guide.title("B1", "en-GB") == "Employment"
    assert "68" in repr(guide)


def test_normalize_language() -> None:
    assert normalize_language("zh_Hant_HK") == "zh-Hant"
    assert normalize_language("zh-TW") == "zh-Hant"
    assert normalize_language("zh") == "zh-Hans"
    assert normalize_language("zh-Hans-SG") == "zh-Hans"
    with pytest.raises(ValueError):
        normalize_language("fr")


def test_loaded_objects_are_immutable(catalogues: dict[str, Framework]) -> None:
    disclosure = catalogues["hkex-esg-2020"].get("A1.2")
    with pytest.raises(AttributeError):
        disclosure.code = "X"  # type: ignore[misc]
    with pytest.raises(TypeError):
        disclosure.title["en"] = "changed"  # type: ignore[index]
    assert hash(disclosure) == hash(catalogues["hkex-esg-2020"].get("A1.2"))


# --- loader rules -----------------------------------------------------------------------------------

def _minimal() -> dict[str, Any]:
    def title() -> dict[str, str]:
        return {"en": "Item", "zh-Hant": "項目", "zh-Hans": "项目"}

    return {
        "id": "test-fw", "name": title(), "short_name": title(), "version": "1", "publisher": "Us",
        "effective": None, "levels_used": ["voluntary"], "notes": "",
        "disclosures": [
            {"code": "P", "parent": None, "order": 1, "level": "voluntary", "kind": "part", "title": title()},
            {"code": "P-1", "parent": "P", "order": 2, "level": "voluntary", "kind": "disclosure", "title": title()},
        ],
    }


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "test-fw.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_minimal_catalogue_loads(tmp_path: Path) -> None:
    framework = load_catalogue(_write(tmp_path, _minimal()))
    assert framework.codes() == ("P", "P-1")
    assert framework.effective is None


@pytest.mark.parametrize(
    ("change", "json_path", "reason_part"),
    [
        (lambda d: d["disclosures"][1]["title"].pop("zh-Hans"), "$.disclosures[1].title", "zh-Hans"),
        (lambda d: d["disclosures"][1].update(level="must"), "$.disclosures[1].level", "must"),
        (lambda d: d["disclosures"][1].update(extra=1), "$.disclosures[1]", "extra"),
        (lambda d: d.update(effective="1 Jan 2025"), "$.effective", "1 Jan 2025"),
        (lambda d: d["disclosures"][1].update(code="P:1"), "$.disclosures[1].code", "P:1"),
        (lambda d: d["disclosures"][1].update(code="P"), "$.disclosures[1].code", "duplicate"),
        (lambda d: d["disclosures"][1].update(parent="Q"), "$.disclosures[1].parent", "does not exist"),
        (lambda d: d["disclosures"].reverse(), "$.disclosures[0].parent", "before"),
        (lambda d: d["disclosures"][1].update(order=1), "$.disclosures[1].order", "greater"),
        (lambda d: d["disclosures"][1].update(maps_to=["ok", "bad:code"]), "$.disclosures[1].maps_to",
         "bad:code"),
        (lambda d: d.update(levels_used=["voluntary", "mandatory"]), "$.levels_used", "exactly"),
        (lambda d: d.update(effective="2025-02-30"), "$.effective", "real date"),
        (lambda d: d["disclosures"][1].update(data_requirements={"breakdowns": ["colour"]}),
         "$.disclosures[1].data_requirements.breakdowns[0]", "colour"),
    ],
)
def test_invalid_catalogue_names_file_and_json_path(
    tmp_path: Path, change: Any, json_path: str, reason_part: str
) -> None:
    document = _minimal()
    change(document)
    path = _write(tmp_path, document)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    error = caught.value
    assert error.path == path
    assert error.json_path.startswith(json_path), error
    assert reason_part in error.reason
    assert str(path) in str(error) and error.json_path in str(error)


def test_maps_to_requires_target_framework(tmp_path: Path) -> None:
    document = _minimal()
    document["disclosures"][1]["maps_to"] = ["2-1"]
    with pytest.raises(CatalogueError, match="maps_to_framework"):
        load_catalogue(_write(tmp_path, document))


def test_invalid_json_reports_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"id": "x",\n  oops}', encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"line 2"):
        load_catalogue(path)


def test_catalogue_modules_do_not_import_qt() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('Qt is blocked in core')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import esg_author.core.frameworks as f\n"
        "f.default_registry()\n"
    )
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
