from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    path("", views.index, name="index"),
    path("avgiftsnivaer/", views.fees, name="fees"),
    path("avgiftsnivaer/<int:pk>/skapa-avier/", views.invoices_create, name="invoices_create"),
    path("avi/<int:pk>/", views.invoice_detail, name="invoice"),
    path("avi/<int:pk>/betalning/", views.payment_add, name="payment_add"),
    path("avi/<int:pk>/skicka/", views.invoice_send, name="invoice_send"),
    path("avi/<int:pk>/avi.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("avi/<int:pk>/utskriven/", views.invoice_printed, name="invoice_printed"),
    path("avi/<int:pk>/avskriv/", views.invoice_write_off, name="invoice_write_off"),
    path("avi/<int:pk>/overbetalning/", views.invoice_overpayment, name="invoice_overpayment"),
    path("betalning/<int:pk>/atervand/", views.payment_reverse, name="payment_reverse"),
    path("skicka-avier/", views.invoices_send, name="invoices_send"),
    path("paminnelser/", views.reminders_run, name="reminders_run"),
    path("bankfil/", views.bank, name="bank"),
    path("bankfiler/", views.bank_files, name="bank_files"),
    path("bankfiler/<int:pk>/", views.bank_file_detail, name="bank_file"),
    path("bankfil/<int:pk>/matcha/", views.bank_match, name="bank_match"),
    path("bankfil/<int:pk>/avfarda/", views.bank_dismiss, name="bank_dismiss"),
    path("export.csv", views.export_csv, name="export"),
]
