"""Dates are typed and shown dd/mm/yyyy whatever the browser's (or the user's) language: text
boxes with a French calendar, in every generated form and filter and in the custom forms."""

import re
from datetime import date, datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.fields import AmountField, AmountFormField, DateFormField, DateTimeFormField
from dpti.core.forms import BulkEditForm
from dpti.core.models import User
from dpti.core.registry import registry
from dpti.itpark.models import TelecomLine
from tests.factories import TelecomLineFactory

pytestmark = pytest.mark.django_db


def fr(message):
    with translation.override("fr"):
        return gettext(message)


def input_tag(page, name):
    """The <input> tag of a field in a page."""
    start = page.index(f'name="{name}"')
    return page[page.rindex("<input", 0, start) : page.index(">", start)]


@pytest.fixture
def admin(client_for):
    return client_for(roles.ADMINISTRATOR)


def line_form(**values):
    return {"kind": "mobile", "identifier": "78 12 34", "status": "active", "monthly_cost": "0"}


@pytest.mark.parametrize("language", ["", "en"])
def test_a_date_typed_day_first_is_saved_as_that_day(admin, language):
    """« 05/03/2026 » is the 5th of March, for a French user and for one who chose English."""
    User.objects.filter(pk=admin.user.pk).update(language=language)
    data = {**line_form(), "start_date": "05/03/2026"}
    response = admin.post(reverse("itpark:telecomline_add"), data, HTTP_ACCEPT_LANGUAGE="en-US")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert TelecomLine.objects.get().start_date == date(2026, 3, 5)


def test_the_form_shows_the_date_day_first_in_a_text_box(admin):
    """The edit form shows « 05/03/2026 » in a text box with the jj/mm/aaaa hint and the
    calendar's marker, not a native date input (which follows the browser's language)."""
    line = TelecomLineFactory(start_date=date(2026, 3, 5))
    page = admin.get(
        reverse("itpark:telecomline_edit", args=[line.pk]), HTTP_ACCEPT_LANGUAGE="en-US"
    ).content.decode()
    tag = input_tag(page, "start_date")
    assert 'value="05/03/2026"' in tag
    assert 'type="text"' in tag
    assert 'placeholder="jj/mm/aaaa"' in tag
    assert 'data-datepicker="date"' in tag
    assert 'type="date"' not in page
    assert "datetime-local" not in page


def test_a_wrong_date_is_refused_in_french_and_nothing_saved(admin):
    """An impossible date (31/02) is refused with a French message giving the format."""
    data = {**line_form(), "start_date": "31/02/2026"}
    response = admin.post(reverse("itpark:telecomline_add"), data)
    assert response.status_code == 422
    assert escape(fr("Enter a date as dd/mm/yyyy, for example 05/03/2026.")) in (
        response.content.decode()
    )
    assert not TelecomLine.objects.exists()


def test_list_date_filters_take_and_show_day_first_dates(admin):
    """A list's date filter is a dd/mm/yyyy text box: « 05/03/2026 » keeps the lines
    committed until that day or later, and is shown back as typed."""
    TelecomLineFactory(identifier="LIGNE-TOT", end_date=date(2026, 3, 4))
    TelecomLineFactory(identifier="LIGNE-TARD", end_date=date(2026, 3, 5))
    response = admin.get(reverse("itpark:telecomline_list"), {"end_date__gte": "05/03/2026"})
    page = response.content.decode()
    tag = input_tag(page, "end_date__gte")
    assert 'value="05/03/2026"' in tag
    assert 'type="text"' in tag
    assert 'placeholder="jj/mm/aaaa"' in tag
    assert "LIGNE-TARD" in page
    assert "LIGNE-TOT" not in page


def test_a_wrong_date_in_a_list_filter_is_explained_in_french(admin):
    """A list filter's impossible date is shown back with the French message."""
    response = admin.get(reverse("itpark:telecomline_list"), {"end_date__gte": "31/02/2026"})
    assert escape(fr("Enter a date as dd/mm/yyyy, for example 05/03/2026.")) in (
        response.content.decode()
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_date_and_time_fields_read_day_first_in_both_languages(language):
    """05/03/2026 14:30 (or 14h30) is the 5th of March at 14:30, whatever the language; a
    date is shown back day first."""
    with translation.override(language):
        field = DateTimeFormField()
        assert field.clean("05/03/2026 14:30").replace(tzinfo=None) == datetime(2026, 3, 5, 14, 30)
        assert field.clean("05/03/2026 14h30").replace(tzinfo=None) == datetime(2026, 3, 5, 14, 30)
        assert DateFormField().clean("05/03/2026") == date(2026, 3, 5)
        html = field.widget.render("at", datetime(2026, 3, 5, 14, 30))
        assert 'value="05/03/2026 14:30"' in html


def test_every_generated_form_and_filter_types_dates_and_amounts_as_text():
    """Every registered type's form, bulk edit form and list filters give their dates the
    day-first text box with the calendar, and their amounts the grouped text box: no native
    date or number input is left to follow the browser's language."""
    checked = {"date": 0, "amount": 0}
    for object_type in registry:
        forms_of_type = [
            object_type.form(),
            *([BulkEditForm(object_type)] if object_type.bulk_edit_fields else []),
        ]
        fields = [f for form in forms_of_type for f in form.fields.values()]
        fields += [f.field for f in object_type.filterset().filters.values()]
        for field in fields:
            if isinstance(field, forms.DateField | forms.DateTimeField):
                assert field.widget.input_type == "text", object_type.label
                assert "data-datepicker" in field.widget.attrs, object_type.label
                checked["date"] += 1
            if isinstance(field, forms.IntegerField) and "data-amount" in field.widget.attrs:
                assert isinstance(field, AmountFormField)
                checked["amount"] += 1
    for object_type in registry:
        for model_field in object_type.model._meta.fields:
            if (
                isinstance(model_field, AmountField)
                and model_field.name in object_type.get_form_fields()
            ):
                assert isinstance(object_type.form().fields[model_field.name], AmountFormField)
    assert checked["date"] > 50
    assert checked["amount"] > 10


def test_the_procedure_check_page_types_the_date_day_first(client_for):
    """The procedure check (a custom form) has the same dd/mm/yyyy date box and amount box."""
    buyer = client_for(roles.PROCUREMENT_MANAGER)
    page = buyer.get(reverse("procurement:procedure_check")).content.decode()
    assert 'data-datepicker="date"' in input_tag(page, "day")
    assert 'inputmode="numeric"' in input_tag(page, "amount")
    assert not re.search(r'type="(date|number)"', page)
