from django.urls import path

from . import views_dues

app_name = "dues"
urlpatterns = [
    path("", views_dues.index, name="index"),
    path("avgiftsnivaer/", views_dues.fees, name="fees"),
    path("avgiftsnivaer/<int:pk>/skapa-avier/", views_dues.invoices_create, name="invoices_create"),
    path("avi/<int:pk>/", views_dues.invoice_detail, name="invoice"),
    path("avi/<int:pk>/betalning/", views_dues.payment_add, name="payment_add"),
    path("bankfil/", views_dues.bank, name="bank"),
    path("bankfil/<int:pk>/matcha/", views_dues.bank_match, name="bank_match"),
    path("bankfil/<int:pk>/avfarda/", views_dues.bank_dismiss, name="bank_dismiss"),
    path("export.csv", views_dues.export_csv, name="export"),
]
