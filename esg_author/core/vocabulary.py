"""The standard vocabulary: what the names of a project mean, for validation and the commands.

The model (core/model/validate.py) and the commands sit below the packages that know units
(data/units.py, on pint), the formula language (data/formulas.py, data/derived.py), framework
catalogues (frameworks/registry.py), templates (core/paths.py) and translation fingerprints
(i18n/translation_units.py), so they reach that knowledge through the Vocabulary interface they
define. This module implements it over those packages and installs it when it is imported.

Every entry point imports it: the command line (cli/kpi_commands.py, loaded with every CLI
command) and the bundled demo and skeleton (core/bundled.py); a program that opens projects
through core.storage or core.document alone imports it itself, once:

    import esg_author.core.vocabulary  # noqa: F401 (installs the standard vocabulary)

Without it the model's own rules are still checked, and validation logs a warning once.
"""

from __future__ import annotations

from dataclasses import replace

from esg_author.core.model import Kpi, Project
from esg_author.core.model.vocabulary import Vocabulary, install_vocabulary
from esg_author.core.paths import templates_dir

# The packages that know are imported on first use: importing this module must stay cheap,
# since every command-line call imports it (even `esg-author --help`).

TEMPLATE_MANIFEST = "manifest.toml"  # as render/template.py reads a template folder


class StandardVocabulary(Vocabulary):
    complete = True

    def unit_problem(self, unit: str) -> str | None:
        from esg_author.core.data.units import is_known_unit

        if is_known_unit(unit):
            return None
        return "not a unit esg-author knows"

    def display_unit_problem(self, unit: str, display_unit: str) -> str | None:
        from esg_author.core.data.units import are_compatible, describe_dims, dimension, is_known_unit

        if not is_known_unit(display_unit):
            return "not a unit esg-author knows"
        if not is_known_unit(unit) or are_compatible(unit, display_unit):
            return None
        return (f"{display_unit} measures {describe_dims(dimension(display_unit).dims)}, "
                f"but the values are in {unit}, which measures {describe_dims(dimension(unit).dims)}")

    def factor_unit_problem(self, unit: str) -> str | None:
        from esg_author.core.data.units import dimension
        from esg_author.core.errors import UnitError

        try:
            dimension(unit)
        except UnitError as exc:
            return str(exc)
        return None

    def framework_problem(self, framework_id: str) -> str | None:
        from esg_author.core.frameworks.registry import default_registry

        registry = default_registry()
        if framework_id in registry:
            return None
        return f"no framework catalogue with this id is installed (installed: {', '.join(registry.ids())})"

    def disclosure_problem(self, framework_id: str, code: str) -> str | None:
        from esg_author.core.frameworks.registry import UnknownFrameworkError, default_registry

        try:
            framework = default_registry().get(framework_id)
        except UnknownFrameworkError as exc:
            return str(exc)
        return None if code in framework else f"framework {framework_id} has no disclosure {code!r}"

    def template_problem(self, name: str) -> str | None:
        folder = templates_dir()
        if (folder / name / TEMPLATE_MANIFEST).is_file():
            return None
        installed = sorted(path.parent.name for path in folder.glob(f"*/{TEMPLATE_MANIFEST}"))
        return f"no template of this name is installed (installed: {', '.join(installed) or 'none'})"

    def formula_problem(self, project: Project, kpi: Kpi) -> str | None:
        from esg_author.core.data.derived import compile_formulas
        from esg_author.core.data.formulas import parse_formula
        from esg_author.core.errors import FormulaError

        if not kpi.formula.strip():
            return None
        try:
            parse_formula(kpi.formula)
        except FormulaError as exc:
            return exc.reason
        trial = replace(project, kpis={**project.kpis, kpi.id: kpi})  # the project's own dicts stay untouched
        formula_set = compile_formulas(trial, tolerant=True)
        return formula_set.broken[kpi.id].reason if kpi.id in formula_set.in_cycles else None

    def is_builtin_factor(self, factor_id: str) -> bool:
        from esg_author.core.data.emission_factors import builtin_library

        return factor_id in builtin_library().factors

    def formula_names(self, formula: str) -> tuple[frozenset[str], frozenset[str]]:
        from esg_author.core.data.derived import formula_names

        return formula_names(formula)

    def rename_in_formula(self, formula: str, kind: str, old: str, new: str) -> str:
        from esg_author.core.data.derived import rename_in_formula

        return rename_in_formula(formula, kind, old, new)

    def text_fingerprint(self, title: str, body: str) -> str | None:
        from esg_author.core.i18n.translation_units import fingerprint

        return fingerprint(title, body)


STANDARD_VOCABULARY = StandardVocabulary()
install_vocabulary(STANDARD_VOCABULARY)
