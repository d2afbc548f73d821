from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    path("", views.index, name="index"),
    path("avgiftsnivaer/", views.fees, name="fees"),
    path("avgiftsnivaer/<int:pk>/skapa-avier/", views.invoices_create, name="invoices_create"),
    path("avi/<int:pk>/", views.invoice_detail, name="invoice"),
    path("avi/<int:pk>/betalning/", views.payment_add, name="payment_add"),
    path("bankfil/", views.bank, name="bank"),
    path("bankfil/<int:pk>/matcha/", views.bank_match, name="bank_match"),
    path("bankfil/<int:pk>/avfarda/", views.bank_dismiss, name="bank_dismiss"),
    path("export.csv", views.export_csv, name="export"),
]
