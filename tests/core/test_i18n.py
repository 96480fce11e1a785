"""The French catalogue is complete, compiled, and used by the pages."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "dpti" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def entry_key(entry):
    """(msgid, translation) of a catalogue entry, plural forms included."""
    return entry.msgid, entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))


def test_every_french_entry_is_translated_and_none_is_fuzzy():
    """No English source string is left without a French translation."""
    catalogue = polib.pofile(str(PO))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert len(catalogue) > 300


def test_the_committed_mo_matches_the_po():
    """The compiled catalogue used at run time holds exactly the .po translations."""
    source = {entry_key(e) for e in polib.pofile(str(PO)) if not e.obsolete}
    compiled = {entry_key(e) for e in polib.mofile(str(MO))}
    assert source - compiled == set()


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_no_source_string_is_missing_from_the_catalogue(tmp_path):
    """makemessages, run on a copy of the code, finds no string without a French translation."""
    shutil.copytree(ROOT / "dpti", tmp_path / "dpti", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dpti.test_settings", "DPTI_ENV": "test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    catalogue = polib.pofile(str(tmp_path / PO.relative_to(ROOT)))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


@pytest.mark.django_db
def test_pages_speak_french_by_default(client):
    """The login page is in French for a browser that asks for nothing in particular."""
    assert settings.LANGUAGE_CODE == "fr"
    page = client.get(reverse("login")).content.decode()
    assert "Connexion à votre compte" in page
    assert "Sign in to your account" not in page
