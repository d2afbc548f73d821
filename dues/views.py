"""Dues for the kassör: fee schedule, invoices, payments, bank files, the CSV export."""

from django.contrib import messages
from django.db import connection
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.errors import DomainError
from krets.params import int_param, year_param
from krets.reads import note_object, note_rows, note_target, reads_personal_data
from krets.rights import Perm, requires
from krets.versioned import cached
from members.selectors import current_year
from members.services import member_target

from . import services
from .camt import BankFileError
from .charts import paid_over_year_chart
from .csv_export import (
    FORMATS,
    XLSX_CONTENT_TYPE,
    csv_lines,
    csv_lines_from_database,
    xlsx_file,
)
from .forms import BankFileForm, FeeForm, MatchForm, PaymentForm, ReverseForm, WriteOffForm
from .models import BankEntry, BankFile, DuesInvoice, DuesStatus, Fee, Payment
from .selectors import (
    bank_file_entries,
    bank_files_page,
    bank_queue,
    dues_list_page,
    dues_summary,
    invoice_mail_state,
    invoice_print_context,
    invoices_search,
    invoices_with_status,
    self_service_dues,
)

# The largest id a cursor may name (bigint): a larger one would overflow in the database.
MAX_ID = 2**63 - 1

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
    query = request.GET.get("q", "").strip()[:100]
    invoices = invoices_search(
        invoices_with_status(year=year, status=EXPORT_STATUSES[status]), query
    ).select_related("member")
    # Keyset paged: "?efter=<member id>" / "?fore=<member id>" cost the same on any page.
    page = dues_list_page(
        invoices,
        after=int_param(request, "efter", None, min_value=1, max_value=MAX_ID),
        before=int_param(request, "fore", None, min_value=1, max_value=MAX_ID),
    )
    note_rows(request, len(page))
    for invoice in page:
        invoice.status_label = DuesStatus(invoice.status_value).label
    return render(
        request,
        "dues/index.html",
        {
            "year": year,
            "current_year": current_year(),
            "status": status,
            "q": query,
            "statuses": [
                ("alla", _("Alla")),
                ("betald", _("Betalda")),
                ("obetald", _("Obetalda")),
                ("forfallen", _("Förfallna")),
            ],
            "page": page,
            # The year's figures read every invoice of the year: from the versioned cache until
            # a table they read changes or the day turns (unpaid invoices become overdue); the
            # chart's labels are translated, hence the language.
            **cached(
                "dues:index",
                f"{year}:{timezone.localdate()}:{get_language()}",
                lambda: _figures(year),
            ),
        },
    )


def _figures(year: int) -> dict:
    today = timezone.localdate()
    summary = dues_summary(year=year, today=today)
    return {
        "summary": summary,
        "paid_chart": paid_over_year_chart(year=year, invoiced=summary["due"], today=today),
        "fees": list(Fee.objects.filter(year=year)),
        "queued": bank_queue().count(),
    }


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
    """The year's invoices for members without one, from the fee schedule: each member their
    category's fee, a household one family fee to its payer (never a fee per household member),
    a member who joined after the due date their own due date."""
    fee = get_object_or_404(Fee, pk=pk)
    count = services.invoices_create_by_category(
        actor=request.user, year=fee.year, ip=client_ip(request)
    )
    messages.success(
        request, _("%(n)s avier är skapade för %(year)s.") % {"n": count, "year": fee.year}
    )
    return redirect(f"{reverse('dues:index')}?ar={fee.year}")


@requires(Perm.DUES_VIEW)
@reads_personal_data("dues_invoice")
def invoice_detail(request, pk: int):
    return _invoice_page(request, pk)


