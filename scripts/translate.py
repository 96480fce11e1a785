"""Fill the French catalogue from JSON files of translations, then compile it.

    python scripts/translate.py translations.json [more.json …]

Each file maps an English source string (msgid) to its French text; for plural entries the
value is a list [singular, plural]; a string with a context (pgettext) is keyed
"context\u0004msgid". The script runs makemessages (so new source strings
enter the catalogue and dropped ones leave it), writes the given translations, clears fuzzy
marks on them, prints the msgids still untranslated, and compiles the .mo with polib. Run it
under `flock /tmp/dpti-i18n.lock` when several people edit the tree at once.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "dpti" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
IGNORED = (".venv", "tests", "staticfiles", "var", "screenshots", "bench", "scripts")


def main(paths):
    wanted = {}
    for path in paths:
        wanted.update(json.loads(Path(path).read_text(encoding="utf-8")))
    env = {**os.environ, "DPTI_ENV": "local"}
    ignore = [f"--ignore={name}" for name in IGNORED]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location", *ignore],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    catalogue = polib.pofile(str(PO), wrapwidth=100)
    for entry in catalogue:
        # An entry with a context is keyed "context\u0004msgid", as gettext stores it.
        key = f"{entry.msgctxt}\u0004{entry.msgid}" if entry.msgctxt else entry.msgid
        value = wanted.get(key)
        if value is not None:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            else:
                entry.msgstr = value
        if entry.translated() or value is not None:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    catalogue.save(str(PO))
    catalogue.save_as_mofile(str(PO.with_suffix(".mo")))
    missing = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
    for msgid in missing:
        sys.stdout.write(f"untranslated: {msgid!r}\n")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
