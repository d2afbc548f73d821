"""Issue 11 as its author tried it through the pages (review11): what the kassör's buttons do,
not only what the services can do when called the right way."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from dues import services
from dues.models import DuesInvoice, Fee, FeeCategory
from krets.templatetags.krets_format import sv_date
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.usefixtures("tasks_in_process")

# The pages run on today's date (a kassör's board term is dated), so the year is this one and
# the fee's due date lies ten days back.
TODAY = datetime.date.today()
YEAR = TODAY.year
DUE = TODAY - datetime.timedelta(days=10)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False)


@pytest.mark.django_db
def test_the_kassors_create_button_gives_a_late_joiner_a_due_date_and_no_reminder_the_next_day(
    client_as, django_capture_on_commit_callbacks, settings
):
    """In the issue: "a member who joined today got Påminnelse the same day". Through the
    fees page's button the new member's invoice had the year's due date (31 March), so the
    job the morning after the invoice went out sent a reminder."""
    settings.DUES_NEW_MEMBER_DAYS = 30
    fee = Fee.objects.create(
        year=YEAR, name="Ordinarie", category=FeeCategory.ORDINARY, amount=200, due_on=DUE
    )
    new = MemberFactory(email="ny@example.org", joined_on=TODAY, member_number=7001)
    client = client_as("kassor")
    client.post(reverse("dues:invoices_create", args=[fee.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dues:invoices_send") + f"?ar={YEAR}")
    invoice = DuesInvoice.objects.get(member=new)
    assert invoice.due_on == TODAY + datetime.timedelta(days=30)
    subjects = [f"Medlemsavgift {YEAR}: din avi"]
    assert [m.subject for m in mail.outbox if m.to == ["ny@example.org"]] == subjects
    [sent] = [m for m in mail.outbox if m.to == ["ny@example.org"]]
    assert sv_date(invoice.due_on) in sent.body
    for day in (TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=30)):
        with at(day), django_capture_on_commit_callbacks(execute=True):
            services.dues_reminders_run(year=YEAR)
    assert [m.subject for m in mail.outbox if m.to == ["ny@example.org"]] == subjects


@pytest.mark.django_db
def test_the_kassors_create_button_invoices_a_household_once_and_each_member_their_category(
    client_as,
):
    """The fees page had one button per fee that gave every member that fee: household
    members got an ordinary fee each besides the household's family fee."""
    fees = {
        category: Fee.objects.create(
            year=YEAR, name=name, category=category, amount=Decimal(amount), due_on=DUE
        )
        for name, category, amount in [
            ("Ordinarie", FeeCategory.ORDINARY, "200"),
            ("Ungdom", FeeCategory.YOUTH, "50"),
            ("Familj", FeeCategory.FAMILY, "300"),
        ]
    }
    kassor = UserFactory()
    anna, bo = MemberFactory(member_number=7101), MemberFactory(member_number=7102)
    young, alone = MemberFactory(member_number=7103), MemberFactory(member_number=7104)
    services.member_category_set(actor=kassor, member=young, category=FeeCategory.YOUTH)
    household = services.household_create(actor=kassor, name="Ek", payer=anna, members=[bo])
    client = client_as("kassor")
    page = client.get(reverse("dues:fees")).content.decode()
    assert page.count(f"Skapa avier {YEAR}") == 1  # one button for the year, not one per fee
    client.post(reverse("dues:invoices_create", args=[fees[FeeCategory.ORDINARY].pk]))
    assert not DuesInvoice.objects.filter(member=bo).exists()
    family = DuesInvoice.objects.get(member=anna)
    assert (family.household, family.amount) == (household, Decimal("300.00"))
    assert DuesInvoice.objects.get(member=young).amount == Decimal("50.00")
    assert DuesInvoice.objects.get(member=alone).amount == Decimal("200.00")


@pytest.mark.django_db
def test_a_bank_credit_matched_or_dismissed_by_hand_is_in_the_audit_log(client_as):
    """Item 6: payments are audited. A file's bookings were, in the file's entry; a credit the
    kassör matched to an invoice by hand, or took off the queue, left no trace of who did it."""
    from dues.models import Payment
    from krets.models import AuditEvent
    from tests.fixtures.dues import invoice_for, queued_bank_entry

    invoice = invoice_for(MemberFactory(), year=YEAR)
    matched, gift = queued_bank_entry(), queued_bank_entry()
    client = client_as("kassor")
    client.post(reverse("dues:bank_match", args=[matched.pk]), {"ocr": invoice.ocr})
    client.post(reverse("dues:bank_dismiss", args=[gift.pk]))
    client.post(reverse("dues:bank_dismiss", args=[gift.pk]))  # twice: one entry
    payment = Payment.objects.get(invoice=invoice)
    events = {
        e.detail["code"]: e
        for e in AuditEvent.objects.filter(action="dues_changed").select_related("actor")
    }
    assert events["bank_entry_matched"].target == f"avi:{invoice.pk}"
    assert events["bank_entry_matched"].detail["payment"] == str(payment.pk)
    assert events["bank_entry_matched"].detail["amount"] == "200.00"
    assert events["bank_entry_dismissed"].target == f"bankpost:{gift.pk}"
    for code in ("bank_entry_matched", "bank_entry_dismissed"):
        assert events[code].actor is not None  # the kassör, not a job
    codes = [e.detail["code"] for e in AuditEvent.objects.filter(action="dues_changed")]
    assert codes.count("bank_entry_dismissed") == 1
