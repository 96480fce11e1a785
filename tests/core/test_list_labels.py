"""The first column of every list names its row in French, distinctly from the other rows;
every header starts with a capital.

The first column links to the row's page: a reader picks a row by it, so « None », an empty
cell or two different rows written alike leave him guessing. The check parses the rendered
list, as an administrator reads it in French, for every registered type.
"""

import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from tests.factories import FACTORY_FOR_MODEL
from tests.registry_support import OBJECT_TYPES, make_objects

pytestmark = pytest.mark.django_db

# What a cell must never read as a row's name: Python's None and its French translation,
# Django's empty choice, and the "nothing" dash of dpti.core.display.
MEANINGLESS = {"none", "aucun", "aucune", "---------", "—", "-", "", "object", "objet"}


class FirstCells(HTMLParser):
    """The text of the first data cell of each body row and the link it holds.

    The selection checkbox, when the list has one, is not a data cell.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells = []  # [(text, href)]
        self._in_body = self._in_cell = False
        self._done = True  # the first data cell of the current row is read
        self._text, self._href, self._checkbox = [], None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self._done = False
        elif self._in_body and tag == "td" and not self._done:
            self._in_cell, self._text, self._href, self._checkbox = True, [], None, False
        elif self._in_cell and tag == "input" and attrs.get("type") == "checkbox":
            self._checkbox = True
        elif self._in_cell and tag == "a" and self._href is None:
            self._href = attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._in_cell:
            self._in_cell = False
            if not self._checkbox:
                self.cells.append((re.sub(r"\s+", " ", "".join(self._text)).strip(), self._href))
                self._done = True

    def handle_data(self, data):
        if self._in_cell:
            self._text.append(data)


class HeaderTexts(HTMLParser):
    """The texts of the table's header cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "th":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "th" and self._cell is not None:
            self.texts.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def lower_case_headers(html):
    """The column headers of a list that do not start with a capital letter."""
    parser = HeaderTexts()
    parser.feed(html)
    return [text for text in parser.texts if text and text[0].islower()]


def first_cells(html):
    """[(text, href)] of the first data cell of every row of a list page."""
    parser = FirstCells()
    parser.feed(html)
    return parser.cells


def label_problems(cells):
    """What is wrong with the first cells of a list: meaningless names, and names shared by
    rows that link to different pages."""
    problems = []
    by_text = {}
    for text, href in cells:
        if text.casefold() in MEANINGLESS or "None" in text.split():
            problems.append(f"meaningless name {text!r}")
        by_text.setdefault(text, set()).add(href)
    problems.extend(
        f"{len(links)} rows named {text!r}" for text, links in by_text.items() if len(links) > 1
    )
    return problems


def test_the_check_catches_none_empty_and_look_alike_names():
    """The parser skips the checkbox; the check flags « None », an empty cell, a dash and two
    different rows of the same name, and accepts distinct names."""
    page = (
        "<table><thead><tr><th>Nom</th></tr></thead><tbody>"
        '<tr><td><input type="checkbox"></td><td><a href="/x/1/">None</a></td><td>a</td></tr>'
        '<tr><td><input type="checkbox"></td><td><a href="/x/2/"> </a></td></tr>'
        '<tr><td><a href="/x/3/">—</a></td></tr>'
        '<tr><td><a href="/x/4/">Niveau 0</a></td></tr>'
        '<tr><td><a href="/x/5/">Niveau 0</a></td></tr>'
        '<tr><td><a href="/x/6/">Lot 1 — Climatisation (2024-M-003)</a></td></tr>'
        "</tbody></table>"
    )
    cells = first_cells(page)
    assert cells[0] == ("None", "/x/1/")
    assert label_problems(cells) == [
        "meaningless name 'None'",
        "meaningless name ''",
        "meaningless name '—'",
        "2 rows named 'Niveau 0'",
    ]
    assert label_problems([("Lot 1 — Climatisation (2024-M-003)", "/x/6/")]) == []


TYPES_WITH_FACTORY = [
    pytest.param(ot, id=ot.label) for ot in OBJECT_TYPES if ot.model in FACTORY_FOR_MODEL
]


@pytest.mark.parametrize("object_type", TYPES_WITH_FACTORY)
def test_the_first_column_of_every_list_names_each_row(object_type, client_for, settings):
    """Rows made by the type's factory are each named, in French and distinctly, by the first
    column of the list an administrator sees, which links to their page."""
    settings.LANGUAGE_CODE = "fr"
    with transaction.atomic():
        made = make_objects(object_type, 3)
    client = client_for("administrator")
    with translation.override("fr"):
        response = client.get(reverse(object_type.url_name("list")), {"per_page": 100})
    assert response.status_code == 200
    cells = first_cells(response.content.decode())
    stored = object_type.model._default_manager.filter(pk__in=[obj.pk for obj in made])
    assert stored.count() == len(made)
    assert len(cells) >= len(made)
    assert label_problems(cells) == []
    detail_urls = {reverse(object_type.url_name("detail"), args=[obj.pk]) for obj in made}
    assert detail_urls <= {href for _text, href in cells}
    assert lower_case_headers(response.content.decode()) == []


def test_the_header_check_finds_lower_case_headers():
    """A header written from a lower-case verbose name is found; capitals and acronyms pass."""
    page = "<table><thead><tr><th>montant HT</th><th><a href='?sort=x'>Taux de TGC</a></th>"
    assert lower_case_headers(page + "<th></th></tr></thead></table>") == ["montant HT"]
