"""Imports read, check and save files a block of rows at a time: the guarantees across blocks.

The engine checks keys and unique values a block at a time, builds one form per file for all
its rows and saves a block under one savepoint. These tests shrink the blocks to a few rows so
that a small file spans several of them, and check that nothing is lost at their borders.
"""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.imports import engine, jobs
from dpti.core.imports.constraints import UnsupportedConditionError, compile_condition
from dpti.core.models import ImportJob
from dpti.core.registry import registry
from dpti.directory.models import OrganisationUnit, Person
from tests.factories import CompanyFactory, OrganisationUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db

BLOCK = 3


def french(message, **values):
    with translation.override("fr"):
        text = gettext(message)
    return text % values if values else text


def csv_bytes(rows):
    return ("\n".join(";".join(str(c) for c in row) for row in rows) + "\n").encode()


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(engine, "BLOCK_ROWS", BLOCK)


@pytest.fixture
def admin(user_with_role):
    return user_with_role(roles.ADMINISTRATOR)


def run(user, type_label, rows, action=jobs.VALIDATE):
    """Create a job for a CSV file of `rows` (header first), run it and return it reloaded."""
    job = jobs.create_job(registry.get(type_label), user, "fichier.csv", csv_bytes(rows))
    with translation.override("fr"):
        job.report["language"] = "fr"
        jobs.execute(job, action)
    job.refresh_from_db()
    return job


def errors_of(job, number):
    return next(row["errors"] for row in job.report["rows"] if row["row"] == number)


def people(count, start=0):
    header = ["last_name", "first_name", "email", "phone"]
    return [header] + [
        [f"Nom{i}", "Marie", f"p{i}@congres.nc", "27 31 29"] for i in range(start, start + count)
    ]


def test_duplicate_key_in_two_blocks_names_the_first_row(admin, small_blocks):
    """A key repeated three blocks later is refused on its second row, naming the first."""
    rows = people(10)
    rows[9][2] = rows[2][2]  # row 10 of the sheet repeats the e-mail of row 3 (blocks 1 and 3)
    job = run(admin, "directory.person", rows)
    assert job.status == ImportJob.Status.INVALID
    message = french("“%(value)s” is already on row %(row)d; a key may appear only once.") % {
        "value": "p1@congres.nc",
        "row": 3,
    }
    assert errors_of(job, 10) == [f"email\u00a0: {message}"]
    assert job.report["counts"] == {"create": 9, "update": 0, "unchanged": 0, "error": 1}


def test_unique_value_in_two_blocks_and_in_the_database(admin, user_with_role, small_blocks):
    """A unique non-key value (the user account) repeated across blocks, or already stored,
    is refused on the right rows only."""
    taken, free = user_with_role(None), user_with_role(None)
    PersonFactory(user=taken)
    rows = [[*row, ""] for row in people(8)]
    rows[0][-1] = "user account"
    rows[2][-1] = free.username  # sheet row 3, block 1
    rows[7][-1] = free.username  # sheet row 8, block 3
    rows[5][-1] = taken.username  # sheet row 6, block 2: stored already
    job = run(admin, "directory.person", rows)
    assert errors_of(job, 3) == []
    assert errors_of(job, 8) == [
        "user account\u00a0: "
        + french("The same value is already on row %(row)d of the file.") % {"row": 3}
    ]
    with translation.override("fr"):
        stored = " ".join(Person().unique_error_message(Person, ["user"]).messages)
    assert errors_of(job, 6) == [f"user account\u00a0: {stored}"]
    assert job.report["counts"]["error"] == 2


def test_a_bad_row_in_the_last_block_saves_nothing(admin, small_blocks):
    """A commit whose only bad row is in the last (partial) block keeps none of the rows
    saved by the blocks before it."""
    rows = people(8)  # blocks of rows 2-4, 5-7, 8-9
    rows[8][2] = "pas-une-adresse"  # sheet row 9
    job = run(admin, "directory.person", rows, jobs.COMMIT)
    assert job.status == ImportJob.Status.INVALID
    assert len(errors_of(job, 9)) == 1
    assert errors_of(job, 9)[0].startswith("email\u00a0: ")
    assert not Person.objects.filter(email__endswith="@congres.nc").exists()


def test_row_errors_are_the_forms_and_do_not_leak_to_the_next_row(admin):
    """Rows share one form's fields: each bad row gets exactly the messages the add screen's
    form gives for its values, and the good row after it gets none."""
    bad = {"last_name": "N" * 101, "first_name": "Marie", "email": "pas-une-adresse"}
    form = registry.get("directory.person").form(data=bad, user=admin)
    with translation.override("fr"):
        assert not form.is_valid()
        expected = sorted(
            f"{name}\u00a0: {message}"
            for name in ("last_name", "email")
            for message in form.errors[name]
        )
    rows = [
        ["last_name", "first_name", "email"],
        [bad["last_name"], "Marie", bad["email"]],
        ["Bon", "Marie", "bon@congres.nc"],
        [bad["last_name"], "Marie", "autre-" + bad["email"]],
    ]
    job = run(admin, "directory.person", rows)
    assert len(expected) == 2
    assert sorted(errors_of(job, 2)) == expected
    assert errors_of(job, 3) == []
    assert len(errors_of(job, 4)) == 2


