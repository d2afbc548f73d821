"""/healthz: public, no data, 200 only when the database, cache, broker and scheduler are fine."""

import datetime

import pytest
from django.utils import timezone

from krets.celery import app
from krets.health import health_report, heartbeat_record
from krets.tasks import heartbeat
from tests.factories import MemberFactory

URL = "/healthz"


@pytest.fixture
def member_data(db):
    return MemberFactory(email="hemlig@example.org", first_name="Hemliga")


def test_healthz_answers_anyone_with_every_check_and_no_data(client, member_data):
    heartbeat_record()
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "scheduler"}
    assert "hemlig" not in response.content.decode().lower()
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control or "max-age=0" in cache_control


def test_healthz_fails_without_a_scheduler_tick(client, db):
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["scheduler"].startswith("fel")


def test_healthz_fails_when_the_last_tick_is_old(client, db):
    heartbeat_record(now=timezone.now() - datetime.timedelta(minutes=5))
    response = client.get(URL)
    assert response.status_code == 503
    assert "sedan" in response.json()["checks"]["scheduler"]


def test_healthz_fails_when_the_broker_is_unreachable(client, db, settings, monkeypatch):
    heartbeat_record()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(URL)
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"].startswith("fel")
    assert checks["database"] == "ok"


def test_the_heartbeat_task_records_the_tick(db):
    heartbeat.apply()
    assert health_report()[1]["scheduler"] == "ok"
