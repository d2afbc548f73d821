"""Corrections the kassör makes by hand: a fee changed while its invoices are unsent, and a
credit note (kreditering) on an invoice once it is sent. Kept apart from views.py, whose lists
are paged and tuned on their own."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from krets.audit import client_ip
from krets.errors import DomainError
from krets.reads import note_rows, reads_personal_data
from krets.rights import Perm, requires

from . import services
from .forms import CreditNoteForm, FeeEditForm
from .models import DuesInvoice, Fee

# How many of a locked fee's sent invoices the fee page links to (the rest: the dues list).
SENT_SHOWN = 20


@requires(Perm.DUES_CHANGE)
def fee_edit(request, pk: int):
    """Edit a fee until one of its invoices is sent; after that the page says why not and
    points to a credit note on each invoice instead."""
    fee = get_object_or_404(Fee, pk=pk)
    locked = services.fee_is_locked(fee)
    form = None if locked else FeeEditForm(request.POST or None, fee=fee)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.fee_update(
                actor=request.user, fee=fee, data=form.cleaned_data, ip=client_ip(request)
            )
        except DomainError as error:
            # Sent between showing the form and saving it: show the locked page.
            messages.error(request, str(error))
            return redirect("dues:fee_edit", pk=fee.pk)
        messages.success(request, _("Avgiften är ändrad, och avierna med den."))
        return redirect("dues:fees")
    sent = (
        fee.invoices.filter(sent_at__isnull=False)
        .select_related("member")
        .order_by("member__last_name", "member__first_name", "id")[:SENT_SHOWN]
        if locked
        else []
    )
    return render(
        request,
        "dues/fee_edit.html",
        {
            "fee": fee,
            "form": form,
            "locked": locked,
            "sent": sent,
            "invoice_count": fee.invoices.count(),
            "sent_shown": SENT_SHOWN,
        },
    )


@requires(Perm.DUES_CHANGE)
def invoice_credit(request, pk: int):
    """A credit note lowers an invoice with a reason; the invoice page lists it."""
    invoice = get_object_or_404(DuesInvoice.objects.select_related("member", "fee"), pk=pk)
    form = CreditNoteForm(request.POST or None, invoice=invoice)
    if request.method == "POST" and form.is_valid():
        try:
            services.invoice_credit(
                actor=request.user,
                invoice=invoice,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Avin är krediterad."))
            return redirect("dues:invoice", pk=invoice.pk)
    return render(
        request,
        "dues/invoice_credit.html",
        {
            "invoice": invoice,
            "member": invoice.member,
            "form": form,
            "notes": invoice.credit_notes.select_related("created_by"),
        },
    )


@requires(Perm.DUES_VIEW)
@reads_personal_data("dues_overpayments")
def overpayments(request):
    """Invoices paid more than their amount and not yet settled (refunded or kept as a gift):
    the invoice page flags one, and this is where the kassör finds them all. Few rows, any
    year; the partial condition is the same one the invoice page's flag uses."""
    open_ones = (
        DuesInvoice.objects.filter(paid_amount__gt=F("amount"), overpayment_settled="")
        .select_related("member")
        .annotate(over=F("paid_amount") - F("amount"))
        .order_by("-year", "member__last_name", "member__first_name", "id")
    )
    page = Paginator(open_ones, 50).get_page(request.GET.get("sida"))
    note_rows(request, len(page))
    return render(request, "dues/overpayments.html", {"page": page})
