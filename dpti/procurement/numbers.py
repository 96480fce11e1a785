"""Numbers the system gives to needs, contracts, commitments, orders and invoices.

A counter per kind and year; a number already taken (brought by an import) is skipped.
"""

from dpti.core.numbering import next_number

PATTERNS = {
    "need": "BES-{year}-{seq:04d}",
    "contract": "{year}-M-{seq:03d}",
    "commitment": "ENG-{year}-{seq:05d}",
    "order": "BC-{year}-{seq:05d}",
    "invoice": "FAC-{year}-{seq:05d}",
}


def _next_free(kind, model, field, day):
    while True:
        number = next_number(PATTERNS[kind], f"procurement:{kind}", max_length=30, year=day.year)
        if not model._default_manager.filter(**{field: number}).exists():
            return number


def next_need_reference(day):
    from dpti.procurement.models import PurchaseNeed

    return _next_free("need", PurchaseNeed, "reference", day)


def next_contract_reference(day):
    from dpti.procurement.models import Contract

    return _next_free("contract", Contract, "reference", day)


def next_commitment_number(day):
    from dpti.procurement.models import Commitment

    return _next_free("commitment", Commitment, "number", day)


def next_order_number(day):
    from dpti.procurement.models import PurchaseOrder

    return _next_free("order", PurchaseOrder, "number", day)


def next_invoice_number(day):
    from dpti.procurement.models import Invoice

    return _next_free("invoice", Invoice, "number", day)
