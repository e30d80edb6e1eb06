"""Project options (meta.options) are free-form in the file; this check says when one is wrong.

Several readers fall back to a default for a value they do not understand (so a build never
stops for a typo in an option); without this check the typo would go unnoticed. The options and
the values they accept are defined once, in core/model/options.py, which the SetOption command
and project validation use too.
"""

from __future__ import annotations

from esg_author.core.findings import Finding, SettingTarget, Severity
from esg_author.core.i18n.catalogs import N_
from esg_author.core.model import Project
from esg_author.core.model.options import CHOICES, KNOWN_OPTIONS, option_problem

KNOWN = KNOWN_OPTIONS


def check_project(project: Project) -> list[Finding]:
    findings = []
    for key, value in project.meta.options.items():
        where = SettingTarget(f"option.{key}")
        if key not in KNOWN:
            findings.append(Finding(Severity.WARNING, "option.unknown",
                                    N_("unknown project option {option} (known: {known}); it has no effect"),
                                    target=where, params={"option": key, "known": ", ".join(KNOWN)}))
        elif key in CHOICES and option_problem(key, value) is not None:
            findings.append(Finding(Severity.ERROR, "option.value", N_("project option {option} is {value}; use one of "
                                                                       "{choices}"), target=where,
                                    params={"option": key, "value": repr(value),
                                            "choices": ", ".join(repr(c) for c in CHOICES[key])}))
        elif key == "yoy_threshold" and option_problem(key, value) is not None:
            findings.append(Finding(Severity.ERROR, "option.value",
                                    N_("project option {option} is {value}; use a percentage such as 30 or \"30%\""),
                                    target=where, params={"option": key, "value": repr(value)}))
    return findings
