"""The kassör's pages of the dues app (/avgifter/)."""

from tests.factories import MemberFactory

from . import Access, F, only

DUES = only(F.CHAIR, F.TREASURER)


def invoice_pk() -> dict:
    from tests.fixtures.dues import invoice_for

    return {"pk": invoice_for(MemberFactory()).pk}


def fee_pk() -> dict:
    from tests.fixtures.dues import fee_for

    return {"pk": fee_for(2030).pk}


def payment_pk() -> dict:
    import datetime
    from decimal import Decimal

    from dues.services import payment_register
    from tests.fixtures.dues import invoice_for

    invoice = invoice_for(MemberFactory())
    payment = payment_register(
        invoice=invoice, amount=Decimal("10"), paid_on=datetime.date(2023, 4, 1), method="swish"
    )
    return {"pk": payment.pk}


def bank_file_pk() -> dict:
    from tests.fixtures.dues import queued_bank_entry

    return {"pk": queued_bank_entry().file_id}


def bank_entry_pk() -> dict:
    from tests.fixtures.dues import queued_bank_entry

    return {"pk": queued_bank_entry().pk}


def household_pk() -> dict:
    from dues.models import Household

    payer, other = MemberFactory(), MemberFactory()
    household = Household.objects.create(name="Hushållet Ek", payer=payer)
    household.members.set([payer, other])
    return {"pk": household.pk}


RULES = {
    "dues:index": Access(DUES),
    "dues:fees": Access(DUES),
    "dues:fee_edit": Access(DUES, kwargs=fee_pk),
    "dues:invoice_credit": Access(DUES, kwargs=invoice_pk),
    "dues:categories": Access(DUES),
    "dues:households": Access(DUES),
    "dues:household_create": Access(DUES),
    "dues:household_edit": Access(DUES, kwargs=household_pk),
    "dues:invoices_create": Access(DUES, method="post", ok=302, kwargs=fee_pk),
    "dues:invoice": Access(DUES, kwargs=invoice_pk),
    # An empty POST shows the invoice again with the form as typed and its errors (400).
    "dues:payment_add": Access(DUES, method="post", ok=400, kwargs=invoice_pk),
    "dues:bank": Access(DUES),
    "dues:bank_files": Access(DUES),
    "dues:bank_file": Access(DUES, kwargs=bank_file_pk),
    "dues:bank_match": Access(DUES, method="post", ok=302, kwargs=bank_entry_pk),
    "dues:bank_dismiss": Access(DUES, method="post", ok=302, kwargs=bank_entry_pk),
    "dues:invoice_send": Access(DUES, method="post", ok=302, kwargs=invoice_pk),
    "dues:invoices_send": Access(DUES, method="post", ok=302, query="?ar=2023"),
    "dues:reminders_run": Access(DUES, method="post", ok=302, query="?ar=2023"),
    "dues:invoice_pdf": Access(DUES, kwargs=invoice_pk),
    "dues:invoice_printed": Access(DUES, method="post", ok=302, kwargs=invoice_pk),
    "dues:invoice_write_off": Access(DUES, method="post", ok=302, kwargs=invoice_pk),
    "dues:invoice_overpayment": Access(DUES, method="post", ok=302, kwargs=invoice_pk),
    "dues:overpayments": Access(DUES),
    "dues:payment_reverse": Access(DUES, method="post", ok=302, kwargs=payment_pk),
    "dues:export": Access(DUES, query="?ar=2023&status=obetald&format=excel"),
}
