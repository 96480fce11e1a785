"""Directory at scale: units, companies and people in bulk, for benchmarks."""

import random
import time

from dpti.directory.models import Company, OrganisationUnit, Person
from dpti.sampledata.directory.demo import FIRST_NAMES, FRENCH_NAMES, LOCAL_NAMES
from dpti.sampledata.scale import Progress, batched

# size → (units, companies, people)
SIZES = {
    "tiny": (10, 20, 200),
    "small": (50, 200, 5_000),
    "medium": (200, 1_000, 20_000),
    "large": (500, 2_000, 50_000),
}
BATCH = 5_000


def seed(*, size, stdout):
    """Create the directory of the given size (appends to what exists)."""
    rng = random.Random(6)
    n_units, n_companies, n_people = SIZES[size]
    started = time.monotonic()
    first_id = OrganisationUnit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    units = OrganisationUnit.objects.bulk_create(
        OrganisationUnit(
            code=f"U{first_id + i:05d}",
            name=f"Service {first_id + i}",
            kind=OrganisationUnit.Kind.SERVICE,
        )
        for i in range(n_units)
    )
    first_company = Company.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    companies = Company.objects.bulk_create(
        Company(
            name=f"Entreprise {first_company + i}",
            ridet=f"{2_000_000 + first_company + i:07d}.001",
            city="Nouméa",
        )
        for i in range(n_companies)
    )
    progress = Progress(stdout, "personnes", n_people)
    first_person = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def people():
        for i in range(n_people):
            number = first_person + i
            contractor = i % 10 == 0
            yield Person(
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LOCAL_NAMES + FRENCH_NAMES),
                kind=Person.Kind.CONTRACTOR_STAFF if contractor else Person.Kind.AGENT,
                unit=None if contractor else rng.choice(units),
                company=rng.choice(companies) if contractor else None,
                email=f"personne{number}@scale.congres.nc",
                phone=f"2{rng.randint(0, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                job_title="Agent",
            )

    for batch in batched(people(), BATCH):
        Person.objects.bulk_create(batch)
        progress.advance(len(batch))
    stdout.write(
        f"Annuaire : {n_units} unités, {n_companies} entreprises, {n_people:,} personnes "
        f"en {time.monotonic() - started:.1f} s."
    )