def validation_queries(user, rows):
    with CaptureQueriesContext(connection) as queries:
        job = run(user, "directory.person", rows)
    assert job.status == ImportJob.Status.VALIDATED, job.report
    return len(queries.captured_queries)


def test_validation_queries_grow_with_blocks_not_rows(admin, small_blocks):
    """Validating rows naming units and companies, some updating stored people, costs a fixed
    number of queries per block of rows, whatever the number of rows in the block."""
    units = OrganisationUnitFactory.create_batch(2)
    companies = CompanyFactory.create_batch(2)
    stored = PersonFactory.create_batch(2)

    def sheet(count):
        rows = [["last_name", "first_name", "kind", "unit", "company", "email"]]
        for i in range(count):
            email = stored[i].email if i < len(stored) else f"q{i}@congres.nc"
            kind = "contractor_staff" if i % 2 else "agent"
            rows.append(
                [f"Nom{i}", "Marie", kind, units[i % 2].code, companies[i % 2].ridet, email]
            )
        return rows

    validation_queries(admin, sheet(1))  # warm caches (content types, permissions)
    one_block = validation_queries(admin, sheet(BLOCK))
    two_blocks = validation_queries(admin, sheet(2 * BLOCK))
    per_block = two_blocks - one_block
    # A block of new people: which of its e-mails are stored (the key), then whether the
    # cleaned e-mails are taken (the unique constraint). Units and companies are few: loaded
    # once with the first block.
    assert per_block == 2
    assert validation_queries(admin, sheet(6 * BLOCK)) == one_block + 5 * per_block
    # A partial block costs what a full one does.
    assert validation_queries(admin, sheet(6 * BLOCK - 1)) == one_block + 5 * per_block


def test_commit_takes_one_savepoint_per_block(admin, small_blocks):
    """Saving rows takes one savepoint per block, not one per row: 2 more blocks, 2 more."""

    def savepoints(rows):
        with CaptureQueriesContext(connection) as queries:
            job = run(admin, "directory.person", rows, jobs.COMMIT)
        assert job.status == ImportJob.Status.DONE, job.report
        return sum(q["sql"].startswith("SAVEPOINT") for q in queries.captured_queries)

    one_block = savepoints(people(BLOCK))
    assert savepoints(people(3 * BLOCK, start=100)) == one_block + 2
    assert Person.objects.count() == 4 * BLOCK


def test_a_new_row_costs_its_insert_and_nothing_more(admin, small_blocks):
    """Saving a block of new people costs one INSERT per person, its history entries one
    INSERT for the block, and no look-up of deadlines a new record cannot have yet."""

    def commit_queries(rows):
        with CaptureQueriesContext(connection) as queries:
            job = run(admin, "directory.person", rows, jobs.COMMIT)
        assert job.status == ImportJob.Status.DONE, job.report
        return [q["sql"] for q in queries.captured_queries]

    commit_queries(people(BLOCK))  # warm caches (content types, permissions)
    one_block = commit_queries(people(BLOCK, start=100))
    three_blocks = commit_queries(people(3 * BLOCK, start=200))
    added = len(three_blocks) - len(one_block)
    # Per added block: its rows' inserts, one insert of their history entries, the block's
    # savepoint and release, and the two validation queries of a block.
    assert added == 2 * (BLOCK + 1 + 2 + 2)
    assert not [sql for sql in three_blocks if "core_deadline" in sql]
    entries = LogEntry.objects.filter(content_type__model="person", action=LogEntry.Action.CREATE)
    assert entries.count() == Person.objects.count() == 5 * BLOCK
    assert set(entries.values_list("actor", flat=True)) == {admin.pk}
    newest = Person.objects.get(email=f"p{200 + 3 * BLOCK - 1}@congres.nc")
    entry = entries.get(object_pk=str(newest.pk))
    assert entry.object_repr == str(newest)
    assert entry.changes["email"] == ["None", newest.email]


