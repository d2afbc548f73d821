"""Moving Newsletter from campaigns to its own app keeps every row (issue 10, item 3).

The database is taken back to the layout before the move (campaigns 0003), newsletters and a
send in the engine are written through the historical models of that layout, and the database
is migrated forward again: the rows, their values, the beat jobs and the engine's kinds survive.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the layout migration is checked on PostgreSQL, the production database "
        "(set DATABASE_URL)",
    ),
]

BEFORE = [("campaigns", "0003_newsletter_schedules")]
FIELDS = ["id", "subject", "body", "audience", "district_id", "joined_months", "state"]
FIELDS += ["send_at", "started_at", "sent_at", "mail_send_id", "created_by_id"]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_rows(apps) -> dict[int, tuple]:
    Newsletter = apps.get_model("campaigns", "Newsletter")
    return {row[0]: row for row in Newsletter.objects.order_by("pk").values_list(*FIELDS)}


def _write_old_layout(apps) -> None:
    District = apps.get_model("members", "District")
    User = apps.get_model("members", "User")
    MailSend = apps.get_model("krets", "MailSend")
    Newsletter = apps.get_model("campaigns", "Newsletter")
    storvik = District.objects.create(name="Storvik")
    writer = User.objects.create(email="skribent@example.org", password="!")
    send = MailSend.objects.create(
        kind="campaigns.newsletter",
        key="newsletter:old",
        state="paused",
        chunk_size=200,
        params={"newsletter_id": 0},
    )
    now = timezone.now().replace(microsecond=0)
    Newsletter.objects.create(
        subject="Skickat & klart <i>",
        body="**Hej** alla",
        state="skickad",
        started_at=now - datetime.timedelta(days=40),
        sent_at=now - datetime.timedelta(days=40),
        created_by=writer,
    )
    paused = Newsletter.objects.create(
        subject="Till Storvik",
        body="Möte i Storvik",
        audience="kommundel",
        district=storvik,
        state="pausad",
        started_at=now,
        mail_send=send,
    )
    send.params = {"newsletter_id": paused.pk}
    send.save()
    Newsletter.objects.create(
        subject="Nya medlemmar",
        body="Välkomna",
        audience="nya",
        joined_months=3,
        state="schemalagd",
        send_at=now + datetime.timedelta(days=2),
    )
    for n in range(20):
        Newsletter.objects.create(subject=f"Utkast {n}", body="text " * n)
    # The beat jobs as campaigns 0003 wrote them (an earlier test's flush may have removed them).
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    for name, task in [
        ("Nyhetsbrev: starta schemalagda", "campaigns.newsletters_dispatch_due"),
        ("Nyhetsbrev: påminn om månadens brev", "campaigns.newsletter_monthly_reminder"),
    ]:
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "interval": every_minute}
        )
    MailSend.objects.create(
        kind="campaigns.newsletter_reminder", key="newsletter-reminder:2026-01", state="done",
        chunk_size=200,
    )  # fmt: skip


def test_moving_newsletters_to_their_own_app_keeps_every_row():
    old_apps = _migrate(BEFORE)
    _write_old_layout(old_apps)
    before = _old_rows(old_apps)
    assert len(before) == 23

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType
    from django_celery_beat.models import PeriodicTask

    from krets.models import MailSend
    from newsletters.models import Newsletter

    after = {row[0]: row for row in Newsletter.objects.order_by("pk").values_list(*FIELDS)}
    assert after == before
    paused = Newsletter.objects.select_related("mail_send", "district").get(subject="Till Storvik")
    assert paused.district.name == "Storvik"
    assert paused.mail_send.kind == "newsletters.newsletter"  # a paused send finds its kind
    assert set(MailSend.objects.values_list("kind", flat=True)) == {
        "newsletters.newsletter",
        "newsletters.reminder",
    }
    tasks = set(
        PeriodicTask.objects.filter(name__startswith="Nyhetsbrev").values_list("task", flat=True)
    )
    assert tasks == {"newsletters.dispatch_due", "newsletters.monthly_reminder"}
    assert ContentType.objects.get_for_model(Newsletter).app_label == "newsletters"
    assert not ContentType.objects.filter(app_label="campaigns", model="newsletter").exists()


def test_moving_back_keeps_the_rows_too():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    from newsletters.models import Newsletter

    Newsletter.objects.create(subject="Kvar", body="efter vägen tillbaka")
    old_apps = _migrate(BEFORE)
    assert list(
        old_apps.get_model("campaigns", "Newsletter").objects.values_list("subject", flat=True)
    ) == ["Kvar"]
    _migrate(leaves)
    assert list(Newsletter.objects.values_list("subject", flat=True)) == ["Kvar"]
