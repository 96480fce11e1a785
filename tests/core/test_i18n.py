"""The French catalogue is complete, compiled, found by makemessages, and shown by the pages.

Each check is a small function of a catalogue; the first tests prove on tiny catalogues built in
a temporary folder that the checks catch what they must, the others apply them to DPTI's own.
"""

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dpti.core.registry import registry
from tests.factories import FACTORY_FOR_MODEL, UserFactory

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "dpti" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# Attributes whose text a person reads or hears (tooltips, placeholders, screen readers).
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-bs-title"}


# Checks ------------------------------------------------------------------------------------


def catalogue_problems(catalogue):
    """The msgids left untranslated and those marked fuzzy (obsolete entries aside)."""
    return {
        "untranslated": [e.msgid for e in catalogue.untranslated_entries()],
        "fuzzy": [e.msgid for e in catalogue.fuzzy_entries()],
    }


def entry_key(entry):
    """What identifies a translation at run time: context, msgid(s) and msgstr(s)."""
    plurals = tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items()))
    return entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, plurals


def mo_differences(catalogue, mo_bytes):
    """Entries a compilation of the .po would hold that the .mo lacks, and the reverse."""
    expected = {entry_key(e) for e in polib.mofile(catalogue.to_binary())}
    compiled = {entry_key(e) for e in polib.mofile(mo_bytes)}
    return {
        "missing": sorted(map(str, expected - compiled)),
        "extra": sorted(map(str, compiled - expected)),
    }


class _ReadText(HTMLParser):
    """Collects what a reader sees: text outside scripts and styles, and read attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        self.texts.extend(value for name, value in attrs if name in READ_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.texts.append(data)


def normalise(text):
    """Whitespace collapsed and case folded, as a reader compares texts."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def english_candidates(catalogue):
    """English source strings a French page must not show.

    Strings with placeholders or plurals cannot be matched literally; strings spelled the same
    in both languages ("Code", "Date") and those equal to another entry's French text are not
    evidence of a missing translation.
    """
    french = {normalise(e.msgstr) for e in catalogue.translated_entries()}
    candidates = set()
    for entry in catalogue.translated_entries():
        msgid = normalise(entry.msgid)
        if entry.msgid_plural or re.search(r"%|\{", entry.msgid) or msgid in french:
            continue
        if any(ch.isalpha() for ch in msgid):
            candidates.add(msgid)
    return candidates


def english_left(html, candidates):
    """The English source strings of the catalogue that a page shows to its reader.

    A text equal to a source string counts; a source string of three words or more also counts
    when it appears inside a longer text.
    """
    parser = _ReadText()
    parser.feed(html)
    texts = {normalise(text) for text in parser.texts} - {""}
    long_ones = [c for c in candidates if c.count(" ") >= 2]
    found = texts & candidates
    found.update(c for c in long_ones for text in texts if c in text)
    return sorted(found)


