"""Wrong or unknown project options are reported instead of silently falling back."""

from __future__ import annotations

import pytest

from esg_author.core.checks.options_rules import check_project


def test_demo_options_are_valid(demo_project):
    assert check_project(demo_project) == []


@pytest.mark.parametrize("key, value, rule", [
    ("gri_claim", "in-accordance", "option.value"),
    ("date_style", "roman", "option.value"),
    ("zh_variant", "cn", "option.value"),
    ("bilingual_tables", "yes", "option.value"),
    ("yoy_threshold", "thirty", "option.value"),
    ("yoy_treshold", 30, "option.unknown"),
])
def test_bad_options_are_reported(small_project, key, value, rule):
    small_project.meta.options[key] = value
    findings = check_project(small_project)
    assert [f.rule for f in findings] == [rule] and findings[0].location == f"option {key}"


@pytest.mark.parametrize("value", [30, "30%", 0.3, "12.5 %"])
def test_good_thresholds(small_project, value):
    small_project.meta.options["yoy_threshold"] = value
    assert check_project(small_project) == []
