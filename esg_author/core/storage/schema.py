"""The .esgproj format: an SQLite database used as an application file format.

Format history (PRAGMA user_version):
  1 — first format: meta, sections, section_texts, kpis, kpi_values, kpi_value_history,
      kpi_tables, disclosure_status, assets. Localized texts and lists are JSON; decimals are
      stored as text so no value is ever rounded through a float.
  2 — section_texts.state (review workflow); kpis.display_unit and kpis.formula (derived KPIs);
      kpi_values and kpi_value_history gain `entity` (values per subsidiary or site);
      new tables emission_factors and glossary.
  3 — meta key `uuid`: the project's identity (a canonical UUID), which matches autosaved
      recovery copies to their project; a file migrated from an older format gets a fresh one.
Every change to this schema bumps FORMAT_VERSION, adds a migration in migrations.py and a
fixture file tests/fixtures/project-v<N>.esgproj of the old version.
"""

from __future__ import annotations

APPLICATION_ID = 0x45534741  # "ESGA": marks the database as an esg-author project
FORMAT_VERSION = 3
SQLITE_HEADER = b"SQLite format 3\x00"

SCHEMA = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                       -- JSON
);
CREATE TABLE sections (
    id          TEXT PRIMARY KEY,
    parent_id   TEXT REFERENCES sections(id),
    position    INTEGER NOT NULL,             -- reading order of the whole tree
    numbered    INTEGER NOT NULL DEFAULT 1,
    disclosures TEXT NOT NULL DEFAULT '[]'    -- JSON list of "framework:code"
);
CREATE TABLE section_texts (
    section_id         TEXT NOT NULL REFERENCES sections(id),
    lang               TEXT NOT NULL,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    source_lang        TEXT,
    source_fingerprint TEXT,
    state              TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (section_id, lang)
);
CREATE TABLE kpis (
    id        TEXT PRIMARY KEY,
    position  INTEGER NOT NULL,
    grp       TEXT NOT NULL,
    parent_id TEXT,
    dimension TEXT NOT NULL,
    unit      TEXT NOT NULL,
    precision INTEGER NOT NULL,
    codes     TEXT NOT NULL,                  -- JSON list
    name      TEXT NOT NULL,                  -- JSON {lang: text}
    boundary  TEXT NOT NULL,                  -- JSON {lang: text}
    display_unit TEXT NOT NULL DEFAULT '',
    formula   TEXT NOT NULL DEFAULT ''
);
CREATE TABLE kpi_values (
    kpi_id     TEXT NOT NULL REFERENCES kpis(id),
    entity     TEXT NOT NULL DEFAULT '',      -- '' = the group value
    year       INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    number     TEXT,                          -- decimal as text
    maximum    TEXT,
    reason     TEXT NOT NULL,                 -- JSON {lang: text}
    note       TEXT NOT NULL,                 -- JSON {lang: text}
    provenance TEXT NOT NULL,                 -- JSON {source, detail, at}
    PRIMARY KEY (kpi_id, entity, year)
);
CREATE TABLE kpi_value_history (
    seq    INTEGER PRIMARY KEY,
    kpi_id TEXT NOT NULL,
    year   INTEGER NOT NULL,
    old    TEXT,                              -- JSON value or NULL
    new    TEXT,
    at     TEXT NOT NULL,
    entity TEXT NOT NULL DEFAULT ''
);
CREATE TABLE kpi_tables (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    spec     TEXT NOT NULL                    -- JSON
);
CREATE TABLE disclosure_status (
    framework       TEXT NOT NULL,
    code            TEXT NOT NULL,
    status          TEXT NOT NULL,
    explanation     TEXT NOT NULL,            -- JSON {lang: text}
    omission_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (framework, code)
);
CREATE TABLE emission_factors (
    id   TEXT PRIMARY KEY,
    spec TEXT NOT NULL                        -- JSON {value, unit, source, year, region, activity}
);
CREATE TABLE glossary (
    position INTEGER PRIMARY KEY,
    spec     TEXT NOT NULL                    -- JSON {forms, protected, note}
);
CREATE TABLE assets (
    name       TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    data       BLOB NOT NULL
);
"""
