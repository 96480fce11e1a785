"""Procurement at scale: budget lines of three fiscal years, contracts and their lots held by
the seeded companies, orders with their commitments, invoices with their payment delays.

Runs after the directory's seeder (app order). Rows are inserted in bulk, with the fields the
rules compute filled by the same code: numbers from the same counters, amounts including tax
(`TaxedAmount.compute_amount_incl_tax`), one commitment per order of its amount including tax,
invoices' status, delay and interest (`payments.apply_delay`), deadlines. The credits voted on
each line and the ceiling of each lot are set at the end to what their orders take plus a
margin, so no line is overdrawn and no lot exceeded. Deterministic: fixed seed, fixed dates.
"""

import random
import time
from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db.models import Sum

from dpti.directory.models import Company, OrganisationUnit
from dpti.procurement import numbers, payments
from dpti.procurement.models import (
    BudgetLine,
    Commitment,
    Contract,
    ContractLot,
    FiscalYear,
    Invoice,
    PurchaseCategory,
    PurchaseOrder,
    TaxRate,
)
from dpti.sampledata.assets.scale import create_deadlines, reserve
from dpti.sampledata.scale import Progress, batched

# size → (contracts, orders, invoices); one commitment per order.
SIZES = {
    "tiny": (50, 1_000, 1_000),
    "small": (500, 10_000, 10_000),
    "medium": (2_000, 50_000, 50_000),
    "large": (5_000, 100_000, 100_000),
}
BATCH = 5_000
YEARS = (2024, 2025, 2026)  # the last one open, the others closed
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2026, 6, 30)  # fixed "today" of the data, so that two seedings are equal
SERVICES = 20  # services with budget lines each year
# (section, chapter, nature, label, contract kinds that order on it)
NATURES = [
    ("investment", "20", "2051", "Logiciels", ("supplies",)),
    ("investment", "21", "2183", "Matériel informatique", ("supplies",)),
    ("investment", "21", "2184", "Mobilier", ("supplies",)),
    ("investment", "21", "2188", "Autres immobilisations", ("supplies", "works")),
    ("investment", "23", "2313", "Constructions en cours", ("works",)),
    ("operating", "011", "6156", "Maintenance", ("maintenance",)),
    ("operating", "011", "6283", "Nettoyage des locaux", ("services",)),
    ("operating", "011", "6262", "Télécommunications", ("services",)),
    ("operating", "011", "6135", "Locations mobilières", ("services",)),
    ("operating", "011", "6068", "Fournitures", ("supplies",)),
]
KINDS = {  # contract kind → purchase category codes
    "services": ["NET", "SEC", "ESP", "INF-SUP", "TEL", "ETU"],
    "maintenance": ["CLIM", "ASC", "ELEC"],
    "supplies": ["INF-MAT", "INF-LOG", "MOB", "FOUR", "VEH"],
    "works": ["TRV-AMG", "TRV-GE"],
}
OBJECTS = {
    "services": "Prestations de services",
    "maintenance": "Maintenance des installations",
    "supplies": "Fournitures",
    "works": "Travaux",
}
PROCEDURES = ["no_competition", "consultation", "open_tender", "open_call", "negotiated"]


