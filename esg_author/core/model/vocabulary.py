"""What the model cannot know by itself, and how it is told.

The rules of core/model/validate.py and the commands need the meaning of some names: units (pint,
data/units.py), the formula language (data/formulas.py, data/derived.py), framework catalogues,
installed templates and translation fingerprints (i18n). Those live in the layers above the
model, so the model defines this interface and the layer that knows implements it:
esg_author.core.vocabulary.StandardVocabulary, installed when that module is imported.
"""

from __future__ import annotations

import logging

from esg_author.core.model.project import Kpi, Project

logger = logging.getLogger(__name__)


class Vocabulary:
    """Names the model cannot judge by itself, because their meaning lives in the layers above it:
    units (pint, data/units.py), the formula language (data/formulas.py, data/derived.py),
    framework catalogues, installed templates and translation fingerprints (i18n).

    This base class knows none of them: it accepts every name and cannot parse formulas. The
    standard vocabulary (esg_author.core.vocabulary.StandardVocabulary) knows them all.
    """

    complete = False  # True for a vocabulary that really checks units, formulas and frameworks

    def unit_problem(self, unit: str) -> str | None:
        """Why a KPI cannot be stored in unit, or None."""
        return None

    def display_unit_problem(self, unit: str, display_unit: str) -> str | None:
        """Why values stored in unit cannot be printed in display_unit, or None."""
        return None

    def factor_unit_problem(self, unit: str) -> str | None:
        """Why an emission factor's unit expression ("kgCO2e/kWh") is not understood, or None."""
        return None

    def framework_problem(self, framework_id: str) -> str | None:
        """Why the project cannot report under framework_id here (no such catalogue), or None."""
        return None

    def disclosure_problem(self, framework_id: str, code: str) -> str | None:
        """Why a link to disclosure code of framework_id cannot be made here (an unknown
        framework or code), or None."""
        return None

    def template_problem(self, name: str) -> str | None:
        """Why template name cannot be used here (not installed), or None."""
        return None

    def formula_problem(self, project: Project, kpi: Kpi) -> str | None:
        """Why kpi's formula cannot be set in project: it does not parse, or it closes a cycle
        with the other formulas; or None. kpi may be new or replace the KPI of its id.

        Names the project does not have (yet) and units that do not agree are not refused: KPIs
        are added one by one (a total before its breakdowns), so `check` reports those and a
        recompute skips the formula until they are right."""
        return None

    def is_builtin_factor(self, factor_id: str) -> bool:
        """Whether esg-author's own factor library has a factor of this id."""
        return False

    def formula_names(self, formula: str) -> tuple[frozenset[str], frozenset[str]]:
        """The KPI ids and the emission-factor ids a formula names."""
        return frozenset(), frozenset()

    def rename_in_formula(self, formula: str, kind: str, old: str, new: str) -> str:
        """formula with the KPI (kind "kpi") or factor (kind "factor") id old replaced by new."""
        return formula

    def text_fingerprint(self, title: str, body: str) -> str | None:
        """The fingerprint translations record of their source text (None: unknown here)."""
        return None


BASIC_VOCABULARY = Vocabulary()
_installed: Vocabulary | None = None
_warned = False


def install_vocabulary(vocabulary: Vocabulary) -> None:
    """Make vocabulary the one validation and the commands use when none is passed."""
    global _installed
    _installed = vocabulary


def installed_vocabulary() -> Vocabulary:
    global _warned
    if _installed is not None:
        return _installed
    if not _warned:
        _warned = True
        logger.warning("validating projects without the standard vocabulary: units, formulas and frameworks are "
                       "not checked (import esg_author.core.vocabulary at the entry point)")
    return BASIC_VOCABULARY
