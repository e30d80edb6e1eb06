"""FrameworkRegistry: built-in and user catalogues, overrides, error handling, references."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from esg_author.core.frameworks import (
    BUILTIN_CATALOGUE_DIR,
    CatalogueError,
    FrameworkRegistry,
    UnknownDisclosureError,
    UnknownFrameworkError,
    default_registry,
)

BUILTIN_IDS = (
    "gri-2016", "gri-2021", "hkex-esg-2020", "hkex-esg-code-2025",
    "ifrs-s2", "nasdaq-esg-2", "tcfd", "un-sdg",
)


def _builtin_document(framework_id: str) -> dict[str, Any]:
    return json.loads((BUILTIN_CATALOGUE_DIR / f"{framework_id}.json").read_text(encoding="utf-8"))


def _write(directory: Path, name: str, document: dict[str, Any] | str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def _user_framework(framework_id: str = "acme-internal") -> dict[str, Any]:
    def title(en: str) -> dict[str, str]:
        return {"en": en, "zh-Hant": "內部指標", "zh-Hans": "内部指标"}

    return {
        "id": framework_id, "name": title("ACME internal KPIs"), "short_name": title("ACME"),
        "version": "2025", "publisher": "ACME", "effective": "2025-01-01",
        "levels_used": ["voluntary"], "notes": "test",
        "disclosures": [
            {"code": "K1", "parent": None, "order": 1, "level": "voluntary", "kind": "kpi",
             "title": title("Paper use")},
        ],
    }


def test_default_registry_has_builtins_and_is_cached() -> None:
    registry = default_registry()
    # The user's own catalogue folder may add frameworks on a developer machine.
    assert set(BUILTIN_IDS) <= set(registry.ids())
    assert list(registry.ids()) == sorted(registry.ids())
    assert default_registry() is registry


def test_builtin_only_registry() -> None:
    registry = FrameworkRegistry.load()
    assert registry.ids() == BUILTIN_IDS
    assert [f.id for f in registry.all()] == list(BUILTIN_IDS)
    assert registry.errors == []


def test_user_catalogue_adds_a_framework(tmp_path: Path) -> None:
    _write(tmp_path, "acme.json", _user_framework())
    registry = FrameworkRegistry.load([tmp_path])
    assert "acme-internal" in registry.ids()
    assert registry.get("acme-internal").title("K1", "en") == "Paper use"


def test_user_catalogue_overrides_builtin_and_is_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    document = _builtin_document("hkex-esg-2020")
    a12 = next(d for d in document["disclosures"] if d["code"] == "A1.2")
    a12["title"]["en"] = "Our own wording for A1.2"
    path = _write(tmp_path, "my-hkex.json", document)
    with caplog.at_level(logging.INFO, logger="esg_author.core.frameworks.registry"):
        registry = FrameworkRegistry.load([tmp_path])
    assert registry.get("hkex-esg-2020").title("A1.2", "en") == "Our own wording for A1.2"
    assert registry.get("hkex-esg-2020").source_path == path
    assert any("overrides" in r.getMessage() and "hkex-esg-2020" in r.getMessage() for r in caplog.records)
    # the default registry is untouched
    assert default_registry().get("hkex-esg-2020").title("A1.2", "en") != "Our own wording for A1.2"


@pytest.mark.parametrize(
    "content",
    [
        "{ not json",
        json.dumps({"id": "half-done"}),
        json.dumps({**_user_framework(), "disclosures": [
            {"code": "K2", "parent": "K1", "order": 1, "level": "voluntary", "kind": "kpi",
             "title": {"en": "x", "zh-Hant": "x", "zh-Hans": "x"}}]}),
    ],
    ids=["invalid-json", "schema-violation", "semantic-violation"],
)
def test_broken_user_file_raises_naming_the_file(tmp_path: Path, content: str) -> None:
    path = _write(tmp_path, "broken.json", content)
    with pytest.raises(CatalogueError) as caught:
        FrameworkRegistry.load([tmp_path])
    assert caught.value.path == path
    assert "broken.json" in str(caught.value)


def test_non_strict_load_collects_errors_and_keeps_the_rest(tmp_path: Path) -> None:
    broken = _write(tmp_path, "a-broken.json", "{ not json")
    _write(tmp_path, "b-good.json", _user_framework())
    registry = FrameworkRegistry.load([tmp_path], strict=False)
    assert [e.path for e in registry.errors] == [broken]
    assert "acme-internal" in registry.ids()
    assert set(BUILTIN_IDS) <= set(registry.ids())


def test_maps_to_codes_are_checked_against_the_target_framework(tmp_path: Path) -> None:
    document = _builtin_document("gri-2016")
    item = next(d for d in document["disclosures"] if d["code"] == "102-1")
    item["maps_to"] = ["2-99"]
    path = _write(tmp_path, "gri-2016.json", document)
    with pytest.raises(CatalogueError) as caught:
        FrameworkRegistry.load([tmp_path])
    assert caught.value.path == path and "2-99" in caught.value.reason

    registry = FrameworkRegistry.load([tmp_path], strict=False)
    assert len(registry.errors) == 1 and "2-99" in str(registry.errors[0])


def test_missing_user_folder_is_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="esg_author.core.frameworks.registry"):
        registry = FrameworkRegistry.load([tmp_path / "gone"])
    assert registry.ids() == BUILTIN_IDS
    assert any("does not exist" in r.getMessage() for r in caplog.records)


def test_broken_builtin_file_always_raises(tmp_path: Path) -> None:
    _write(tmp_path, "x.json", "{ not json")
    with pytest.raises(CatalogueError):
        FrameworkRegistry.load(strict=False, builtin_dir=tmp_path)


def test_resolve() -> None:
    registry = default_registry()
    framework, disclosure = registry.resolve("hkex-esg-2020:A1.2")
    assert framework.id == "hkex-esg-2020" and disclosure.code == "A1.2"
    assert registry.resolve("gri-2021:GRI 305")[1].kind == "standard"
    assert registry.resolve("ifrs-s2:S2-29(a)")[1].parent == "MT"


def test_resolve_errors() -> None:
    registry = default_registry()
    with pytest.raises(UnknownFrameworkError) as unknown_framework:
        registry.resolve("hkex-esg-2099:A1.2")
    message = str(unknown_framework.value)
    assert "hkex-esg-2099" in message and all(fid in message for fid in BUILTIN_IDS)
    assert isinstance(unknown_framework.value, KeyError)

    with pytest.raises(UnknownDisclosureError) as unknown_code:
        registry.resolve("hkex-esg-2020:A9.9")
    assert "A9.9" in str(unknown_code.value)

    for malformed in ("A1.2", ":A1.2", "hkex-esg-2020:"):
        with pytest.raises(ValueError, match="framework-id:CODE"):
            registry.resolve(malformed)


def test_get_unknown_framework_lists_known_ids() -> None:
    with pytest.raises(UnknownFrameworkError, match="known frameworks: gri-2016"):
        default_registry().get("nope")
