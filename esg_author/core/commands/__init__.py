"""Commands: how a Project is changed, each change undoable.

The editor, the command line and the importers change a project only by running commands on
its UndoStack (stack.execute(command)); reading the project is free. Three commands live in the
layers above because they need them, and follow the same protocol: RecomputeDerived
(core/data/derived.py), MarkTranslated and MarkReviewed (core/i18n/translation_units.py).

The protocol (base.Command):

- apply(project) checks first and raises before changing anything: InvalidValueError(field,
  value, reason) for a value a field cannot hold ("year: '2025年' is not a year (4 digits)"),
  InUseError for a removal other parts depend on, ModelError for an unknown id. The rules are
  those of core/model/validate.py, so a command never leaves a project that no longer opens.
- revert(project) undoes it; apply again (redo) restores exactly the same state.
- changes() -> ChangeSet names what changed (changes.py), for views to refresh only that.
- merge_key() / merge(later, run_seconds) fold runs of typing into one undo step (stack.py).

By area:

  meta        SetReportMeta(field_name, value), SetReportText (company / title / short name per
              language), SetReportYear, SetReportingPeriod, SetCurrency, SetLanguages,
              SetFrameworks, SetTemplate, SetCoverImage (logo, cover image), SetOption
  sections    AddSection, RemoveSection, MoveSection, ChangeSectionId (rewrites [[ref:…]]),
              SetSectionText, SetSectionTitle, SetSectionNumbered, SetTranslation
  kpis        AddKpi, RemoveKpi, MoveKpi, ChangeKpiId (rewrites [[kpi:…]], formulas, table rows,
              breakdowns), SetKpiName, SetKpiBoundary, SetKpiUnit, SetKpiDisplayUnit, SetKpiGroup,
              SetKpiParent, SetKpiDimension, SetKpiPrecision, SetKpiFormula
  values      SetKpiValue (per year and entity), SetKpiNote
  tables      AddKpiTable, RemoveKpiTable, MoveKpiTable, ChangeTableId (rewrites [[table:…]]),
              SetTableRows, SetTableYears, SetTableTitle, SetTableNotes, SetTableOrder,
              SetTableShowChange
  frameworks  SetSectionDisclosures, SetKpiCodes, SetTableCodes, SetDisclosureStatus
  factors     PutEmissionFactor, RemoveEmissionFactor
  assets      PutAsset, RenameAsset (the text and the cover follow), RemoveAsset
  glossary    SetGlossary, PutGlossaryTerm, RemoveGlossaryTerm
  base        CompositeCommand (several commands as one step, all or nothing)
  stack       UndoStack, StackEvent, StackEventKind
"""

from esg_author.core.commands.assets import PutAsset, RemoveAsset, RenameAsset, asset_uses
from esg_author.core.commands.base import Command, CompositeCommand, apply_all
from esg_author.core.commands.changes import ChangeSet, IdChange, TreeMove
from esg_author.core.commands.factors import PutEmissionFactor, RemoveEmissionFactor, factor_users
from esg_author.core.commands.frameworks import SetDisclosureStatus, SetSectionDisclosures
from esg_author.core.commands.glossary import PutGlossaryTerm, RemoveGlossaryTerm, SetGlossary, term_key
from esg_author.core.commands.kpis import (
    AddKpi,
    ChangeKpiId,
    MoveKpi,
    RemoveKpi,
    SetKpiBoundary,
    SetKpiCodes,
    SetKpiDimension,
    SetKpiDisplayUnit,
    SetKpiFormula,
    SetKpiGroup,
    SetKpiName,
    SetKpiParent,
    SetKpiPrecision,
    SetKpiUnit,
    kpi_text_uses,
    kpi_uses,
)
from esg_author.core.commands.meta import (
    SetCoverImage,
    SetCurrency,
    SetFrameworks,
    SetLanguages,
    SetOption,
    SetReportingPeriod,
    SetReportMeta,
    SetReportText,
    SetReportYear,
    SetTemplate,
)
from esg_author.core.commands.sections import (
    AddSection,
    ChangeSectionId,
    MoveSection,
    RemoveSection,
    SetSectionNumbered,
    SetSectionText,
    SetSectionTitle,
    SetTranslation,
)
from esg_author.core.commands.stack import MERGE_PAUSE_SECONDS, StackEvent, StackEventKind, UndoStack
from esg_author.core.commands.tables import (
    AddKpiTable,
    ChangeTableId,
    MoveKpiTable,
    RemoveKpiTable,
    SetTableCodes,
    SetTableNotes,
    SetTableOrder,
    SetTableRows,
    SetTableShowChange,
    SetTableTitle,
    SetTableYears,
)
from esg_author.core.commands.values import SetKpiNote, SetKpiValue

__all__ = [
    "MERGE_PAUSE_SECONDS",
    "AddKpi",
    "AddKpiTable",
    "AddSection",
    "ChangeKpiId",
    "ChangeSectionId",
    "ChangeSet",
    "ChangeTableId",
    "Command",
    "CompositeCommand",
    "IdChange",
    "MoveKpi",
    "MoveKpiTable",
    "MoveSection",
    "PutAsset",
    "PutEmissionFactor",
    "PutGlossaryTerm",
    "RemoveAsset",
    "RemoveEmissionFactor",
    "RemoveGlossaryTerm",
    "RemoveKpi",
    "RemoveKpiTable",
    "RemoveSection",
    "RenameAsset",
    "SetCoverImage",
    "SetCurrency",
    "SetDisclosureStatus",
    "SetFrameworks",
    "SetGlossary",
    "SetKpiBoundary",
    "SetKpiCodes",
    "SetKpiDimension",
    "SetKpiDisplayUnit",
    "SetKpiFormula",
    "SetKpiGroup",
    "SetKpiName",
    "SetKpiNote",
    "SetKpiParent",
    "SetKpiPrecision",
    "SetKpiUnit",
    "SetKpiValue",
    "SetLanguages",
    "SetOption",
    "SetReportMeta",
    "SetReportText",
    "SetReportYear",
    "SetReportingPeriod",
    "SetSectionDisclosures",
    "SetSectionNumbered",
    "SetSectionText",
    "SetSectionTitle",
    "SetTableCodes",
    "SetTableNotes",
    "SetTableOrder",
    "SetTableRows",
    "SetTableShowChange",
    "SetTableTitle",
    "SetTableYears",
    "SetTemplate",
    "SetTranslation",
    "StackEvent",
    "StackEventKind",
    "TreeMove",
    "UndoStack",
    "apply_all",
    "asset_uses",
    "factor_users",
    "kpi_text_uses",
    "kpi_uses",
    "term_key",
]
