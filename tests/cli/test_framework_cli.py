"""`esg-author frameworks list` and `esg-author index`."""

from __future__ import annotations

import json

from esg_author.cli import main


def test_frameworks_list(capsys):
    assert main(["frameworks", "list", "--json"]) == 0
    ids = {row["id"] for row in json.loads(capsys.readouterr().out)["frameworks"]}
    assert {"hkex-esg-2020", "hkex-esg-code-2025", "gri-2021", "un-sdg", "tcfd"} <= ids


def test_index_with_coverage_and_real_pages(demo_path, capsys):
    assert main(["index", str(demo_path), "--framework", "hkex-esg-code-2025", "--lang", "en", "--pages", "--json"]) == 0
    index = json.loads(capsys.readouterr().out)
    groups = {g["code"]: g for g in index["groups"]}
    assert groups["A1"]["coverage"] == {"rows": 7, "disclosed": 7}
    a12 = next(r for r in groups["A1"]["rows"] if r["code"] == "A1.2")
    assert any(ref["anchor"] == "table-env-emissions" and ref["page"] > 20 for ref in a12["references"])
    assert main(["index", str(demo_path), "--framework", "gri-2021", "--lang", "en"]) == 0
    assert "with reference to the GRI Standards" in capsys.readouterr().out


def test_index_unknown_framework(demo_path, capsys):
    assert main(["index", str(demo_path), "--framework", "iso-9999"]) == 1
    assert "iso-9999" in capsys.readouterr().err
