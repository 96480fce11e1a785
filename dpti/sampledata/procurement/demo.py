"""Demo procurement and budget of the Congress: two fiscal years, their lines and a décision
modificative, the AP of the Foch annex, a dozen contracts with their lots, orders and invoices,
purchase needs.

The previous fiscal year is closed, the current one open; every date is relative to today so
that the deadlines register always shows renewals to decide in the coming months, invoices to
pay and others overdue. Every record goes through `dpti.core.services.save_object`, so numbers,
commitments, payment delays, interest and procedures are the ones the rules give. The budget
lines receive the credits their orders need plus a margin: no line is overdrawn. Deterministic
for a given day. The contractor account's company holds the air-conditioning framework.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from dpti.assets.models import Asset
from dpti.core.models import User
from dpti.core.services import save_object
from dpti.directory.models import Company, OrganisationUnit, Person
from dpti.estate.models import Building
from dpti.itpark.models import Application
from dpti.procurement import numbers, payments
from dpti.procurement.models import (
    Amendment,
    BudgetAmendment,
    BudgetLine,
    Commitment,
    Contract,
    ContractLot,
    FiscalYear,
    Invoice,
    PaymentCredit,
    PaymentSuspension,
    ProgrammeAuthorisation,
    PurchaseCategory,
    PurchaseNeed,
    PurchaseOrder,
    ServiceOrder,
    TaxRate,
)
from dpti.sampledata.assets.scale import create_deadlines, reserve
from dpti.sampledata.procurement.demo_data import (
    AP,
    BUDGET_AMENDMENTS,
    CANCELLED_ORDER,
    COMPANIES,
    CONTRACTS,
    LINES,
    MONTHS,
    NEEDS,
    OUTSIDE_ORDERS,
    SEED,
    WORKS,
)

QUARTERS = ["1er", "2e", "3e", "4e"]


def round_up(amount, step=500_000):
    """An amount rounded up to the next step (credits are voted in round figures)."""
    return -(-amount // step) * step


def month_end(day):
    return day + relativedelta(day=31)


@dataclass
class PlannedOrder:
    day: date
    object: str
    amount: int
    tax: str
    line: str
    lot: tuple | None = None  # (contract key, lot number)
    supplier: str = ""
    category: str | None = None
    service_days: int | None = None  # delivery delay of a supply or an ad hoc service
    months: int = 1  # months of service of a periodic order
    cancelled: bool = False


class ProcurementDemo:
    """Plans the orders first (so that the lines are voted what they need), then saves it all."""

    def __init__(self, stdout):
        self.stdout, self.rng = stdout, random.Random(SEED)
        self.today = timezone.localdate()
        self.year = self.today.year
        self.user = User.objects.filter(username="achats").first()
        # The TGC rates in force today, the latest started winning.
        rates = TaxRate.objects.valid_on(self.today).order_by("valid_from")
        self.rates = {rate.code: rate for rate in rates}
        self.categories = {c.code: c for c in PurchaseCategory.objects.all()}
        self.units = {u.code: u for u in OrganisationUnit.objects.all()}
        self.managers = {
            p.user.username: p
            for p in Person.objects.filter(user__isnull=False).select_related("user")
        }
        self.lines, self.lots, self.contracts, self.needs = {}, {}, {}, {}
        self.orders, self.invoices = [], []

    def save(self, obj, **kwargs):
        return save_object(obj, user=self.user, **kwargs)

    def day(self, spec):
        offset, month, day = spec
        return date(self.year + offset, month, day)

    # Companies ----------------------------------------------------------------------------
    def create_companies(self):
        existing = set(Company.objects.values_list("ridet", flat=True))
        Company.objects.bulk_create(
            Company(name=name, ridet=ridet, activity=activity, is_supplier=True, city="Nouméa")
            for name, ridet, activity in COMPANIES
            if ridet not in existing
        )
        self.companies = {c.name: c for c in Company.objects.all()}

    # Contract dates -----------------------------------------------------------------------
    def contract_dates(self, spec):
        """(notified on, start) of a contract."""
        if spec["dates"][0] == "fixed":
            return self.day(spec["dates"][1]), self.day(spec["dates"][2])
        months_ahead = spec["dates"][1]
        _allowed, done = spec["renewals"]
        total = spec["duration"] + done * 12
        # The end falls so that the decision (three months before) is `months_ahead` from now.
        end_next = date(self.year, self.today.month, 1) + relativedelta(months=3 + months_ahead)
        start = end_next - relativedelta(months=total)
        return start - timedelta(days=24), start

    def period(self, spec):
        _notified, start = self.contract_dates(spec)
        months = spec["duration"] + spec.get("renewals", (0, 0))[1] * 12
        months += sum(a[5] for a in spec.get("amendments", []))
        return start, start + relativedelta(months=months) - timedelta(days=1)

    # Plan ---------------------------------------------------------------------------------
    def plan_orders(self):
        """Every order of the demo, in memory."""
        plan = []
        for spec in CONTRACTS:
            start, end = self.period(spec)
            for number, pattern in spec["orders"].items():
                lot = (spec["key"], number)
                if pattern[0] == "items":
                    for when, label, amount in pattern[2]:
                        day = self.day(when)
                        if start <= day <= min(end, self.today):
                            plan.append(
                                PlannedOrder(
                                    day,
                                    label,
                                    amount,
                                    spec["tax"],
                                    pattern[1],
                                    lot,
                                    service_days=self.rng.randint(8, 30),
                                )
                            )
                    continue
                kind, line, label, monthly, spread = pattern
                for year_offset in (-1, 0):
                    step = 3 if year_offset == -1 or kind == "quarterly" else 1
                    for month in range(1, 13, step):
                        day = date(self.year + year_offset, month, 3)
                        if not (
                            start <= day and day + relativedelta(months=step) <= end + timedelta(1)
                        ):
                            continue
                        if day > self.today:
                            continue
                        amount = monthly * step
                        if spread:
                            amount += round(self.rng.randint(0, spread * step), -3)
                        if step == 3:
                            name = f"{label} — {QUARTERS[month // 3]} trimestre {day.year}"
                        else:
                            name = f"{label} — {MONTHS[month - 1]} {day.year}"
                        plan.append(
                            PlannedOrder(day, name, amount, spec["tax"], line, lot, months=step)
                        )
        for when, supplier, category, line, label, amount, tax in OUTSIDE_ORDERS:
            day = self.day(when)
            if day <= self.today:
                plan.append(
                    PlannedOrder(
                        day,
                        label,
                        amount,
                        tax,
                        line,
                        supplier=supplier,
                        category=category,
                        service_days=self.rng.randint(10, 35),
                    )
                )
        when, supplier, category, line, label, amount = CANCELLED_ORDER
        if self.day(when) <= self.today:
            plan.append(
                PlannedOrder(
                    self.day(when),
                    label,
                    amount,
                    "TN",
                    line,
                    supplier=supplier,
                    category=category,
                    cancelled=True,
                )
            )
        plan.sort(key=lambda p: (p.day, p.object))
        self.plan = plan
        return plan

    def needed_credits(self):
        """(year offset, line key) → credits incl. tax the orders and commitments take."""
        needed = {}
        for order in self.plan:
            if order.cancelled:
                continue
            key = (order.day.year - self.year, order.line)
            rate = self.rates[order.tax]
            needed[key] = needed.get(key, 0) + order.amount + rate.tax_on(order.amount)
        for offset, by_lot in WORKS["commitments"].items():
            key = (offset, "annexe")
            needed[key] = needed.get(key, 0) + sum(by_lot.values())
        return needed

    # Budget -------------------------------------------------------------------------------
    def create_budget(self):
        needed = self.needed_credits()
        amendments = {line: amount for line, amount, _reason in BUDGET_AMENDMENTS}
        authorisation = self.save(
            ProgrammeAuthorisation(
                kind=ProgrammeAuthorisation.Kind.PROGRAMME,
                reference=AP["reference"],
                label=AP["label"],
                amount=AP["amount"],
                voted_on=self.day(AP["voted_on"]),
                decision_reference=AP["decision"],
            )
        )
        for offset, amount in AP["credits"].items():
            self.save(
                PaymentCredit(authorisation=authorisation, year=self.year + offset, amount=amount)
            )
        self.years = {}
        for offset in (-1, 0):
            year = self.year + offset
            self.years[offset] = self.save(
                FiscalYear(
                    year=year,
                    status=FiscalYear.Status.OPEN,
                    voted_on=date(year - 1, 12, 18),
                    decision_reference=_("Primitive budget %(year)s voted in public session")
                    % {"year": year},
                )
            )
            for key, (section, chapter, nature, function, service, label, base) in LINES.items():
                wanted = needed.get((offset, key), 0)
                if key == "annexe":
                    voted = AP["credits"][offset]
                    assert wanted <= voted, "The works commitments exceed the AP's credits."
                else:
                    change = amendments.get(key, 0) if offset == 0 else 0
                    voted = max(base, round_up(int(wanted * 1.12) - change))
                self.lines[offset, key] = self.save(
                    BudgetLine(
                        fiscal_year=self.years[offset],
                        section=section,
                        chapter=chapter,
                        nature=nature,
                        function=function,
                        service=self.units.get(service),
                        programme=authorisation if key == "annexe" else None,
                        label=label,
                        voted_amount=voted,
                    )
                )
        decided = min(date(self.year, 6, 26), self.today)
        for key, amount, reason in BUDGET_AMENDMENTS:
            self.save(
                BudgetAmendment(
                    budget_line=self.lines[0, key],
                    reference="DM n° 1",
                    decided_on=decided,
                    amount=amount,
                    reason=reason,
                )
            )

    # Needs --------------------------------------------------------------------------------
    def create_need(self, row):
        key, label, category, operation, amount, when, line, service, status = row
        offset = when[0]
        self.needs[key] = self.save(
            PurchaseNeed(
                object=label,
                category=self.categories[category],
                operation=operation,
                estimated_amount=amount,
                needed_on=min(self.day(when), self.today),
                budget_line=self.lines.get((offset, line)),
                requesting_unit=self.units.get(service),
                status=status,
            )
        )

    # Contracts ----------------------------------------------------------------------------
    def create_contract(self, spec):
        notified, start = self.contract_dates(spec)
        allowed, done = spec.get("renewals", (0, 0))
        revision, clause = spec["revision"]
        contract = self.save(
            Contract(
                object=spec["object"],
                kind=spec["kind"],
                category=self.categories[spec["category"]],
                procedure=spec["procedure"],
                need=self.needs.get(spec.get("need")),
                is_framework=spec.get("framework", False),
                status=Contract.Status.IN_FORCE,
                notified_on=notified,
                start_date=start,
                duration_months=spec["duration"],
                renewals_allowed=allowed,
                renewal_months=12,
                renewals_done=done,
                renewal_notice_months=3,
                tax_rate=self.rates[spec["tax"]],
                price_revision=revision,
                price_revision_clause=clause,
                guarantee_retention=spec.get("retention", 0),
                advance_rate=spec.get("advance", 0),
                manager=self.managers.get(spec["manager"]),
            )
        )
        if spec.get("buildings"):
            contract.buildings.set(Building.objects.filter(code__in=spec["buildings"]))
        if spec.get("assets"):
            contract.assets.set(
                Asset.objects.filter(category__code=spec["assets"]).order_by("-value", "pk")[:15]
            )
        if spec.get("applications"):
            contract.applications.set(Application.objects.filter(name__in=spec["applications"]))
        for number, title, holder, amount, *bounds in spec["lots"]:
            minimum, maximum = bounds or (None, None)
            self.lots[spec["key"], number] = self.save(
                ContractLot(
                    contract=contract,
                    number=number,
                    title=title,
                    holder=self.companies[holder],
                    amount_excl_tax=amount,
                    tax_rate=self.rates[spec["tax"]],
                    minimum_excl_tax=minimum,
                    maximum_excl_tax=maximum,
                )
            )
        if spec["key"] != WORKS["key"]:  # the works have their own service orders
            self.save(
                ServiceOrder(
                    contract=contract,
                    number=1,
                    kind=ServiceOrder.Kind.START,
                    issued_on=start - timedelta(days=7),
                    effective_on=start,
                    object=_("Start of the execution"),
                )
            )
        self.contracts[spec["key"]] = contract
        return contract

    def create_works(self):
        """The works of the AP: lots, service orders, amendments, commitments and progress
        invoices (situations)."""
        contract = self.create_contract(WORKS)
        for number, lot, kind, issued, effective, label in WORKS["service_orders"]:
            if self.day(issued) > self.today:
                continue
            self.save(
                ServiceOrder(
                    contract=contract,
                    lot=self.lots[WORKS["key"], lot] if lot else None,
                    number=number,
                    kind=kind,
                    issued_on=self.day(issued),
                    effective_on=self.day(effective),
                    object=label,
                )
            )
        for number, lot, signed, label, amount, months, justification in WORKS["amendments"]:
            if self.day(signed) > self.today:
                continue
            self.save(
                Amendment(
                    contract=contract,
                    lot=self.lots[WORKS["key"], lot],
                    number=number,
                    signed_on=self.day(signed),
                    object=label,
                    amount_excl_tax=amount,
                    extension_months=months,
                    justification=justification,
                )
            )
        rate = self.rates[WORKS["tax"]]
        for offset, by_lot in WORKS["commitments"].items():
            committed_on = min(date(self.year + offset, 1, 12), self.today)
            if offset == -1:
                committed_on = self.day(WORKS["dates"][1])
            for number, amount in by_lot.items():
                lot = self.lots[WORKS["key"], number]
                commitment = self.save(
                    Commitment(
                        budget_line=self.lines[offset, "annexe"],
                        committed_on=committed_on,
                        object=_("%(contract)s — lot %(number)s, works of %(year)s")
                        % {
                            "contract": WORKS["object"],
                            "number": number,
                            "year": committed_on.year,
                        },
                        supplier=lot.holder,
                        contract=contract,
                        amount=amount,
                    )
                )
                # A progress invoice each month worked, 90 % of the commitment in the year.
                months = [
                    m
                    for m in range(1, 13)
                    if date(committed_on.year, m, 1) >= contract.start_date
                    and (offset == -1 or m not in (2, 3))  # stopped for the asbestos
                ]
                share = int(amount * 0.9) // max(len(months), 1)
                for month in months:
                    done = month_end(date(committed_on.year, month, 1))
                    excl = share * 100 // (100 + int(rate.rate)) // 1000 * 1000
                    self.add_invoice(
                        supplier=lot.holder,
                        commitment=commitment,
                        amount=excl,
                        tax=rate,
                        done=done,
                        received=done + timedelta(days=self.rng.randint(3, 8)),
                    )

    # Orders -------------------------------------------------------------------------------
    def create_orders(self):
        """The planned orders and their commitments, inserted in bulk with what `save_object`
        would compute: numbers from the same counters, amount incl. tax, a commitment of that
        amount on the order's line (cancelled with the order)."""
        orders = []
        for planned in self.plan:
            lot = self.lots.get(planned.lot) if planned.lot else None
            order = PurchaseOrder(
                issued_on=planned.day,
                object=planned.object,
                lot=lot,
                supplier=lot.holder if lot else self.companies[planned.supplier],
                category=self.categories.get(planned.category)
                if planned.category
                else (lot.contract.category if lot else None),
                budget_line=self.lines[planned.day.year - self.year, planned.line],
                amount_excl_tax=planned.amount,
                tax_rate=self.rates[planned.tax],
                delivery_expected_on=planned.day + timedelta(days=planned.service_days or 28),
                created_by=self.user,
                updated_by=self.user,
            )
            order.amount_incl_tax = order.compute_amount_incl_tax()
            if planned.service_days is None:
                done = month_end(planned.day + relativedelta(months=planned.months - 1))
            else:
                done = planned.day + timedelta(days=planned.service_days)
            if planned.cancelled:
                order.status = PurchaseOrder.Status.CANCELLED
            elif done <= self.today:
                order.status = PurchaseOrder.Status.DELIVERED
            orders.append(order)
            self.orders.append((order, done))
        number_rows(orders, "order", "issued_on")
        PurchaseOrder.objects.bulk_create(orders)
        commitments = [
            Commitment(
                order=order,
                budget_line=order.budget_line,
                committed_on=order.issued_on,
                object=order.object[:250],
                supplier=order.supplier,
                contract_id=order.lot.contract_id if order.lot_id else None,
                amount=order.amount_incl_tax,
                status=Commitment.Status.CANCELLED
                if order.status == PurchaseOrder.Status.CANCELLED
                else Commitment.Status.ACTIVE,
                created_by=self.user,
                updated_by=self.user,
            )
            for order in orders
        ]
        number_rows(commitments, "commitment", "committed_on")
        Commitment.objects.bulk_create(commitments)
        self.commitments = {c.order_id: c for c in commitments}

    # Invoices -----------------------------------------------------------------------------
    def add_invoice(self, *, supplier, amount, tax, done, received, order=None, commitment=None):
        """Plan an invoice; payment and lateness are drawn later."""
        if received > self.today:
            return
        self.invoices.append(
            {
                "supplier": supplier,
                "order": order,
                "commitment": commitment,
                "amount": amount,
                "tax": tax,
                "done": done,
                "received": received,
            }
        )

    def plan_order_invoices(self):
        for order, done in self.orders:
            if order.status == PurchaseOrder.Status.CANCELLED or done > self.today:
                continue
            received = done + timedelta(days=self.rng.randint(2, 9))
            parts = [order.amount_excl_tax]
            splittable = order.lot_id is None or order.lot.contract.is_framework
            if splittable and self.rng.random() < 0.3 and order.amount_excl_tax >= 400_000:
                first = round(order.amount_excl_tax * 0.6, -3)
                parts = [first, order.amount_excl_tax - first]
            for index, amount in enumerate(parts):
                self.add_invoice(
                    supplier=order.supplier,
                    order=order,
                    amount=amount,
                    tax=order.tax_rate,
                    done=done,
                    received=received + timedelta(days=12 * index),
                )

    def create_invoices(self):
        """Most invoices paid within 30 days, some late, a few unpaid past their due date, one
        suspended; the contractor's company has one paid late."""
        self.invoices.sort(key=lambda i: (i["received"], i["supplier"].name, i["amount"]))
        contractor = self.managers.get("prestataire")
        contractor_company = contractor.company_id if contractor else None
        counters, paid_count, rows = {}, 0, []
        contractor_late = False
        overdue_left = 4
        suspended = None
        for index, plan in enumerate(self.invoices):
            start = max(plan["received"], plan["done"])
            roll = self.rng.random()
            if (
                plan["supplier"].pk == contractor_company
                and not contractor_late
                and start + timedelta(days=70) <= self.today
            ):
                roll, contractor_late = 0.05, True  # the contractor's company paid late once
            if roll < 0.1:
                paid = start + timedelta(days=self.rng.randint(34, 70))
            else:
                paid = start + timedelta(days=self.rng.randint(8, 27))
            age = (self.today - start).days
            if overdue_left and 45 <= age <= 150 and roll > 0.95:
                paid, overdue_left = None, overdue_left - 1
            if paid is not None and paid > self.today:
                paid = None
            if suspended is None and paid is not None and 60 <= age <= 200 and roll > 0.5:
                paid = start + timedelta(days=36)
                suspended = index
            supplier = plan["supplier"]
            initials = "".join(
                w[0] for w in supplier.name.replace("-", " ").split() if w[0].isupper()
            )
            counters[supplier.pk] = counters.get(supplier.pk, 0) + 1
            invoice = Invoice(
                supplier=supplier,
                supplier_reference=f"{initials[:4]}-{start.year}-{counters[supplier.pk]:04d}",
                order=plan["order"],
                commitment=plan["commitment"],
                issued_on=plan["received"] - timedelta(days=self.rng.randint(1, 4)),
                received_on=plan["received"],
                amount_excl_tax=plan["amount"],
                tax_rate=plan["tax"],
                service_done_on=plan["done"]
                if paid or self.rng.random() < 0.6 or age > 30
                else None,
                paid_on=paid,
            )
            if paid:
                paid_count += 1
                invoice.payment_reference = f"Mandat {paid.year}-{paid_count:05d}"
            rows.append(invoice)
        self.insert_invoices(rows)
        if suspended is not None:
            invoice, start = (
                rows[suspended],
                max(rows[suspended].received_on, self.invoices[suspended]["done"]),
            )
            self.save(
                PaymentSuspension(
                    invoice=invoice,
                    suspended_on=start + timedelta(days=4),
                    resumed_on=start + timedelta(days=15),
                    reason=_("Certificate of tax and social contributions missing"),
                )
            )

    def insert_invoices(self, rows):
        """Invoices in bulk with what `save_object` computes: the order's supplier and
        commitment, numbers from the same counters, amount incl. tax, status, payment delay
        and interest (`payments.apply_delay`), then their payment deadlines."""
        for invoice in rows:
            if invoice.order is not None:
                invoice.commitment = self.commitments[invoice.order.pk]
            invoice.amount_incl_tax = invoice.compute_amount_incl_tax()
            invoice.created_by = invoice.updated_by = self.user
            payments.apply_delay(invoice, today=self.today)
        number_rows(rows, "invoice", "received_on")
        Invoice.objects.bulk_create(rows)
        create_deadlines(rows)

    def ensure_overdue(self):
        """At least three invoices past due and unpaid (the payments to chase)."""
        have = Invoice.objects.filter(
            paid_on__isnull=True, due_on__lt=self.today, is_rejected=False
        )
        missing = 3 - have.count()
        if missing <= 0:
            return
        candidates = (
            Invoice.objects.filter(
                paid_on__isnull=False,
                received_on__gte=self.today - timedelta(days=120),
                received_on__lte=self.today - timedelta(days=45),
            )
            .exclude(suspensions__isnull=False)
            .order_by("received_on", "pk")[:missing]
        )
        for invoice in candidates:
            invoice.paid_on, invoice.payment_reference = None, ""
            self.save(invoice)

    def close_previous_year(self):
        year = self.years[-1]
        year.status = FiscalYear.Status.CLOSED
        self.save(year)


