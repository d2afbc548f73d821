from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Kretsportalen"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("konto/", views.account, name="account"),
    path("logg/", views.audit_log, name="audit_log"),
    path("konton/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("medlemmar/", include("members.urls")),
]