def _invoice_page(request, pk: int, *, payment_form: PaymentForm | None = None):
    """The invoice; with `payment_form`, a payment that failed, shown again as it was typed."""
    invoice = get_object_or_404(DuesInvoice.objects.select_related("member", "fee"), pk=pk)
    note_object(request, invoice, target=member_target(invoice.member))
    dues = {i.pk: i for i in self_service_dues(invoice.member)}
    return render(
        request,
        "dues/invoice.html",
        {
            "invoice": dues[invoice.pk],
            "member": invoice.member,
            "payments": invoice.payments.select_related("reversal").all(),
            "mail": invoice_mail_state(invoice),
            "form": payment_form
            or PaymentForm(
                initial={"paid_on": timezone.localdate(), "amount": dues[invoice.pk].left_to_pay}
            ),
            "reverse_form": ReverseForm(initial={"reversed_on": timezone.localdate()}),
            "write_off_form": WriteOffForm(),
        },
        status=400 if payment_form is not None else 200,
    )


def _done(request, call, success: str) -> None:
    """Run a service; its Swedish refusal becomes the page's message, never a 500."""
    try:
        call()
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)


@requires(Perm.DUES_CHANGE)
@require_POST
def invoice_send(request, pk: int):
    invoice = get_object_or_404(DuesInvoice.objects.select_related("member"), pk=pk)
    if not invoice.member.email:
        messages.error(request, _("Medlemmen har ingen e-postadress: skriv ut avin som PDF."))
    elif services.invoice_send(actor=request.user, invoice=invoice, ip=client_ip(request)):
        messages.success(request, _("Avin är skickad."))
    else:
        messages.info(request, _("Avin var redan skickad."))
    return redirect("dues:invoice", pk=pk)


@requires(Perm.DUES_CHANGE)
@require_POST
def invoices_send(request):
    year = year_param(request, current_year)
    count = services.invoices_send_for_year(actor=request.user, year=year, ip=client_ip(request))
    messages.success(request, _("%(n)s avier är skickade.") % {"n": count})
    return redirect(f"{reverse('dues:index')}?ar={year}")


@requires(Perm.DUES_CHANGE)
@require_POST
def reminders_run(request):
    """The kassör chases an earlier year's dues (the daily job chases only the current year)."""
    year = year_param(request, current_year)
    taken = services.dues_reminders_run(year=year)
    messages.success(
        request,
        _("%(year)s: %(first)s första och %(second)s andra påminnelser, %(contact)s att kontakta.")
        % {"year": year, "first": taken[1], "second": taken[2], "contact": taken[3]},
    )
    return redirect(f"{reverse('dues:index')}?ar={year}")


@requires(Perm.DUES_VIEW)
@reads_personal_data("dues_invoice_pdf", export=True)
def invoice_pdf(request, pk: int):
    """A printable A4 avi for members without email (WeasyPrint)."""
    from weasyprint import HTML  # imported here: it loads pango, which the rest never needs

    invoice = get_object_or_404(DuesInvoice.objects.select_related("member", "fee"), pk=pk)
    note_object(request, invoice, target=member_target(invoice.member))
    html = render_to_string("dues/invoice_pdf.html", invoice_print_context(invoice))
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="avi-{invoice.ocr}.pdf"'
    return response


@requires(Perm.DUES_CHANGE)
@require_POST
def invoice_printed(request, pk: int):
    invoice = get_object_or_404(DuesInvoice, pk=pk)
    services.invoice_mark_printed(actor=request.user, invoice=invoice, ip=client_ip(request))
    messages.success(request, _("Avin är markerad som skickad på papper."))
    return redirect("dues:invoice", pk=pk)


@requires(Perm.DUES_CHANGE)
@require_POST
def invoice_write_off(request, pk: int):
    invoice = get_object_or_404(DuesInvoice, pk=pk)
    form = WriteOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange varför skulden skrivs av."))
        return redirect("dues:invoice", pk=pk)
    _done(
        request,
        lambda: services.invoice_write_off(
            actor=request.user,
            invoice=invoice,
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        ),
        _("Skulden är avskriven."),
    )
    return redirect("dues:invoice", pk=pk)


@requires(Perm.DUES_CHANGE)
@require_POST
def invoice_overpayment(request, pk: int):
    invoice = get_object_or_404(DuesInvoice, pk=pk)
    _done(
        request,
        lambda: services.invoice_overpayment_settle(
            actor=request.user,
            invoice=invoice,
            how=request.POST.get("how", ""),
            ip=client_ip(request),
        ),
        _("Överbetalningen är hanterad."),
    )
    return redirect("dues:invoice", pk=pk)


