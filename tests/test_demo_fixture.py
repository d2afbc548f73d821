"""The suite's own speed-ups give the tests what the slow way gave them (tests/fixtures/)."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from krets.models import AuditEvent
from members.models import Member
from tests.factories import MemberFactory


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


@pytest.mark.django_db
def test_the_demo_fixture_adds_the_rows_a_real_load_adds(_demo_snapshot):
    before = row_counts()
    call_command("load_demo", verbosity=0)
    added = {label: n - before[label] for label, n in row_counts().items() if n != before[label]}

    copied = {model._meta.label: len(objs) for model, objs in _demo_snapshot.inserts}
    assert added == copied
    assert added["members.Member"] > 300


@pytest.mark.django_db
def test_the_demo_fixture_gives_working_logins_and_room_for_new_rows(demo):
    user = authenticate(email="ordforande@example.org", password="kretsdemo")
    assert user is not None and Member.objects.filter(user=user).exists()
    # New rows take keys after the demo's.
    newcomer = MemberFactory()
    assert newcomer.pk > max(Member.objects.exclude(pk=newcomer.pk).values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_the_flush_after_a_transactional_test_empties_every_table(demo):
    # The audit log refuses DELETE on PostgreSQL: the flush must truncate it.
    AuditEvent.objects.create(action=AuditEvent.Action.LOGIN, actor_label="test")
    assert row_counts()["krets.AuditEvent"] > 1

    call_command(
        "flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=False
    )

    kept = {"contenttypes.ContentType", "auth.Permission"}
    assert {label: n for label, n in row_counts().items() if n and label not in kept} == {}


# Files whose load_demo calls test the command itself: idempotency, other dates, real members
# beside the demo, backups, migrations, and the fixture's own check above.
LOADS_FOR_REAL = {
    "test_backup.py",
    "test_demo_fixture.py",
    "test_demo_years.py",
    "test_dues_invoices.py",
    "test_goals_plan.py",
    "test_goals_programme_links.py",
    "test_house_migration.py",
    "test_meetings_planning.py",
    "test_members_demo.py",
    "test_visitors_doors.py",
}


def test_tests_take_the_demo_from_the_fixture():
    tests = Path(__file__).resolve().parent
    calling = {
        path.name
        for path in tests.rglob("*.py")
        if path.parent.name != "fixtures" and '"load_demo"' in path.read_text()
    }
    assert calling - LOADS_FOR_REAL == set(), (
        "load the demo with the `demo` fixture (tests/fixtures/demo.py): a real load costs "
        "5-10 s a test. A test of load_demo itself is named in LOADS_FOR_REAL."
    )
