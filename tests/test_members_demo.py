"""The demo registry: idempotent, skewed old, with 2023's dues to chase."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from dues.models import BankEntry, DuesInvoice, Payment
from members.models import Member, MemberTask
from members.selectors import member_statistics

pytestmark = pytest.mark.usefixtures("tasks_in_process")


def counts():
    return (
        Member.objects.count(),
        DuesInvoice.objects.count(),
        Payment.objects.count(),
        BankEntry.objects.count(),
    )


@pytest.mark.django_db
def test_demo_loads_twice_to_the_same_data_and_kassor_exports_unpaid(client, settings):
    settings.KRETS_REQUIRE_MFA = False
    call_command("load_demo", verbosity=0)
    first = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == first
    sample = BankEntry.objects.filter(bank_ref__startswith="SANDV-2023-", payment__isnull=False)
    assert first[0] > 300 and sample.count() == 8
    # The medlemsansvarig has people to welcome and people to contact about 2023's dues.
    assert set(MemberTask.objects.values_list("kind", flat=True)) == {"valkomna", "kontakta"}
    stats = member_statistics(year=2023)
    assert stats["average_age"] > 55
    client.login(email="kassor@example.org", password="kretsdemo")

    response = client.get(
        reverse("dues:export"), {"ar": 2023, "status": "obetald", "format": "excel"}
    )
    table = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert len(table) - 1 == stats["dues_not_paid"] > 10