@requires(Perm.DUES_CHANGE)
@require_POST
def payment_reverse(request, pk: int):
    payment = get_object_or_404(Payment, pk=pk)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange ett datum och varför betalningen återförs."))
        return redirect("dues:invoice", pk=payment.invoice_id)
    _done(
        request,
        lambda: services.payment_reverse(
            actor=request.user,
            payment=payment,
            reason=form.cleaned_data["reason"],
            reversed_on=form.cleaned_data["reversed_on"],
            ip=client_ip(request),
        ),
        _("Betalningen är återförd med en motpost."),
    )
    return redirect("dues:invoice", pk=payment.invoice_id)


@requires(Perm.DUES_CHANGE)
@require_POST
def payment_add(request, pk: int):
    invoice = get_object_or_404(DuesInvoice, pk=pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        # The invoice again with the payment as typed and the error at its field.
        messages.error(
            request, _("Betalningen kunde inte registreras: kontrollera belopp och datum.")
        )
        return _invoice_page(request, pk, payment_form=form)
    _done(
        request,
        lambda: services.payment_register(
            invoice=invoice, actor=request.user, ip=client_ip(request), **form.cleaned_data
        ),
        _("Betalningen är registrerad."),
    )
    return redirect("dues:invoice", pk=pk)


@requires(Perm.DUES_VIEW)
@reads_personal_data("dues_bank_queue")  # payers' names
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
                        "%(already)s redan inlästa tidigare, %(reversed)s återförda."
                    )
                    % {
                        "kind": result.kind,
                        "booked": result.booked,
                        "queued": result.queued,
                        "already": result.already,
                        "reversed": result.reversed,
                    },
                )
                for refusal in result.refused:
                    messages.warning(request, refusal)
            return redirect("dues:bank")
    queue = bank_queue()
    note_rows(request, len(queue))
    return render(
        request, "dues/bank.html", {"form": form, "queue": queue, "match_form": MatchForm()}
    )


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@requires(Perm.DUES_VIEW)
def bank_files(request):
    files, next_before = bank_files_page(before=_int_param(request, "fore"))
    return render(request, "dues/bank_files.html", {"files": files, "next_before": next_before})


@requires(Perm.DUES_VIEW)
@reads_personal_data("dues_bank_file")  # payers' names
def bank_file_detail(request, pk: int):
    bank_file = get_object_or_404(BankFile.objects.select_related("uploaded_by"), pk=pk)
    entries, next_after = bank_file_entries(bank_file, after=_int_param(request, "efter"))
    note_rows(request, len(entries))
    return render(
        request,
        "dues/bank_file.html",
        {"file": bank_file, "entries": entries, "next_after": next_after},
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
@reads_personal_data("dues_export", export=True)
def export_csv(request):
    """Streams: rows are fetched in chunks and written one by one, so memory stays flat."""
    year = year_param(request, current_year)
    status = request.GET.get("status", "alla")
    dialect = request.GET.get("format", "excel")
    if status not in EXPORT_STATUSES or dialect not in FORMATS:
        return render(request, "dues/export_error.html", status=400)
    count, rows = services.dues_export(year=year, status=EXPORT_STATUSES[status])
    note_rows(request, count)
    note_target(request, f"avgifter:{year}")
    if dialect == "xlsx":
        return FileResponse(
            xlsx_file(rows, title=f"Avgifter {year}"),
            as_attachment=True,
            filename=f"avgifter-{year}-{status}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
    if connection.vendor == "postgresql":
        # The same bytes as csv_lines(rows), written by the database: ~10x the rows a second.
        lines = csv_lines_from_database(year=year, status=EXPORT_STATUSES[status], dialect=dialect)
    else:
        lines = csv_lines(rows, dialect=dialect)
    response = StreamingHttpResponse(
        lines,
        content_type="text/csv; charset=utf-8" + ("" if dialect == "excel" else "; header=present"),
    )
    response["Content-Disposition"] = f'attachment; filename="avgifter-{year}-{status}.csv"'
    return response