def round_up(amount, step=100_000):
    return -(-amount // step) * step


def number_rows(rows, kind, date_field):
    """Give rows the next numbers of their kind and year from the counters the application
    uses (`dpti.procurement.numbers`), one reservation per year."""
    pattern = numbers.PATTERNS[kind]
    counts = Counter(getattr(row, date_field).year for row in rows)
    following = {
        year: reserve(f"procurement:{kind}:year={year}", count)
        for year, count in sorted(counts.items())
    }
    for row in sorted(rows, key=lambda r: (getattr(r, date_field), id(r))):
        year = getattr(row, date_field).year
        row.number = pattern.format(year=year, seq=following[year])
        following[year] += 1


def set_reference(contracts):
    """Contract references from the application's counters, by year of notification."""
    pattern = numbers.PATTERNS["contract"]
    counts = Counter(c.notified_on.year for c in contracts)
    following = {
        year: reserve(f"procurement:contract:year={year}", count)
        for year, count in sorted(counts.items())
    }
    for contract in contracts:
        year = contract.notified_on.year
        contract.reference = pattern.format(year=year, seq=following[year])
        following[year] += 1


class Seeder:
    def __init__(self, size, stdout):
        self.rng = random.Random(31)
        self.stdout = stdout
        self.n_contracts, self.n_orders, self.n_invoices = SIZES[size]
        # The rules and rates in force, read once per period of validity, not per invoice.
        self.lookups = payments.ReferenceLookups.remembered()
        rates = TaxRate.objects.valid_on(LAST_DAY).order_by("valid_from")
        self.rates = {rate.code: rate for rate in rates}
        self.categories = {c.code: c for c in PurchaseCategory.objects.all()}
        self.company_rows = {c.pk: c for c in Company.objects.order_by("pk").only("name")}
        if not self.company_rows:
            company = Company.objects.create(name="Entreprise du banc", ridet="2999999.001")
            self.company_rows = {company.pk: company}
        self.companies = list(self.company_rows)
        self.ordered = defaultdict(int)  # lot pk → excl. tax ordered

    # Budget -------------------------------------------------------------------------------
    def create_budget(self):
        units = list(
            OrganisationUnit.objects.order_by("-pk").filter(kind="service")[:SERVICES]
        ) or list(OrganisationUnit.objects.order_by("-pk")[:SERVICES])
        self.lines = defaultdict(list)  # (year, contract kind) → lines
        rows, new = [], []
        existing = {line.code: line for line in BudgetLine.objects.select_related("fiscal_year")}
        for year in YEARS:
            fiscal_year, _created = FiscalYear.objects.get_or_create(
                year=year,
                defaults={"status": FiscalYear.Status.OPEN, "voted_on": date(year - 1, 12, 18)},
            )
            for section, chapter, nature, label, kinds in NATURES:
                for unit in units or [None]:
                    line = BudgetLine(
                        fiscal_year=fiscal_year,
                        section=section,
                        chapter=chapter,
                        nature=nature,
                        function="0202",
                        service=unit,
                        label=f"{label} — {unit.name}" if unit else label,
                        voted_amount=0,
                    )
                    line.code = line.default_code()
                    if line.code in existing:  # seeded again over the same services
                        line = existing[line.code]
                    else:
                        new.append(line)
                    rows.append(line)
                    for kind in kinds:
                        self.lines[year, kind].append(line)
        BudgetLine.objects.bulk_create(new, batch_size=1000)
        self.all_lines = rows
        return len(new)

    # Contracts ----------------------------------------------------------------------------
    def create_contracts(self):
        rng, contracts, lots = self.rng, [], []
        progress = Progress(self.stdout, "marchés", self.n_contracts)
        for index in range(self.n_contracts):
            kind = rng.choice(list(KINDS))
            start = date(2021, 1, 1) + timedelta(days=rng.randint(0, 1900))
            allowed = rng.choice([0, 0, 1, 2, 3])
            contract = Contract(
                object=f"{OBJECTS[kind]} n° {index + 1}",
                kind=kind,
                category=self.categories.get(rng.choice(KINDS[kind])),
                procedure=rng.choice(PROCEDURES),
                is_framework=kind != "works" and rng.random() < 0.45,
                notified_on=start - timedelta(days=rng.randint(10, 45)),
                start_date=start,
                duration_months=rng.choice([12, 24, 36, 48]),
                renewals_allowed=allowed,
                renewals_done=rng.randint(0, allowed),
                renewal_months=12,
                tax_rate=self.rates["TR" if kind == "works" else "TN"],
            )
            contract.end_date = contract.compute_end_date(extension_months=0)
            contract.status = (
                Contract.Status.IN_FORCE
                if contract.end_date >= LAST_DAY
                else Contract.Status.COMPLETED
            )
            contracts.append(contract)
        set_reference(contracts)
        for batch in batched(contracts, BATCH):
            Contract.objects.bulk_create(batch)
            progress.advance(len(batch))
        for contract in contracts:
            for number in range(1, rng.choice([1, 1, 1, 2, 3]) + 1):
                amount = rng.choice([2, 5, 9, 15, 30, 60]) * 1_000_000
                lot = ContractLot(
                    contract=contract,
                    number=number,
                    title=f"Lot {number}",
                    holder_id=rng.choice(self.companies),
                    amount_excl_tax=amount,
                    tax_rate=contract.tax_rate,
                    minimum_excl_tax=amount // 5 if contract.is_framework else None,
                    maximum_excl_tax=amount * 2 if contract.is_framework else None,
                )
                lot.amount_incl_tax = lot.compute_amount_incl_tax()
                lots.append(lot)
        ContractLot.objects.bulk_create(lots, batch_size=BATCH)
        self.contracts, self.lots = contracts, lots
        # Lots that can be ordered: their contract's execution meets the seeded years.
        self.windows = []
        for lot in lots:
            contract = lot.contract
            first = max(contract.start_date, FIRST_DAY)
            last = min(contract.end_date, LAST_DAY)
            if first <= last:
                self.windows.append((lot, first, (last - first).days))
        return len(contracts), len(lots)

    # Orders, commitments, invoices ---------------------------------------------------------
    def orders(self):
        """The orders: nine in ten against a lot (a few lots very busy), the rest outside."""
        rng = self.rng
        busy = self.windows[:10]
        outside = defaultdict(list)  # year → a few lines for the orders outside contracts
        for line in self.all_lines:
            if len(outside[line.fiscal_year.year]) < 40:
                outside[line.fiscal_year.year].append(line)
        for index in range(self.n_orders):
            amount = rng.choice([45, 120, 280, 650, 1_400, 3_200]) * 1_000
            if self.windows and rng.random() < 0.9:
                lot, first, span = rng.choice(busy if rng.random() < 0.15 else self.windows)
                day = first + timedelta(days=rng.randint(0, span))
                kind = lot.contract.kind
                line = rng.choice(self.lines[day.year, kind])
                order = PurchaseOrder(
                    lot=lot,
                    supplier_id=lot.holder_id,
                    category_id=lot.contract.category_id,
                    tax_rate=lot.tax_rate,
                )
                self.ordered[lot.pk] += amount
            else:
                day = FIRST_DAY + timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
                line = rng.choice(outside[day.year])
                order = PurchaseOrder(
                    supplier_id=rng.choice(self.companies),
                    category=self.categories.get(rng.choice(KINDS["supplies"])),
                    tax_rate=self.rates["TN"],
                )
            order.issued_on = day
            order.object = f"Commande {index + 1}"
            order.budget_line = line
            order.amount_excl_tax = amount
            order.amount_incl_tax = order.compute_amount_incl_tax()
            order.delivery_expected_on = day + timedelta(days=20)
            if rng.random() < 0.02:
                order.status = PurchaseOrder.Status.CANCELLED
                if order.lot_id:
                    self.ordered[order.lot_id] -= amount
            elif day + timedelta(days=20) <= LAST_DAY:
                order.status = PurchaseOrder.Status.DELIVERED
            else:
                order.status = PurchaseOrder.Status.ISSUED
            yield order

    def commit(self, orders):
        commitments = []
        for order in orders:
            active = order.status != PurchaseOrder.Status.CANCELLED
            commitments.append(
                Commitment(
                    order=order,
                    budget_line=order.budget_line,
                    committed_on=order.issued_on,
                    object=order.object,
                    supplier_id=order.supplier_id,
                    contract_id=order.lot.contract_id if order.lot_id else None,
                    amount=order.amount_incl_tax,
                    status=Commitment.Status.ACTIVE if active else Commitment.Status.CANCELLED,
                )
            )
        number_rows(commitments, "commitment", "committed_on")
        Commitment.objects.bulk_create(commitments)
        return commitments

    def invoice(self, order, commitment, amount, part):
        rng = self.rng
        received = min(order.issued_on + timedelta(days=rng.randint(10, 60)), LAST_DAY)
        done = received - timedelta(days=rng.randint(0, 5))
        done = max(done, order.issued_on)
        roll = rng.random()
        if roll < 0.05:
            paid = None
        elif roll < 0.15:
            paid = received + timedelta(days=rng.randint(31, 90))
        else:
            paid = received + timedelta(days=rng.randint(5, 29))
        if paid and paid > LAST_DAY:
            paid = None
        invoice = Invoice(
            supplier=self.company_rows[order.supplier_id],
            supplier_reference=f"{order.number}-{part}",
            order=order,
            commitment=commitment,
            issued_on=received - timedelta(days=rng.randint(0, 3)),
            received_on=received,
            service_done_on=done,
            paid_on=paid,
            amount_excl_tax=amount,
            tax_rate=order.tax_rate,
            payment_reference=f"Mandat {order.number}-{part}" if paid else "",
        )
        invoice.amount_incl_tax = invoice.compute_amount_incl_tax()
        payments.apply_delay(invoice, today=LAST_DAY, lookups=self.lookups)
        return invoice

    def seed_orders(self):
        progress = Progress(self.stdout, "commandes, engagements et factures", self.n_orders)
        active = self.n_orders  # an upper bound: cancelled orders have no invoice
        extra = max(self.n_invoices - active, 0)
        made_invoices = 0
        for batch in batched(self.orders(), BATCH):
            number_rows(batch, "order", "issued_on")
            PurchaseOrder.objects.bulk_create(batch)
            commitments = self.commit(batch)
            invoices = []
            for order, commitment in zip(batch, commitments, strict=True):
                if order.status == PurchaseOrder.Status.CANCELLED:
                    extra += 1  # another order gets two invoices instead
                    continue
                if made_invoices + len(invoices) >= self.n_invoices:
                    continue
                if extra and order.amount_excl_tax >= 120_000:
                    first = round(order.amount_excl_tax * 0.6, -3)
                    invoices.append(self.invoice(order, commitment, first, 1))
                    invoices.append(
                        self.invoice(order, commitment, order.amount_excl_tax - first, 2)
                    )
                    extra -= 1
                else:
                    invoices.append(self.invoice(order, commitment, order.amount_excl_tax, 1))
            invoices = invoices[: self.n_invoices - made_invoices]
            number_rows(invoices, "invoice", "received_on")
            Invoice.objects.bulk_create(invoices)
            create_deadlines(invoices)
            made_invoices += len(invoices)
            progress.advance(len(batch))
        return made_invoices

    # Closing ------------------------------------------------------------------------------
    def settle(self):
        """Credits voted to what each line's commitments take plus a margin; lot ceilings to
        what was ordered on them plus a margin; years before the last closed."""
        committed = dict(
            Commitment.objects.filter(
                budget_line__in=self.all_lines, status=Commitment.Status.ACTIVE
            )
            .values("budget_line")
            .annotate(total=Sum("amount"))
            .values_list("budget_line", "total")
        )
        for line in self.all_lines:
            wanted = round_up(int(committed.get(line.pk, 0) * 1.15) + 1_000_000)
            line.voted_amount = max(line.voted_amount, wanted)
        BudgetLine.objects.bulk_update(self.all_lines, ["voted_amount"], batch_size=1000)
        changed = []
        for lot in self.lots:
            ordered = self.ordered[lot.pk]
            if ordered > (lot.ceiling or 0):
                if lot.maximum_excl_tax is not None:
                    lot.maximum_excl_tax = round_up(int(ordered * 1.1))
                else:
                    lot.amount_excl_tax = round_up(int(ordered * 1.1))
                    lot.amount_incl_tax = lot.compute_amount_incl_tax()
                changed.append(lot)
        ContractLot.objects.bulk_update(
            changed, ["maximum_excl_tax", "amount_excl_tax", "amount_incl_tax"], batch_size=1000
        )
        FiscalYear.objects.filter(year__lt=YEARS[-1], year__in=YEARS).update(
            status=FiscalYear.Status.CLOSED
        )
        return create_deadlines([c for c in self.contracts if c.status == "in_force"])


def seed(*, size, stdout):
    """Create the procurement of the size: lines, contracts, lots, orders, commitments,
    invoices."""
    started = time.monotonic()
    seeder = Seeder(size, stdout)
    lines = seeder.create_budget()
    contracts, lots = seeder.create_contracts()
    invoices = seeder.seed_orders()
    deadlines = seeder.settle()
    stdout.write(
        f"Marchés et budget : {lines:,} lignes budgétaires, {contracts:,} marchés ({lots:,} lots), "
        f"{seeder.n_orders:,} commandes et engagements, {invoices:,} factures, "
        f"{deadlines:,} échéances de marchés en {time.monotonic() - started:.1f} s."
    )
