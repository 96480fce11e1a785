"""Model fields for local data types."""

import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# What people put around and inside an amount: every kind of space (no-break and narrow
# no-break spaces come from copies of the screens and of spreadsheets), the currency.
AMOUNT_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")
AMOUNT_CURRENCY = re.compile(r"(XPF|F\s?CFP|CFP|F)$", re.IGNORECASE)
# 6.000.000: thousands grouped by dots, never a decimal part
# (a franc CFP has no subdivision: "6.5" is refused, not read as 65 or 6).
AMOUNT_GROUPED = re.compile(r"^[-+]?\d{1,3}(?:\.\d{3})+$")
AMOUNT_WHOLE = re.compile(r"^[-+]?\d+$")
AMOUNT_DECIMAL = re.compile(r"^[-+]?\d*[.,]\d+$")
# The separator DPTI writes between thousands (as its French number format does).
AMOUNT_SEPARATOR = "\u202f"


class AmountError(ValueError):
    """Text that is not a whole amount in francs CFP; `code` tells decimals from garbage."""

    def __init__(self, code):
        self.code = code
        super().__init__(code)


def parse_amount(value):
    """The whole number of francs CFP that a person or a file wrote.

    Accepts 6000000, « 6 000 000 » (with ordinary, no-break or narrow no-break spaces),
    « 6 000 000 XPF », « 6.000.000 » and a leading minus sign; raises `AmountError` for
    decimals ("decimal") and anything else ("invalid"). Bounds are the caller's business.
    """
    if isinstance(value, bool):
        raise AmountError("invalid")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise AmountError("decimal")
    text = AMOUNT_SPACES.sub("", str(value)).replace("\u2212", "-")  # the typographic minus
    text = AMOUNT_CURRENCY.sub("", text)
    if AMOUNT_GROUPED.match(text):
        text = text.replace(".", "")
    if AMOUNT_WHOLE.match(text):
        return int(text)
    if AMOUNT_DECIMAL.match(text):
        # "6000000,00" from a spreadsheet is still a whole amount; "6,5" is not, nor "6,000"
        # (six thousand in English, six in French: refused rather than guessed).
        whole, _sep, fraction = text.replace(",", ".").partition(".")
        if whole.lstrip("+-") and len(fraction) <= 2 and not fraction.strip("0"):
            return int(whole)
        raise AmountError("decimal")
    raise AmountError("invalid")


def group_amount(value):
    """An amount written with its thousands grouped: 6000000 → « 6 000 000 » (narrow
    no-break spaces, as the French number format writes them), without currency."""
    if value is None or value == "":
        return ""
    try:
        number = parse_amount(value)
    except AmountError:
        return value  # what the person typed, shown back with the error
    grouped = f"{abs(number):,}".replace(",", AMOUNT_SEPARATOR)
    return f"-{grouped}" if number < 0 else grouped


def amount_bounds(validators):
    """(minimum, maximum) that a model field's validators set, None where unbounded."""
    low = high = None
    for validator in validators:
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return low, high


def _interpolated(message, limit):
    """A lazy message with its bound written in: form fields are built once, at start-up,
    and must speak the language of each request."""
    return lazy(lambda: str(message) % {"limit": group_amount(limit)}, str)()


class AmountInput(forms.TextInput):
    """A text box for an amount: digits keyboard on phones, the value shown grouped by
    thousands (a number input can neither show nor accept « 6 000 000 »)."""

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "numeric", "autocomplete": "off", "data-amount": "", **(attrs or {})}
        )

    def format_value(self, value):
        return group_amount(value) or None