def makemessages_catalogue(workdir):
    """Run makemessages on a copy of the code in workdir (the real catalogue untouched)."""
    shutil.copytree(ROOT / "dpti", workdir / "dpti", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", workdir / "manage.py")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dpti.test_settings", "DPTI_ENV": "test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return polib.pofile(str(workdir / "dpti" / "locale" / "fr" / "LC_MESSAGES" / "django.po"))


# The checks catch what they must (tiny catalogues) -------------------------------------------


def tiny_catalogue():
    """Three entries: one translated, one untranslated, one fuzzy."""
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    catalogue.append(
        polib.POEntry(msgid="Sign in to your account", msgstr="Connexion à votre compte")
    )
    catalogue.append(polib.POEntry(msgid="Password", msgstr=""))
    catalogue.append(polib.POEntry(msgid="Username", msgstr="Identifiant", flags=["fuzzy"]))
    return catalogue


def test_checks_report_untranslated_and_fuzzy_entries_of_a_tiny_catalogue(tmp_path):
    """The completeness check names the untranslated and the fuzzy entries, and only them."""
    path = tmp_path / "django.po"
    tiny_catalogue().save(str(path))
    assert catalogue_problems(polib.pofile(str(path))) == {
        "untranslated": ["Password"],
        "fuzzy": ["Username"],
    }


def test_checks_report_a_stale_mo_of_a_tiny_catalogue(tmp_path):
    """A .mo compiled before a translation changed is reported; a fresh one is not."""
    catalogue = tiny_catalogue()
    catalogue.save_as_mofile(str(tmp_path / "fresh.mo"))
    assert mo_differences(catalogue, (tmp_path / "fresh.mo").read_bytes()) == {
        "missing": [],
        "extra": [],
    }
    catalogue[0].msgstr = "Connectez-vous"
    differences = mo_differences(catalogue, (tmp_path / "fresh.mo").read_bytes())
    assert "Connectez-vous" in differences["missing"][0]
    assert "Connexion à votre compte" in differences["extra"][0]


def test_checks_find_english_left_on_a_page_of_a_tiny_catalogue():
    """English texts and tooltips are found; French texts, scripts and shared words are not."""
    catalogue = tiny_catalogue()
    catalogue.append(polib.POEntry(msgid="Code", msgstr="Code"))
    catalogue.append(polib.POEntry(msgid="Search", msgstr="Rechercher"))
    candidates = english_candidates(catalogue)
    page = (
        "<h2>Connexion à votre compte</h2><th>Code</th>"
        "<script>var t = 'Search';</script><button title='Search'>Go</button>"
        "<p>Please  sign in to your account first</p>"
    )
    assert english_left(page, candidates) == ["search", "sign in to your account"]
    assert english_left("<h2>Connexion à votre compte</h2><p>Rechercher</p>", candidates) == []


# DPTI's own catalogue ------------------------------------------------------------------------


def test_every_french_entry_is_translated_and_none_is_fuzzy():
    """No English source string is left without a French translation, none is fuzzy."""
    catalogue = polib.pofile(str(PO))
    assert catalogue_problems(catalogue) == {"untranslated": [], "fuzzy": []}
    assert len(catalogue.translated_entries()) > 300


def test_the_committed_mo_matches_the_po():
    """The compiled catalogue read at run time holds exactly the .po translations."""
    assert mo_differences(polib.pofile(str(PO)), MO.read_bytes()) == {"missing": [], "extra": []}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_makemessages_finds_no_source_string_missing_from_the_catalogue(tmp_path):
    """makemessages, run on a copy of the code, finds no string without a French translation."""
    catalogue = makemessages_catalogue(tmp_path)
    assert catalogue_problems(catalogue) == {"untranslated": [], "fuzzy": []}


def sample_pages(client):
    """(name, html) of a sample of pages: every registered type's list, detail and forms."""
    yield "home", client.get(reverse("home"))
    yield "search", client.get(reverse("search"), {"q": "Service"})
    yield "deadlines", client.get(reverse("deadlines"))
    yield "roles", client.get(reverse("roles"))
    yield "password change", client.get(reverse("password_change"))
    for object_type in registry:
        yield f"{object_type.label} list", client.get(reverse(object_type.url_name("list")))
        factory = FACTORY_FOR_MODEL.get(object_type.model)
        if factory is None:
            continue
        obj = factory()
        yield (
            f"{object_type.label} detail",
            client.get(reverse(object_type.url_name("detail"), args=[obj.pk])),
        )
        if not object_type.read_only:
            yield f"{object_type.label} add", client.get(reverse(object_type.url_name("add")))
            yield (
                f"{object_type.label} edit",
                client.get(reverse(object_type.url_name("edit"), args=[obj.pk])),
            )


@pytest.mark.django_db
def test_pages_show_french_and_no_english_source_string(settings):
    """Login, home, search, deadlines and every type's screens show no untranslated string."""
    settings.LANGUAGE_CODE = "fr"
    candidates = english_candidates(polib.pofile(str(PO)))
    anonymous = Client()
    login = anonymous.get(reverse("login"))
    failed_login = anonymous.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    with translation.override("fr"):
        expected = [translation.gettext(s) for s in ("Sign in to your account", "Sign in")]
        wrong = translation.gettext(
            "Wrong username or password. Note that both fields are case-sensitive."
        )
    assert login.status_code == 200
    assert all(text in login.content.decode() for text in expected)
    assert wrong in failed_login.content.decode()
    client = Client()
    client.force_login(UserFactory(roles=["administrator"]))
    pages = [("login", login), ("failed login", failed_login), *sample_pages(client)]
    english = {}
    for name, response in pages:
        assert response.status_code == 200, name
        left = english_left(response.content.decode(), candidates)
        if left:
            english[name] = left
    assert english == {}
    assert len(pages) > 10


def run_compile_messages(*args):
    """Run scripts/compile_messages.py in a fresh process; (exit code, output)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "compile_messages.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout + result.stderr


def test_compile_messages_rewrites_only_a_stale_mo(tmp_path):
    """Without gettext, the polib fallback compiles a missing or stale .mo and nothing else."""
    messages = tmp_path / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    catalogue = tiny_catalogue()
    catalogue.save(str(messages / "django.po"))
    mo = messages / "django.mo"
    assert run_compile_messages("--check", "--locale-dir", str(tmp_path))[0] == 1
    assert run_compile_messages("--locale-dir", str(tmp_path))[0] == 0
    assert (
        polib.mofile(str(mo)).find("Sign in to your account").msgstr == "Connexion à votre compte"
    )
    assert run_compile_messages("--check", "--locale-dir", str(tmp_path)) == (0, "")
    stamp = mo.stat().st_mtime_ns
    assert run_compile_messages("--locale-dir", str(tmp_path)) == (0, "")
    assert mo.stat().st_mtime_ns == stamp
    catalogue[0].msgstr = "Connectez-vous"
    catalogue.save(str(messages / "django.po"))
    assert run_compile_messages("--locale-dir", str(tmp_path))[0] == 0
    assert polib.mofile(str(mo)).find("Sign in to your account").msgstr == "Connectez-vous"


def test_the_committed_catalogue_needs_no_compilation():
    """`make run` on a fresh clone finds every .mo up to date (no gettext needed)."""
    assert run_compile_messages("--check") == (0, "")
