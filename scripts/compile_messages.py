"""Compile the translation catalogues (.po → .mo) with polib, without GNU gettext.

The compiled catalogues are committed, so a fresh clone needs nothing; this script is the
fallback of `make run` when a .mo is missing or no longer matches its .po (a catalogue edited
on a machine without gettext). It rewrites a .mo only when its translations differ, so that
running it leaves a clean work tree untouched.

    python scripts/compile_messages.py          # compile what is out of date
    python scripts/compile_messages.py --check  # exit 1 if a .mo is out of date
"""

import argparse
import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "dpti" / "locale"


def translations(catalogue):
    """The entries a compiled catalogue holds, as comparable tuples."""
    return {
        (e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in catalogue
    }


def out_of_date(po_path):
    """Whether the .mo beside this .po is missing or holds other translations."""
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return True
    expected = polib.mofile(polib.pofile(str(po_path)).to_binary())
    return translations(expected) != translations(polib.mofile(str(mo_path)))


def main(argv=None):
    """Compile (or with --check, list) the catalogues whose .mo is out of date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report only, exit 1 if stale")
    parser.add_argument("--locale-dir", type=Path, default=LOCALE_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    catalogues = sorted(args.locale_dir.glob("*/LC_MESSAGES/*.po"))
    stale = [po for po in catalogues if out_of_date(po)]
    for po_path in stale:
        if args.check:
            sys.stdout.write(f"out of date: {po_path.with_suffix('.mo')}\n")
        else:
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
            sys.stdout.write(f"compiled {po_path.with_suffix('.mo')}\n")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