class AmountFormField(forms.IntegerField):
    """A whole amount in XPF typed as people write it (see `parse_amount`), within the
    model field's bounds, with French messages."""

    widget = AmountInput
    default_error_messages = {
        "invalid": _("Enter an amount in XPF as a whole number, for example 6 000 000."),
        "decimal": _("An amount in XPF has no decimals: enter a whole number of francs."),
    }

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        # Django's bound validators, with messages that speak of an amount.
        self.validators = [
            v for v in self.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
        ]
        if min_value is not None:
            message = (
                _("An amount cannot be negative.")
                if min_value == 0
                else _interpolated(
                    _("The amount cannot be less than %(limit)s XPF."), limit=min_value
                )
            )
            self.validators.append(MinValueValidator(min_value, message=message))
            if min_value >= 0:
                # Tells the typing helper (dpti.js) to keep out a minus sign.
                self.widget.attrs["data-amount-min"] = str(min_value)
        if max_value is not None:
            self.validators.append(
                MaxValueValidator(
                    max_value,
                    message=_interpolated(
                        _("The amount cannot be more than %(limit)s XPF."), limit=max_value
                    ),
                )
            )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except AmountError as error:
            raise forms.ValidationError(self.error_messages[error.code], code=error.code) from None

    def widget_attrs(self, widget):
        # No min/max/step: they mean nothing on a text box and the browser would not check them.
        return forms.Field.widget_attrs(self, widget)


class AmountField(models.BigIntegerField):
    """An amount in francs CFP (XPF), which has no subdivision: stored as a whole number."""

    def __init__(self, *args, allow_negative=False, **kwargs):
        self.allow_negative = allow_negative
        validators = list(kwargs.pop("validators", []))
        if not allow_negative:
            validators.append(MinValueValidator(0))
        kwargs["validators"] = validators
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if self.allow_negative:
            kwargs["allow_negative"] = True
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        """A text box that takes « 6 000 000 » and shows the value grouped, bounded by the
        field's validators (no negative amount unless the field allows it)."""
        low, high = amount_bounds(self.validators)
        return super().formfield(
            **{
                "form_class": AmountFormField,
                "min_value": -self.MAX_BIGINT - 1 if low is None else low,
                "max_value": self.MAX_BIGINT if high is None else high,
                **kwargs,
            }
        )


def given_number_field(verbose_name, unique_message, help_text=None, max_length=30):
    """A unique number the system gives on save when it is left empty (a need's reference, an
    order's number), or that an import brings."""
    from django.utils.translation import gettext_lazy as _

    return models.CharField(
        verbose_name,
        max_length=max_length,
        unique=True,
        blank=True,
        help_text=help_text or _("Given on save when empty."),
        error_messages={"unique": unique_message},
    )


def resolve_field_path(model, path):
    """The model field a 'relation__field' path leads to (raises FieldDoesNotExist)."""
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.is_relation:
            model = field.related_model
    return field


# Dates are typed and shown as dd/mm/yyyy whatever the browser's language: a native date
# input would show the browser's format (mm/dd/yyyy in an English browser) inside French pages.
# No `pattern` attribute: the browser would refuse a wrong date with a message in its own
# language (English inside French pages); the server refuses it in French instead.


class DateInput(forms.DateInput):
    """A text box for a date, shown dd/mm/yyyy, with the calendar of dpti.js."""

    def __init__(self, attrs=None):
        super().__init__(
            format="%d/%m/%Y",
            attrs={
                "placeholder": _("dd/mm/yyyy"),
                "autocomplete": "off",
                "data-datepicker": "date",
                **(attrs or {}),
            },
        )


class DateTimeInput(forms.DateTimeInput):
    """A text box for a date and time, shown dd/mm/yyyy hh:mm, with the calendar of dpti.js."""

    def __init__(self, attrs=None):
        super().__init__(
            format="%d/%m/%Y %H:%M",
            attrs={
                "placeholder": _("dd/mm/yyyy hh:mm"),
                "autocomplete": "off",
                "data-datepicker": "datetime",
                **(attrs or {}),
            },
        )


class DateFormField(forms.DateField):
    """A date typed dd/mm/yyyy (or yyyy-mm-dd), in French whatever the browser says."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("Enter a date as dd/mm/yyyy, for example 05/03/2026."),
    }


class DateTimeFormField(forms.DateTimeField):
    """A date and time typed dd/mm/yyyy hh:mm (a date alone means midnight)."""

    widget = DateTimeInput
    default_error_messages = {
        "invalid": _("Enter a date and time as dd/mm/yyyy hh:mm, for example 05/03/2026 14:30."),
    }

    def to_python(self, value):
        # "14h30", as people write times in French.
        if isinstance(value, str):
            value = re.sub(r"(\d)h(\d\d)", r"\1:\2", value.strip())
        return super().to_python(value)
