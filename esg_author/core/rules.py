"""Every rule a Finding can name, in one registry: its id, its usual severity and what it checks.

A Finding with an id missing here is refused when it is made, so a new rule is registered (and
its summary translated) before it can report anything. The GUI's problems panel groups and
filters by these ids; `esg-author check --rules` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a constant for extraction (the same marker as i18n.catalogs.N_, which sits above us)."""
    return message


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # the usual severity: "error", "warning" or "info"
    summary: str  # what the rule checks, a translatable English sentence


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.id: rule for rule in rules}


RULES: dict[str, Rule] = _rules(
    # section text
    Rule("text.missing", "error", N_("A section has no text in a report language.")),
    Rule("text.missing-title", "error", N_("A section has no title in a report language.")),
    Rule("text.empty", "warning", N_("A section has neither text nor sub-sections in a report language.")),
    # tokens in the text
    Rule("token.kpi", "error", N_("A [[kpi:…]] token names a KPI or year the project does not have.")),
    Rule("token.ref", "error", N_("A [[ref:…]] token names a section the project does not have.")),
    Rule("token.table", "error", N_("A [[table:…]] token names a KPI table the project does not have, or does not stand alone on its line.")),
    Rule("token.index", "error", N_("An [[index:…]] token does not stand alone on its line.")),
    Rule("token.asset", "error", N_("An image is not one of the project's assets.")),
    Rule("token.token", "error", N_("A [[…]] is not a token esg-author knows: a mistyped kind, id or year.")),
    # KPIs
    Rule("kpi.formula", "error", N_("A derived KPI's formula cannot be evaluated.")),
    Rule("kpi.formula.division_by_zero", "warning", N_("A derived KPI's formula divides by zero in a year.")),
    Rule("kpi.breakdown", "error", N_("A total differs from the sum of its breakdown.")),
    Rule("kpi.shares", "error", N_("Shares of a whole do not add up to 100 %.")),
    Rule("kpi.share_adjusted", "error", N_("A share of counted things is not a whole number of them.")),
    Rule("kpi.intensity", "error", N_("A stored intensity differs from its formula's result.")),
    Rule("kpi.derived", "error", N_("A stored derived value differs from its formula's result.")),
    Rule("kpi.derived_missing", "warning", N_("A derived KPI was never computed for a year that has its inputs.")),
    Rule("kpi.change_base", "error", N_("A percent change is computed on the wrong base, or is a decrease of more than 100 %.")),
    Rule("kpi.impossible_decrease", "error", N_("The text claims a decrease of more than 100 %.")),
    Rule("kpi.yoy", "warning", N_("A large year-on-year change has no note explaining it.")),
    Rule("kpi.missing_value", "warning", N_("A KPI the report prints has no value for the reporting year.")),
    Rule("kpi.factor_unverified", "info", N_("A formula uses a built-in emission factor not yet checked against its source.")),
    Rule("kpi.scale_change", "warning", N_("A score's scale changes between years without a note.")),
    Rule("kpi.reason_language", "warning", N_("A not-applicable or not-reported value has no reason in a report language.")),
    Rule("kpi.group_unknown", "warning", N_("A KPI group has no printed name.")),
    # KPI tables
    Rule("table.kpi", "error", N_("A KPI table lists a KPI the project does not have.")),
    # frameworks and indices
    Rule("framework.unknown", "error", N_("The project reports under a framework esg-author does not know.")),
    Rule("framework.unknown-code", "error", N_("A link names a framework or disclosure code that does not exist.")),
    Rule("framework.not-chosen", "info", N_("A link names a framework the report does not report under.")),
    Rule("framework.gap", "error", N_("A required disclosure is neither answered nor explained.")),
    Rule("framework.no-reason", "error", N_("A disclosure set as not applicable or omitted has no explanation in a report language.")),
    Rule("framework.omission-reason", "error", N_("An omitted GRI disclosure needs one of GRI's reasons for omission.")),
    Rule("framework.empty-section", "error", N_("A disclosure is linked to a section without text.")),
    Rule("framework.years", "error", N_("A KPI linked to a disclosure lacks a value for a year the disclosure asks for.")),
    Rule("framework.breakdown", "warning", N_("A disclosure asks for a breakdown the KPI does not have.")),
    Rule("framework.intensity", "warning", N_("A disclosure asks for an intensity the project does not compute.")),
    Rule("framework.no-kpi", "warning", N_("A required disclosure asks for data, but no KPI is linked to it.")),
    Rule("index.framework", "error", N_("A content index names a framework esg-author does not know.")),
    # scripts (Traditional / Simplified)
    Rule("script.simplified-in-hant", "warning", N_("Simplified characters in the Traditional Chinese text.")),
    Rule("script.traditional-in-hans", "warning", N_("Traditional characters in the Simplified Chinese text.")),
    Rule("script.unverified", "warning", N_("Mixed Traditional and Simplified text could not be checked on this computer.")),
    # data-collection workbooks (import)
    Rule("workbook.other-project", "error", N_("The workbook was exported from another project or reporting year.")),
    Rule("workbook.year", "warning", N_("The workbook's values are imported as another year than the one it was exported for.")),
    Rule("workbook.sheet", "error", N_("A sheet of the workbook is missing, added, or has columns inserted, moved or renamed.")),
    Rule("workbook.kpi", "error", N_("A row names a KPI that cannot be imported: unknown, repeated, calculated, or an invalid new KPI.")),
    Rule("workbook.value", "error", N_("A cell's value cannot be imported: not a number, a unit that does not fit, or never calculated.")),
    # translation exchange files (import)
    Rule("exchange.unit", "error", N_("A unit of a translation file cannot be applied to the project.")),
    # project options
    Rule("option.unknown", "warning", N_("The project has an option esg-author does not know.")),
    Rule("option.value", "error", N_("A project option has a value it does not accept.")),
    # fonts and rendering
    Rule("font.none", "error", N_("None of the fonts the template declares for a language is installed.")),
    Rule("font.coverage", "error", N_("Characters of the report are missing from the template's fonts.")),
    Rule("font.missing-glyph", "error", N_("The PDF shows boxes for characters no font has.")),
    Rule("font.undeclared", "warning", N_("The template declares no fonts for a language of the report.")),
    Rule("font.not-installed", "warning", N_("A font the template declares is not installed.")),
    Rule("font.unverified", "warning", N_("Font coverage could not be checked on this computer.")),
    Rule("render.weasyprint", "warning", N_("The PDF renderer reported a problem with the layout or styles.")),
    Rule("render.resource", "error", N_("The PDF renderer could not use a resource (an image, a font, a stylesheet or a link target).")),
    Rule("render.fetch-refused", "error", N_("The template asked for a file outside its folder and the project's assets.")),
)
