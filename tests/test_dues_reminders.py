"""Unpaid dues: reminder 1, reminder 2, a personal-contact task; each step once."""

import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import connection

from dues import services
from dues.models import DuesReminder
from dues.selectors import reminder_steps_due
from members.models import MemberTask
from tests.factories import MemberFactory
from tests.fixtures.dues import invoice_for

pytestmark = pytest.mark.usefixtures("tasks_in_process")

DUE = datetime.date(2023, 3, 31)  # fee_for's due date


@pytest.fixture
def reminder_days(settings):
    settings.KRETS_DUES_REMINDER_1_DAYS = 14
    settings.KRETS_DUES_REMINDER_2_DAYS = 21


def run_on(day: datetime.date, captured) -> dict:
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(7)), tick=False):
        with captured(execute=True):
            return services.dues_reminders_run()


@pytest.mark.django_db
def test_steps_come_in_order_and_each_once_when_the_job_runs_twice(
    reminder_days, django_capture_on_commit_callbacks
):
    unpaid = invoice_for(MemberFactory(email="obetald@example.org"))
    paid = invoice_for(MemberFactory())
    services.payment_register(invoice=paid, amount=Decimal("200"), paid_on=DUE, method="swish")
    left = invoice_for(MemberFactory(left_on=datetime.date(2023, 4, 1)))

    assert run_on(DUE + datetime.timedelta(days=13), django_capture_on_commit_callbacks) == {
        1: 0,
        2: 0,
        3: 0,
    }
    day1 = DUE + datetime.timedelta(days=14)
    assert run_on(day1, django_capture_on_commit_callbacks) == {1: 1, 2: 0, 3: 0}
    assert run_on(day1, django_capture_on_commit_callbacks) == {1: 0, 2: 0, 3: 0}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["obetald@example.org"]
    assert "Påminnelse: medlemsavgiften 2023" == mail.outbox[0].subject
    assert unpaid.ocr in mail.outbox[0].body and "200,00 kr" in mail.outbox[0].body

    day2 = day1 + datetime.timedelta(days=21)
    assert run_on(day2 - datetime.timedelta(days=1), django_capture_on_commit_callbacks)[2] == 0
    assert run_on(day2, django_capture_on_commit_callbacks) == {1: 0, 2: 1, 3: 0}
    assert "Andra påminnelsen" in mail.outbox[1].subject
    day3 = day2 + datetime.timedelta(days=21)
    assert run_on(day3, django_capture_on_commit_callbacks) == {1: 0, 2: 0, 3: 1}
    assert run_on(day3 + datetime.timedelta(days=30), django_capture_on_commit_callbacks) == {
        1: 0,
        2: 0,
        3: 0,
    }
    assert len(mail.outbox) == 2
    task = MemberTask.objects.get(kind=MemberTask.Kind.DUES_CONTACT)
    assert task.member == unpaid.member and task.year == 2023
    assert set(DuesReminder.objects.values_list("invoice", flat=True)) == {unpaid.pk}
    assert not DuesReminder.objects.filter(invoice__in=[paid, left]).exists()


@pytest.mark.django_db
def test_constraint_refuses_a_second_row_for_the_same_step(reminder_days):
    invoice = invoice_for(MemberFactory())
    day = DUE + datetime.timedelta(days=20)
    assert services.reminder_step_take(invoice_id=invoice.pk, step=1, today=day)
    # As if a second beat had selected the same work before the first one claimed it.
    assert not services.reminder_step_take(invoice_id=invoice.pk, step=1, today=day)
    assert DuesReminder.objects.filter(invoice=invoice, step=1).count() == 1


@pytest.mark.django_db
def test_selection_is_one_query(reminder_days, django_assert_num_queries):
    for _ in range(5):
        invoice_for(MemberFactory())
    with django_assert_num_queries(1):
        due = reminder_steps_due(today=DUE + datetime.timedelta(days=30))
    assert len(due) == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_take_each_step_once(reminder_days, settings):
    invoices = [invoice_for(MemberFactory()) for _ in range(20)]
    day = DUE + datetime.timedelta(days=14)
    barrier = threading.Barrier(2)
    results = []

    def run():
        from django.db import connections

        try:
            barrier.wait()
            results.append(services.dues_reminders_run(today=day))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result[1] for result in results) == len(invoices)
    assert DuesReminder.objects.filter(step=1).count() == len(invoices)
    assert len(mail.outbox) == len(invoices)


@pytest.mark.django_db
def test_reminder_is_sent_once_even_if_handed_over_twice(
    reminder_days, django_capture_on_commit_callbacks
):
    from dues.services import dues_reminder_send
    from krets.mail.models import Delivery

    invoice = invoice_for(MemberFactory())
    reminder = DuesReminder.objects.create(invoice=invoice, step=1, created_on=DUE)
    with django_capture_on_commit_callbacks(execute=True):
        assert dues_reminder_send(reminder=reminder) is True
        assert dues_reminder_send(reminder=reminder) is False
    assert len(mail.outbox) == 1
    # The reminder went through the shared mail engine: one delivery, sent.
    delivery = Delivery.objects.get(send__key=f"dues-reminder:{reminder.pk}")
    assert delivery.state == Delivery.State.SENT
