#!/usr/bin/env bash
# Re-extracts every translatable string (esg_author/**.py: _() and N_(); templates/**.j2: _())
# into locales/esg_author.pot and merges it into the three .po files (docs/translating.md).
# English is the source language, so new English entries get msgstr = msgid; new zh_Hant and
# zh_Hans entries are left empty for a translator, and tests/i18n/test_catalogs.py fails until
# they are filled. Nothing is compiled: esg-author compiles the .po files when it loads them.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=.venv/bin/pybabel

# The same options as tests/i18n/test_catalogs.py (which checks that the .pot is up to date).
"$PYBABEL" --quiet extract -F babel.cfg -k _ -k N_ --no-location --sort-output \
    --project esg-author -o locales/esg_author.pot .
# No fuzzy matching: a guessed translation is worse than an empty one (the test finds empties).
# Obsolete entries are dropped, not kept as #~ comments.
"$PYBABEL" --quiet update -i locales/esg_author.pot -d locales -D esg_author \
    --no-fuzzy-matching --ignore-obsolete

.venv/bin/python - <<'PY'
from io import BytesIO
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from esg_author.core.storage.atomic import atomic_write_bytes

english = Path("locales/en/LC_MESSAGES/esg_author.po")
with english.open("rb") as handle:
    catalog = read_po(handle, locale="en")
filled = 0
for message in catalog:
    if message.id and not message.string:
        message.string = message.id
        filled += 1
buffer = BytesIO()
write_po(buffer, catalog, ignore_obsolete=True)
atomic_write_bytes(english, buffer.getvalue())

for folder in ("zh_Hant", "zh_Hans"):
    with Path(f"locales/{folder}/LC_MESSAGES/esg_author.po").open("rb") as handle:
        po = read_po(handle, locale=folder)
    empty = [m.id for m in po if m.id and not m.string]
    print(f"{folder}: {len(empty)} entries to translate")
    for msgid in empty:
        print(f"    {msgid!r}")
print(f"en: {filled} new entries filled with their msgid")
PY
