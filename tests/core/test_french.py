"""The French the application writes: agreements, plurals, acronyms, quotation marks, spacing.

Each check is a function of a catalogue entry's French text; the first tests prove on a tiny
catalogue that each check catches its pattern and leaves correct French alone, the others
apply them to DPTI's catalogue and to what the code writes around it (menus, selects).
"""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from dpti.core.forms import BulkEditForm
from dpti.core.registry import registry
from dpti.itpark.models import Interface
from tests.factories import UserFactory

PO = Path(__file__).resolve().parents[2] / "dpti" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
NBSP, NNBSP = "\u00a0", "\u202f"
SPACES = NBSP + NNBSP

# What the French rules do not apply to: inline code, HTML tags, addresses and placeholders.
NOT_FRENCH = re.compile(r"`[^`]*`|<[^>]*>|https?://\S+|%\(\w+\)[sdfr]|%[sd]|\{\w*(:[^}]*)?\}")
# Feminine nouns of the application that « Aucun » must not precede.
FEMININE = [
    "action",
    "adresse",
    "affectation",
    "application",
    "attribution",
    "autorisation",
    "campagne",
    "catégorie",
    "colonne",
    "commande",
    "date",
    "décision",
    "demande",
    "donnée",
    "échéance",
    "entrée",
    "entreprise",
    "équipe",
    "erreur",
    "facture",
    "interface",
    "licence",
    "ligne",
    "modification",
    "opération",
    "personne",
    "pièce",
    "photo",
    "procédure",
    "réforme",
    "règle",
    "réglementation",
    "saisie",
    "sélection",
    "suspension",
    "unité",
    "valeur",
    "version",
]
# Counters of an entry without plural forms: French writes « 0 bien », « 1 bien », « 2 biens »,
# so a counter followed by a plural noun is wrong for 0 and 1 and needs ngettext.
COUNTERS = r"%\((?:count|counter|counted|total|done|created|updated|unchanged|n)\)[sd]"
# Entries whose counter is never 0 or 1: an estimate is only shown above 100,000 rows.
COUNTED_ABOVE_ONE = {"about %(counter)s records"}
ACRONYMS = r"tgc|tva|vlans?|vrfs?|ip|ridet|xpf|erp|dns|dhcp|mac|sim|iccid|pdf|csv|xlsx|api"


def french_text(text):
    """The text a reader reads as French: code, tags, addresses and placeholders removed."""
    return NOT_FRENCH.sub(" ", text)


def problems_of(text, plural=False, msgid=""):
    """The names of the rules a French text breaks."""
    found = []
    prose = french_text(text)
    if re.search(r"\w\((?:e|es|s|x|le|ne|nes)\)", prose):
        found.append("(e) form")
    if re.search(r"\bNone\b", prose):
        found.append("None")
    if "-----" in prose:
        found.append("dashes placeholder")
    if '"' in prose or re.search(r"(?:^|[\s(])'[^'\s][^']*'(?=[\s.,;:!?)]|$)", prose):
        found.append("straight quotes")
    # File extensions (.pdf) and paths (/api/) are not acronyms.
    if re.search(rf"(?<![./\w-])(?:{ACRONYMS})\b", prose) or re.search(
        r"\b(?:Tgc|Tva|Vlans?|Vrfs?|Ip|Ridet|Xpf|Erp|Dns|Dhcp)\b", prose
    ):
        found.append("lower-case acronym")
    if re.search(rf"\b[Aa]ucun\s+(?:{'|'.join(FEMININE)})s?\b", prose):
        found.append("Aucun before a feminine noun")
    if (
        not plural
        and msgid not in COUNTED_ABOVE_ONE
        and re.search(COUNTERS + r"\s+[a-zà-ÿ]+[sx]\b", text)
    ):
        found.append("counter with a plural noun")
    if re.search(rf"(?<![{SPACES}])[;!?](?=\s|$)|(?<![{SPACES}]):(?=\s|$)", prose):
        found.append("no non-breaking space before ; : ! ?")
    if re.search(rf"«(?![{SPACES}])|(?<![{SPACES}])»", prose):
        found.append("no non-breaking space inside « »")
    return found


def catalogue_french_problems(catalogue):
    """{msgid: [rule, …]} of the translated entries whose French breaks a rule."""
    problems = {}
    for entry in catalogue.translated_entries():
        texts = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        found = sorted(
            {p for text in texts for p in problems_of(text, bool(entry.msgid_plural), entry.msgid)}
        )
        if found:
            problems[entry.msgid] = found
    return problems


# The checks catch what they must (a tiny catalogue) -----------------------------------------


def entry(msgid, msgstr, plural=None):
    if plural:
        return polib.POEntry(msgid=msgid, msgid_plural=msgid + "s", msgstr_plural=plural)
    return polib.POEntry(msgid=msgid, msgstr=msgstr)


