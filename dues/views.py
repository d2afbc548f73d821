"""Dues for the kassör: fee schedule, invoices, payments, bank files, the CSV export."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.errors import DomainError
from krets.params import year_param
from krets.reads import note_rows, reads_personal_data
from krets.rights import Perm, requires
from members.selectors import current_year

from . import services
from .camt import BankFileError
from .csv_export import FORMATS, csv_lines
from .forms import BankFileForm, FeeForm, MatchForm, PaymentForm
from .models import BankEntry, DuesInvoice, DuesStatus, Fee
from .selectors import (
    bank_queue,
    dues_summary,
    invoices_with_status,
    self_service_dues,
)

# The filter names of the export URL (?status=alla|betald|obetald|forfallen).
EXPORT_STATUSES = {
    "alla": "",
    "betald": DuesStatus.PAID,
    "obetald": DuesStatus.UNPAID,
    "forfallen": DuesStatus.OVERDUE,
}


@requires(Perm.DUES_VIEW)
@reads_personal_data("dues_list")
def index(request):
    year = year_param(request, current_year)
    status = request.GET.get("status", "alla")
    status = status if status in EXPORT_STATUSES else "alla"
    invoices = (
        invoices_with_status(year=year, status=EXPORT_STATUSES[status])
        .select_related("member")
        .order_by("member__last_name", "member__first_name", "id")
    )
    page = Paginator(invoices, 50).get_page(request.GET.get("sida"))
    note_rows(request, len(page))
    for invoice in page:
        invoice.status_label = DuesStatus(invoice.status_value).label
    return render(
        request,
        "dues/index.html",
        {
            "year": year,
            "status": status,
            "statuses": [
                ("alla", _("Alla")),
                ("betald", _("Betalda")),
                ("obetald", _("Obetalda")),
                ("forfallen", _("Förfallna")),
            ],
            "page": page,
            "summary": dues_summary(year=year),
            "fees": Fee.objects.filter(year=year),
            "queued": bank_queue().count(),
        },
    )


@requires(Perm.DUES_VIEW)
def fees(request):
    form = FeeForm(request.POST or None, initial={"year": current_year()})
    if request.method == "POST":
        request.rights.require(Perm.DUES_CHANGE)
        if form.is_valid():
            services.fee_create(actor=request.user, data=form.cleaned_data, ip=client_ip(request))
            messages.success(request, _("Avgiften är sparad."))
            return redirect("dues:fees")
    return render(request, "dues/fees.html", {"form": form, "fees": Fee.objects.all()})


@requires(Perm.DUES_CHANGE)
@require_POST
def invoices_create(request, pk: int):
    fee = get_object_or_404(Fee, pk=pk)
    count = services.invoices_create_for_year(fee=fee, actor=request.user, ip=client_ip(request))
    messages.success(
        request, _("%(n)s avier är skapade för %(year)s.") % {"n": count, "year": fee.year}
    )
    return redirect(f"{reverse('dues:index')}?ar={fee.year}")


@requires(Perm.DUES_VIEW)
def invoice_detail(request, pk: int):
    invoice = get_object_or_404(DuesInvoice.objects.select_related("member", "fee"), pk=pk)
    services.invoice_view_record(actor=request.user, invoice=invoice, ip=client_ip(request))
    dues = {i.pk: i for i in self_service_dues(invoice.member)}
    return render(
        request,
        "dues/invoice.html",
        {
            "invoice": dues[invoice.pk],
            "member": invoice.member,
            "payments": invoice.payments.all(),
            "form": PaymentForm(
                initial={"paid_on": timezone.localdate(), "amount": dues[invoice.pk].left_to_pay}
            ),
        },
    )


@requires(Perm.DUES_CHANGE)
@require_POST
def payment_add(request, pk: int):
    invoice = get_object_or_404(DuesInvoice, pk=pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        services.payment_register(
            invoice=invoice, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Betalningen är registrerad."))
    else:
        messages.error(
            request, _("Betalningen kunde inte registreras: kontrollera belopp och datum.")
        )
    return redirect("dues:invoice", pk=pk)


@requires(Perm.DUES_VIEW)
def bank(request):
    form = BankFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        request.rights.require(Perm.DUES_CHANGE)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.bank_file_import(
                    actor=request.user,
                    name=upload.name,
                    content=upload.read(),
                    ip=client_ip(request),
                )
            except BankFileError as error:
                messages.error(
                    request,
                    _("Filen är inte inläst, inget är bokfört: %(error)s") % {"error": error},
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(kind)s inläst: %(booked)s bokförda, %(queued)s att matcha för hand, "
                        "%(already)s redan inlästa tidigare."
                    )
                    % {
                        "kind": result.kind,
                        "booked": result.booked,
                        "queued": result.queued,
                        "already": result.already,
                    },
                )
            return redirect("dues:bank")
    queue = bank_queue()
    return render(
        request, "dues/bank.html", {"form": form, "queue": queue, "match_form": MatchForm()}
    )


@requires(Perm.DUES_CHANGE)
@require_POST
def bank_match(request, pk: int):
    entry = get_object_or_404(BankEntry, pk=pk, payment=None)
    form = MatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("ocr", [])))
        return redirect("dues:bank")
    try:
        services.bank_entry_match(
            actor=request.user,
            entry=entry,
            invoice=form.cleaned_data["ocr"],
            ip=client_ip(request),
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Betalningen är bokförd."))
    return redirect("dues:bank")


@requires(Perm.DUES_CHANGE)
@require_POST
def bank_dismiss(request, pk: int):
    entry = get_object_or_404(BankEntry, pk=pk, payment=None)
    services.bank_entry_dismiss(actor=request.user, entry=entry, ip=client_ip(request))
    messages.success(request, _("Posten är borttagen ur kön (den finns kvar i bankfilen)."))
    return redirect("dues:bank")


@requires(Perm.DUES_EXPORT)
def export_csv(request):
    """Streams: rows are fetched in chunks and written one by one, so memory stays flat."""
    year = year_param(request, current_year)
    status = request.GET.get("status", "alla")
    dialect = request.GET.get("format", "excel")
    if status not in EXPORT_STATUSES or dialect not in FORMATS:
        return render(request, "dues/export_error.html", status=400)
    rows = services.dues_export(
        actor=request.user,
        year=year,
        status=EXPORT_STATUSES[status],
        status_name=status,
        dialect=dialect,
        ip=client_ip(request),
    )
    response = StreamingHttpResponse(
        csv_lines(rows, dialect=dialect),
        content_type="text/csv; charset=utf-8" + ("" if dialect == "excel" else "; header=present"),
    )
    response["Content-Disposition"] = f'attachment; filename="avgifter-{year}-{status}.csv"'
    return response