def test_a_row_refused_by_the_database_is_named_after_its_block_is_replayed(
    admin, small_blocks, monkeypatch
):
    """When the database refuses a row while its block is saved, the block is rolled back and
    saved again row by row: only that row is in error (its neighbours, a unit naming a parent
    created in the same block, are fine) and nothing is kept."""
    unit_type = registry.get("directory.organisationunit")

    def before_save(obj, user):
        if obj.name == "Refusée":
            obj.code = "DIR"  # taken by the row above: the INSERT fails on the unique index

    monkeypatch.setattr(unit_type, "before_save", before_save)
    rows = [
        ["code", "name", "kind", "parent unit"],
        ["DIR", "Direction", "directorate", ""],
        ["SRV", "Service", "service", "DIR"],
        ["BAD", "Refusée", "service", "DIR"],
        ["BUR", "Bureau", "service", "SRV"],
    ]
    job = run(admin, "directory.organisationunit", rows, jobs.COMMIT)
    assert job.status == ImportJob.Status.INVALID
    assert errors_of(job, 2) == errors_of(job, 3) == errors_of(job, 5) == []
    (message,) = errors_of(job, 4)
    assert message.startswith(french("The database refused this row: %(error)s") % {"error": ""})
    assert job.report["counts"]["error"] == 1
    assert not OrganisationUnit.objects.filter(code__in=["DIR", "SRV", "BAD", "BUR"]).exists()


def test_a_blocks_rows_saved_before_a_refused_row_are_saved_again_as_they_were(
    admin, small_blocks, monkeypatch
):
    """The replay of a block starts from the records as they were before the first attempt:
    a row saved then rolled back is new again (no id), not an update of a row that is gone."""
    unit_type = registry.get("directory.organisationunit")
    attempts = []

    def before_save(obj, user):
        attempts.append((obj.code, obj.pk, obj._state.adding))
        if obj.name == "Refusée":
            obj.code = "AAA"

    monkeypatch.setattr(unit_type, "before_save", before_save)
    rows = [
        ["code", "name", "kind"],
        ["AAA", "Première", "service"],
        ["BBB", "Refusée", "service"],
    ]
    run(admin, "directory.organisationunit", rows, jobs.COMMIT)
    # First attempt of the block, then its replay: each record new (no pk) both times.
    assert attempts == [
        ("AAA", None, True),
        ("BBB", None, True),
        ("AAA", None, True),
        ("BBB", None, True),
    ]


@pytest.mark.parametrize(
    ("condition", "kind", "company", "expected"),
    [
        (~Q(kind="contractor_staff") | Q(company__isnull=False), "agent", None, True),
        (~Q(kind="contractor_staff") | Q(company__isnull=False), "contractor_staff", None, False),
        (~Q(kind="contractor_staff") | Q(company__isnull=False), "contractor_staff", 1, True),
        (Q(kind="agent") & Q(company=None), "agent", None, True),
        (Q(kind__in=["agent", "other"]), "other", None, True),
        # SQL's three values: a comparison with NULL is unknown, and so is its negation.
        (Q(company=3), "agent", None, None),
        (~Q(company=3), "agent", None, None),
        (Q(company=3) | Q(kind="agent"), "agent", None, True),
        (Q(company=3) & Q(kind="agent"), "agent", None, None),
        (Q(company=3) & Q(kind="other"), "agent", None, False),
    ],
)
def test_compiled_conditions_follow_sql_logic(condition, kind, company, expected):
    """Conditions of constraints are evaluated on unsaved rows the way the database would."""
    person = Person(kind=kind, company_id=company)
    assert compile_condition(condition, Person)(person) is expected


def test_conditions_beyond_simple_fields_are_left_to_django():
    """A condition across a relation cannot be compiled; an unsaved related record's id is
    unknown, so the compiled test refuses to guess."""
    with pytest.raises(UnsupportedConditionError):
        compile_condition(Q(company__name="X"), Person)
    test = compile_condition(Q(company__isnull=False), Person)
    person = Person(company=CompanyFactory.build())
    with pytest.raises(UnsupportedConditionError):
        test(person)


def test_new_records_are_made_like_fresh_ones():
    """The import's new records are copies of one made once: each has what `Model()` gives,
    its own state and its own value of every callable default (a fresh secret, a new dict)."""
    from dpti.core.imports.engine import new_records
    from dpti.core.models import CalendarToken

    for model in (Person, OrganisationUnit, ImportJob, CalendarToken):
        make = new_records(model)
        first, second, fresh = make(), make(), model()
        assert type(first) is model
        assert first._state is not second._state
        assert first._state.adding
        assert first._state.db is None
        called = {f.attname for f in model._meta.concrete_fields if callable(f.default)}
        assert {k: v for k, v in vars(first).items() if k not in called | {"_state"}} == {
            k: v for k, v in vars(fresh).items() if k not in called | {"_state"}
        }
    jobs_made = new_records(ImportJob)
    one, two = jobs_made(), jobs_made()
    assert one.report == {}
    assert one.report is not two.report
    tokens = new_records(CalendarToken)
    assert tokens().secret != tokens().secret