def number_rows(rows, kind, date_field):
    """Give rows the next numbers of their kind and year, as `dpti.procurement.numbers` would,
    one counter reservation per year."""
    pattern = numbers.PATTERNS[kind]
    counts = Counter(getattr(row, date_field).year for row in rows)
    following = {
        year: reserve(f"procurement:{kind}:year={year}", count)
        for year, count in sorted(counts.items())
    }
    for row in sorted(rows, key=lambda r: getattr(r, date_field)):
        year = getattr(row, date_field).year
        row.number = pattern.format(year=year, seq=following[year])
        following[year] += 1


def load(*, stdout):
    """Create the demo procurement; called by `manage.py load_demo` after the IT park."""
    demo = ProcurementDemo(stdout)
    demo.create_companies()
    demo.plan_orders()
    demo.create_budget()
    for row in NEEDS:
        if row[8] == "awarded":
            demo.create_need(row)
    for spec in CONTRACTS:
        demo.create_contract(spec)
    demo.create_works()
    demo.create_orders()
    demo.plan_order_invoices()
    demo.create_invoices()
    demo.ensure_overdue()
    for row in NEEDS:
        if row[8] != "awarded":
            demo.create_need(row)
    demo.close_previous_year()
    invoices = Invoice.objects.all()
    stdout.write(
        _(
            "Procurement: %(lines)d budget lines over %(years)d fiscal years, %(contracts)d "
            "contracts (%(lots)d lots), %(orders)d purchase orders, %(invoices)d invoices "
            "(%(late)d paid late, %(overdue)d unpaid past their due date), %(needs)d purchase "
            "needs."
        )
        % {
            "lines": BudgetLine.objects.count(),
            "years": FiscalYear.objects.count(),
            "contracts": Contract.objects.count(),
            "lots": ContractLot.objects.count(),
            "orders": PurchaseOrder.objects.count(),
            "invoices": invoices.count(),
            "late": invoices.filter(paid_on__isnull=False, late_days__gt=0).count(),
            "overdue": invoices.filter(paid_on__isnull=True, due_on__lt=demo.today).count(),
            "needs": PurchaseNeed.objects.count(),
        }
    )