def test_checks_catch_each_pattern_on_a_tiny_catalogue():
    """Each rule flags its pattern; correct French, code and placeholders pass."""
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    bad = {
        "Saved": (f"Lot enregistré(e){NNBSP}!", ["(e) form"]),
        "Nothing": ("None", ["None"]),
        "Empty choice": ("---------", ["dashes placeholder"]),
        "Quoted": ('Le champ "nom" est vide.', ["straight quotes"]),
        "Single quoted": ("Cochez 'public' ici.", ["straight quotes"]),
        "Rate": ("Taux de tgc", ["lower-case acronym"]),
        "Capitalised": ("Adresses Ip", ["lower-case acronym"]),
        "No invoice": ("Aucun facture.", ["Aucun before a feminine noun"]),
        "Counted": ("%(count)s biens comptés.", ["counter with a plural noun"]),
        "Colon": ("Motif : %(reason)s", ["no non-breaking space before ; : ! ?"]),
        "Glued": ("Motif: %(reason)s", ["no non-breaking space before ; : ! ?"]),
        "Guillemets": ("Le lot « %(lot)s »", ["no non-breaking space inside « »"]),
    }
    good = {
        "Fine": f"Aucune facture{NNBSP}; le lot «{NBSP}%(lot)s{NBSP}» est enregistré.",
        "Code": 'Envoyez l\'en-tête `Authorization: Token <clé>` et <a href="/x/">lisez</a>.',
        "Acronyms": "Taux de TGC, adresses IP, VLAN, VRF et numéro RIDET en XPF (.xlsx, /api/).",
        "Apostrophes": "L'état de l'actif d'aujourd'hui.",
        "Time": "À 11:46, l'adresse 2001:db8::1.",
    }
    for msgid, (msgstr, _rules) in bad.items():
        catalogue.append(entry(msgid, msgstr))
    for msgid, msgstr in good.items():
        catalogue.append(entry(msgid, msgstr))
    catalogue.append(entry("%(count)s item", "", {0: "%(count)s bien", 1: "%(count)s biens"}))
    catalogue.append(entry("about %(counter)s records", "environ %(counter)s enregistrements"))
    assert catalogue_french_problems(catalogue) == {
        msgid: rules for msgid, (_msgstr, rules) in bad.items()
    }


# DPTI's catalogue -----------------------------------------------------------------------------


def test_the_french_catalogue_follows_the_rules():
    """No entry of the catalogue breaks an agreement, a plural, an acronym or the typography."""
    catalogue = polib.pofile(str(PO))
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert catalogue_french_problems(catalogue) == {}
    assert len(catalogue.translated_entries()) > 1000


# What the code writes around the catalogue ----------------------------------------------------


@pytest.mark.django_db
def test_menu_labels_keep_their_acronyms(client_for, settings):
    """The menu capitalises a type's name without lowering the rest: « Taux de TGC »,
    « Adresses IP », « Préfixes IP », « Contextes de routage (VRF) »."""
    settings.LANGUAGE_CODE = "fr"
    client = client_for("administrator")
    with translation.override("fr"):
        html = client.get(reverse("home")).content.decode()
    for label in ("Taux de TGC", "Adresses IP", "Préfixes IP", "Contextes de routage (VRF)"):
        assert f">{label}<" in re.sub(r">\s+|\s+<", lambda m: m.group(0).strip(), html), label
    assert not re.search(r"\b(tgc|Tgc|Ip|Vrf|vrf)\b", french_text(html))


@pytest.mark.django_db
def test_selects_offer_a_french_empty_choice_not_dashes():
    """Every type's form and bulk edit offer « — Choisir — » or « Inchangé » as the empty
    choice of a select, never Django's « --------- »."""
    user = UserFactory(roles=["administrator"])
    with translation.override("fr"):
        choose, unchanged = translation.gettext("— Choose —"), translation.gettext("Unchanged")
        offered = set()
        for object_type in registry:
            if object_type.read_only:
                continue
            html = str(object_type.form(user=user))
            assert "---------" not in html, object_type.label
            offered.update(label for label in (choose, unchanged) if f">{label}<" in html)
            if object_type.bulk_edit_fields:
                bulk = str(BulkEditForm(object_type, user=user))
                assert "---------" not in bulk, object_type.label
                offered.update(label for label in (choose, unchanged) if f">{label}<" in bulk)
    assert offered == {choose, unchanged}
    assert choose == "— Choisir —"


@pytest.mark.django_db
def test_history_writes_an_empty_former_value_as_a_dash(client_for, settings):
    """The audit log records an empty relation as the text "None": the history shows « — »."""
    from tests.factories import InterfaceFactory, VlanFactory

    settings.LANGUAGE_CODE = "fr"
    interface = InterfaceFactory(vlan=None)
    interface.vlan = VlanFactory(name="Téléphonie")
    interface.save()
    client = client_for("administrator")
    with translation.override("fr"):
        html = client.get(reverse("itpark:interface_detail", args=[interface.pk])).content.decode()
    history = html.split('data-testid="history"', 1)[1].split("</ul>", 1)[0]
    row = re.search(r"<tr><td>VLAN</td>(.*?)</tr>", history).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row) == ["—", str(interface.vlan)]
    assert "None" not in history
    assert Interface.objects.get(pk=interface.pk).vlan.name == "Téléphonie"
