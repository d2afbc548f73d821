"""Workers that fail loudly (issue 13, item 9): no database or broker, no "ready"; a database
error retries with back-off; a link mail that cannot be queued is reported as not sent."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from krets.celery import app as celery_app
from krets.mail.models import MailSend
from krets.models import AuditEvent
from tests.factories import MemberFactory
from tests.fixtures.celery_worker import database_url

ROOT = Path(__file__).resolve().parents[1]


def run_worker(**env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="krets.settings", PYTHONUNBUFFERED="1", **env_overrides)
    command = [sys.executable, "-m", "celery", "-A", "krets", "worker", "--pool=solo"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=90, check=False
    )


def test_worker_pointed_at_a_missing_database_exits_non_zero_without_reporting_ready():
    result = run_worker(DATABASE_URL="postgres://postgres@127.0.0.1:5432/krets_no_such_database")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert " ready." not in output
    assert "cannot reach its database" in output


@pytest.mark.django_db
def test_worker_with_an_unreachable_broker_exits_non_zero_without_reporting_ready():
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL: the worker must reach the test database")
    result = run_worker(
        DATABASE_URL=database_url(connection.settings_dict), REDIS_URL="redis://127.0.0.1:1/0"
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert " ready." not in output
    assert "cannot reach its broker" in output


calls = {"n": 0}


@celery_app.task(name="tests.flaky_database")
def flaky_database() -> str:
    calls["n"] += 1
    if calls["n"] <= 2:
        raise OperationalError("server closed the connection unexpectedly")
    return "klar"


@pytest.mark.django_db
def test_task_that_hits_a_database_error_is_retried(monkeypatch):
    # As a worker runs it: the error is not raised to the caller, the retry runs again.
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    calls["n"] = 0
    result = flaky_database.apply()
    assert result.get() == "klar"
    assert calls["n"] == 3


@pytest.mark.django_db(transaction=True)  # autocommit: the task is queued at once, as in production
def test_link_mail_that_cannot_be_queued_is_reported_as_not_sent(client_as, settings, monkeypatch):
    # A broker that refuses connections, as Redis does when it is down.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_write_url", None)
    monkeypatch.setitem(celery_app.conf, "broker_connection_timeout", 1)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    member = MemberFactory(email="anna@example.org")
    client = client_as("medlemsansvarig")
    response = client.post(reverse("members:send_link", args=[member.pk]), follow=True)
    page = response.content.decode()
    assert "Länken kunde inte skickas: e-postkön svarar inte just nu." in page
    assert "skickas till anna@example.org" not in page
    assert not AuditEvent.objects.filter(detail__self_service_link="sent").exists()
    # Nothing will surprise the member later: the send is cancelled, not left "skickas".
    assert list(MailSend.objects.values_list("state", flat=True)) == [MailSend.State.CANCELLED]
