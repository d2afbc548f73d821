from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from krets.confirm import confirmed

from . import views, views_corrections, views_households
from .models import DuesInvoice, Payment

# Corrections that cannot be taken back are asked first (krets/confirm.py); the forms on the
# invoice page carry the same question for the dialog in portal.js.
invoice_write_off = confirmed(
    views.invoice_write_off,
    question=_("Skriva av skulden?"),
    detail=_("Avin får status Avskriven och medlemmen får inga fler påminnelser för den."),
    button=_("Skriv av skulden"),
    authorize=lambda request, pk: get_object_or_404(DuesInvoice, pk=pk),
)
payment_reverse = confirmed(
    views.payment_reverse,
    question=_("Återföra betalningen?"),
    detail=_("En motpost med orsaken bokförs; betalningen och motposten står kvar."),
    button=_("Återför betalningen"),
    authorize=lambda request, pk: get_object_or_404(Payment, pk=pk),
)

app_name = "dues"
urlpatterns = [
    path("", views.index, name="index"),
    path("avgiftsnivaer/", views.fees, name="fees"),
    path("avgiftsnivaer/<int:pk>/andra/", views_corrections.fee_edit, name="fee_edit"),
    path("kategorier/", views_households.categories, name="categories"),
    path("hushall/", views_households.households, name="households"),
    path("hushall/nytt/", views_households.household_create, name="household_create"),
    path("hushall/<int:pk>/", views_households.household_edit, name="household_edit"),
    path("avgiftsnivaer/<int:pk>/skapa-avier/", views.invoices_create, name="invoices_create"),
    path("avi/<int:pk>/", views.invoice_detail, name="invoice"),
    path("avi/<int:pk>/betalning/", views.payment_add, name="payment_add"),
    path("avi/<int:pk>/skicka/", views.invoice_send, name="invoice_send"),
    path("avi/<int:pk>/avi.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("avi/<int:pk>/utskriven/", views.invoice_printed, name="invoice_printed"),
    path("avi/<int:pk>/avskriv/", invoice_write_off, name="invoice_write_off"),
    path("avi/<int:pk>/kreditera/", views_corrections.invoice_credit, name="invoice_credit"),
    path("avi/<int:pk>/overbetalning/", views.invoice_overpayment, name="invoice_overpayment"),
    path("overbetalningar/", views_corrections.overpayments, name="overpayments"),
    path("betalning/<int:pk>/atervand/", payment_reverse, name="payment_reverse"),
    path("skicka-avier/", views.invoices_send, name="invoices_send"),
    path("paminnelser/", views.reminders_run, name="reminders_run"),
    path("bankfil/", views.bank, name="bank"),
    path("bankfiler/", views.bank_files, name="bank_files"),
    path("bankfiler/<int:pk>/", views.bank_file_detail, name="bank_file"),
    path("bankfil/<int:pk>/matcha/", views.bank_match, name="bank_match"),
    path("bankfil/<int:pk>/avfarda/", views.bank_dismiss, name="bank_dismiss"),
    path("export.csv", views.export_csv, name="export"),
]
