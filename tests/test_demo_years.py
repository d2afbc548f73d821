"""The demo lives in today's year (2023 stays as history), loads on any date, loads twice to the
same data, and touches only its own rows (issue 14, items 6 and 7)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from campaigns.models import Campaign, Channel, PaidMarketing
from dues.models import DuesInvoice, DuesReminder, Fee, Payment
from goals.models import Activity, Goal, Target
from meetings.models import Kind, Matter, Meeting, Vote
from members.models import BoardAssignment, BoardFunction, Member, MemberTask
from newsletters.demo import SENT
from newsletters.models import Newsletter
from tests.factories import MemberFactory
from tests.fixtures.meetings import MeetingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]

STOCKHOLM = datetime.timezone(datetime.timedelta(hours=1))


def _at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=STOCKHOLM)


def _load(**options):
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"), **options)


def _status(invoice: DuesInvoice) -> str:
    paid = sum(p.amount for p in invoice.payments.all())
    return "paid" if paid >= invoice.amount else "part" if paid else "unpaid"


def _assert_lives_in(year: int, today: datetime.date) -> None:
    # The 2023 plan stays; this year has its own, carried over from it.
    assert Goal.objects.filter(year=2023).count() == 5
    assert Goal.objects.filter(year=year).count() == 5
    assert Activity.objects.filter(year=year).count() == Activity.objects.filter(year=2023).count()
    assert Target.objects.filter(goal__year=year).count() == 10
    # This year's dues: paid, part-paid and unpaid members; payments not in the future.
    invoices = DuesInvoice.objects.filter(year=year).prefetch_related("payments")
    assert {_status(invoice) for invoice in invoices} == {"paid", "part", "unpaid"}
    assert Fee.objects.filter(year=year).count() == 3
    assert all(
        year == p.paid_on.year and p.paid_on <= today
        for p in Payment.objects.filter(invoice__year=year)
    )
    # Meetings this year: chapter meetings rotating through the districts, board meetings, and
    # a council group meeting before the next council meeting, still ahead.
    chapter = Meeting.objects.filter(
        kind=Kind.CHAPTER, starts_at__year=year, title__startswith="Kretsmöte i"
    )
    assert chapter.count() == 11 and chapter.values("district").distinct().count() == 8
    assert Meeting.objects.filter(kind=Kind.BOARD, starts_at__year=year).count() == 11
    now = datetime.datetime.combine(today, datetime.time(), tzinfo=STOCKHOLM)
    assert Meeting.objects.filter(kind=Kind.COUNCIL_GROUP, starts_at__gt=now).exists()
    assert Meeting.objects.filter(starts_at__gt=now).count() >= 2
    # Newsletters sent this year, paid marketing this month, a campaign running now.
    sent = Newsletter.objects.filter(state=Newsletter.State.SENT, sent_at__year=year)
    assert sent.exists() and not sent.filter(sent_at__date__gt=today).exists()
    assert PaidMarketing.objects.filter(month=today.replace(day=1)).exists()
    running = Campaign.objects.get(status=Campaign.Status.RUNNING)
    assert running.starts_on <= today <= running.ends_on
    assert running.goals.filter(year=year).count() == 2
    # Work for the medlemsansvarig this month; nothing left open from 2023.
    open_tasks = MemberTask.objects.filter(done_on=None)
    assert open_tasks.filter(kind=MemberTask.Kind.WELCOME).exists()
    assert all((t.due_on.year, t.due_on.month) == (today.year, today.month) for t in open_tasks)


@time_machine.travel(_at(2027, 1, 1, 0, 30), tick=False)
def test_demo_loaded_on_new_years_day_lives_in_the_new_year():
    _load()
    _assert_lives_in(2027, datetime.date(2027, 1, 1))
    # Nothing is overdue on 1 January: no reminders for the new year yet.
    assert not DuesReminder.objects.filter(invoice__year=2027).exists()


@time_machine.travel(_at(2027, 12, 31, 22, 0), tick=False)
def test_demo_loaded_on_new_years_eve_stays_in_the_year():
    _load()
    _assert_lives_in(2027, datetime.date(2027, 12, 31))
    # Reminders went out in spring, contact tasks for the unpaid are due this month.
    assert DuesReminder.objects.filter(invoice__year=2027, step=2).exists()
    contact = MemberTask.objects.filter(kind=MemberTask.Kind.DUES_CONTACT, year=2027)
    assert contact.exists() and all(t.due_on.month == 12 for t in contact)


def _snapshot() -> dict:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    counts.pop("krets_auditevent")  # the log records each load; it holds no demo data
    samples = {
        "members": list(
            Member.objects.order_by("email").values_list("email", "member_number", "joined_on")
        ),
        "invoices": list(
            DuesInvoice.objects.order_by("ocr").values_list("ocr", "amount", "due_on")
        ),
        "payments": list(
            Payment.objects.order_by("invoice__ocr", "paid_on").values_list(
                "invoice__ocr", "amount", "paid_on"
            )
        ),
        "meetings": list(
            Meeting.objects.order_by("starts_at", "kind").values_list("kind", "starts_at", "status")
        ),
        "tasks": list(
            MemberTask.objects.order_by("member__email", "kind", "year").values_list(
                "member__email", "kind", "due_on", "done_on"
            )
        ),
        "newsletters": list(
            Newsletter.objects.order_by("subject").values_list("subject", "sent_at")
        ),
    }
    return {"counts": counts, **samples}


@time_machine.travel(_at(2027, 7, 15, 10, 0), tick=False)
def test_demo_loaded_twice_in_summer_leaves_the_same_data():
    _load()
    first = _snapshot()
    _assert_lives_in(2027, datetime.date(2027, 7, 15))
    _load()
    assert _snapshot() == first


def _real_member_with_unpaid_invoice():
    real = MemberFactory(email="anna.karlsson@hemma.se", member_number=1001)
    fee = Fee.objects.create(
        year=2027, name="Ordinarie", amount="300.00", due_on=datetime.date(2027, 3, 31)
    )
    invoice = DuesInvoice.objects.create(
        member=real, year=2027, fee=fee, amount=fee.amount, due_on=fee.due_on, ocr="1001270"
    )
    return real, invoice


@time_machine.travel(_at(2027, 11, 20, 10, 0), tick=False)
def test_demo_refuses_to_load_beside_a_real_member():
    real, invoice = _real_member_with_unpaid_invoice()
    with pytest.raises(CommandError, match="1 member.*--force"):
        _load()
    assert Member.objects.count() == 1 and DuesInvoice.objects.count() == 1


@time_machine.travel(_at(2027, 11, 20, 10, 0), tick=False)
def test_forced_demo_leaves_the_real_members_rows_untouched():
    real, invoice = _real_member_with_unpaid_invoice()
    _load(force=True)
    assert Member.objects.filter(email__endswith="@example.org").count() > 300
    real.refresh_from_db()
    invoice.refresh_from_db()
    assert (real.member_number, real.email) == (1001, "anna.karlsson@hemma.se")
    assert (invoice.amount, invoice.fee.amount) == (300, 300)
    assert list(DuesInvoice.objects.filter(member=real)) == [invoice]
    assert not Payment.objects.filter(invoice__member=real).exists()
    assert not DuesReminder.objects.filter(invoice__member=real).exists()
    assert not MemberTask.objects.filter(member=real).exists()
    assert not real.invitations.exists()
    # The demo's own unpaid members were chased as usual.
    assert DuesReminder.objects.filter(invoice__year=2027).exists()


def _chapters_own_rows_named_like_the_demos(real: Member) -> dict:
    """A real chapter's plan goal, campaign, newsletter, meeting and channel (with its
    marketing) bearing the demo's names, and its ordförande of 2023 (who sits in every
    decision group of that year)."""
    goal = Goal.objects.create(year=2023, number=1, title="Vårt eget mål")
    campaign = Campaign.objects.create(
        name="Landsbygden lever",
        purpose="Vår egen kampanj",
        starts_on=datetime.date(2023, 5, 1),
        ends_on=datetime.date(2023, 5, 31),
        budget=Decimal("123"),
    )
    newsletter = Newsletter.objects.create(subject=SENT[0][0], body="Vårt eget brev")
    meeting = MeetingFactory(title="Kretsmöte: vinterns frågor", address="Vårt eget hus")
    channel = Channel.objects.create(name="Facebook")
    marketing = PaidMarketing.objects.create(
        channel=channel, month=datetime.date(2023, 1, 1), planned=Decimal("99"), spent=Decimal("1")
    )
    BoardAssignment.objects.create(member=real, function=BoardFunction.CHAIR, year=2023)
    return {
        "goal": (goal, {"title": "Vårt eget mål", "demo": False}),
        "campaign": (campaign, {"purpose": "Vår egen kampanj", "budget": 123, "demo": False}),
        "newsletter": (newsletter, {"body": "Vårt eget brev", "state": "utkast", "demo": False}),
        "meeting": (meeting, {"address": "Vårt eget hus", "starts_at": meeting.starts_at}),
        "channel": (channel, {"demo": False}),
        "marketing": (marketing, {"planned": 99, "spent": 1}),
    }


@time_machine.travel(_at(2027, 11, 20, 10, 0), tick=False)
def test_forced_demo_leaves_the_chapters_own_rows_named_like_the_demos_untouched():
    real, _invoice = _real_member_with_unpaid_invoice()
    own = _chapters_own_rows_named_like_the_demos(real)
    _load(force=True)
    _load(force=True)  # and again: the second run finds only its own rows too

    for name, (row, fields) in own.items():
        row.refresh_from_db()
        assert {field: getattr(row, field) for field in fields} == fields, name
    # The chapter's 2023 plan is its own: the demo adds no goals, activities or targets to it.
    assert list(Goal.objects.filter(year=2023)) == [own["goal"][0]]
    assert not own["goal"][0].activities.exists()
    assert PaidMarketing.objects.filter(channel=own["channel"][0]).count() == 1
    # The demo has its own campaign, newsletter and meeting beside the chapter's.
    assert Campaign.objects.filter(name="Landsbygden lever", demo=True).count() == 1
    assert Newsletter.objects.filter(subject=SENT[0][0], demo=True).count() == 1
    assert Meeting.objects.filter(title="Kretsmöte: vinterns frågor", demo=True).count() == 1
    # The demo's matter seats only the demo's people, not the chapter's ordförande.
    matter = Matter.objects.get(title="Skolskjuts på landsbygden")
    assert matter.seats.exists() and not matter.seats.filter(member=real).exists()
    assert not Vote.objects.filter(member=real).exists()


@time_machine.travel(_at(2027, 7, 15, 10, 0), tick=False)
def test_a_demo_loaded_before_the_marker_is_adopted_and_reloads_in_place():
    _load()
    counts = (Goal.objects.count(), Meeting.objects.count(), Newsletter.objects.count())
    for model in (Goal, Activity, Campaign, Channel, Newsletter, Meeting):
        model.objects.update(demo=False)  # as rows written before the marker existed
    _load()
    assert (Goal.objects.count(), Meeting.objects.count(), Newsletter.objects.count()) == counts
    assert not Goal.objects.filter(demo=False).exists()
