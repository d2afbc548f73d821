"""What dues adds to the members app's screens (members/parts.py): the member's invoices on
the member page and in "Mina uppgifter" (with a Swish QR code), their dues in a register
extract, the share not paid in the statistics, the registry's search by dues, and the erasure
of old payment facts in the retention job."""

import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from members.parts import MemberPart, Section, register

from . import selectors, services
from .forms import registry_filter_fields
from .models import DuesInvoice, DuesStatus


def _member_section(member) -> Section:
    return Section("dues/member_section.html", {"invoices": selectors.member_invoices(member)})


def _household_invoices(member) -> list[DuesInvoice]:
    """The household invoices that cover a member who is not their payer: the payer's
    invoice, which the member is paid (or not) with."""
    today = timezone.localdate()
    invoices = list(
        DuesInvoice.objects.filter(household__members=member)
        .exclude(member=member)
        .select_related("household")
        .order_by("-year")
    )
    for invoice in invoices:
        invoice.status_label = DuesStatus(
            invoice.status(paid=invoice.paid_amount, today=today)
        ).label
    return invoices


def _self_service_section(member) -> Section:
    # A household member who is not the payer has no invoice of their own: without these
    # they read "Inga avgifter." though the household's fee covers them.
    return Section(
        "dues/self_service_section.html",
        {
            "invoices": selectors.self_service_dues(member),
            "household_invoices": _household_invoices(member),
        },
    )


def _filter_members(members: QuerySet, values: dict, today: datetime.date) -> QuerySet:
    status = values.get("avgift") or ""
    year = values.get("avgiftsar") or (today.year if status else None)
    if not (year and status):
        return members
    return selectors.members_by_dues(members, year=year, status=status, today=today)


def _amounts_owed(pairs: list[tuple[int, int]]) -> dict[tuple[int, int], Decimal]:
    """What is left of each (member, year) invoice: one query for the contact list's page. A
    written-off invoice owes nothing; a household's invoice belongs to its payer, whom the
    contact task is about (reminder_step_take)."""
    if not pairs:
        return {}
    rows = DuesInvoice.objects.filter(
        member_id__in={member for member, _year in pairs}, year__in={year for _m, year in pairs}
    ).values_list("member_id", "year", "amount", "paid_amount", "written_off_on")
    wanted = set(pairs)
    return {
        (member, year): Decimal("0.00") if written_off else max(amount - paid, Decimal("0.00"))
        for member, year, amount, paid, written_off in rows
        if (member, year) in wanted
    }


register(
    MemberPart(
        key="dues",
        order=10,
        member_section=_member_section,
        self_service_section=_self_service_section,
        data_export=lambda member: {"dues": selectors.member_dues_export(member)},
        statistics=lambda year, today: selectors.dues_statistics(year=year, today=today),
        filter_fields=registry_filter_fields,
        filter_members=_filter_members,
        retention=lambda today: services.payments_erase_expired(today=today),
        anonymise=lambda member: services.member_dues_anonymise(member=member),
        amounts_owed=_amounts_owed,
    )
)
