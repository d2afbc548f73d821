from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views
from .rights import public

# The admin signs in through allauth: the same two-factor and rate limits as the portal.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Kretsportalen"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("healthz", views.healthz, name="healthz"),
    path("konto/", views.account, name="account"),
    path("logg/", views.audit_log, name="audit_log"),
    path("logg/export.csv", views.audit_log_export, name="audit_log_export"),
    path("sparrade-adresser/", views.suppressions, name="suppressions"),
    path("sparrade-adresser/<int:pk>/hav/", views.suppression_lift_view, name="suppression_lift"),
    path("konton/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("medlemmar/", include("members.urls")),
    path("avgifter/", include("dues.urls")),
    path("moten/", include("meetings.urls")),
    path("mal/", include("goals.urls")),
    path("kampanjer/", include("campaigns.urls")),
    path("nyhetsbrev/", include("newsletters.urls")),
    path("oppet/", include("visitors.urls")),
]

if "anymail" in settings.INSTALLED_APPS:
    # An email service's webhooks (bounces, complaints) come without a login; anymail checks
    # their shared secret (ANYMAIL_WEBHOOK_SECRET) itself.
    from anymail.urls import urlpatterns as anymail_patterns

    for pattern in anymail_patterns:
        public(pattern.callback)
    urlpatterns.append(path("anymail/", include("anymail.urls")))

# Swedish error pages in the portal's layout (krets/error_pages.py); CSRF_FAILURE_VIEW in settings.
handler403 = "krets.error_pages.permission_denied"
handler404 = "krets.error_pages.page_not_found"
handler500 = "krets.error_pages.server_error"
handler429 = "krets.error_pages.too_many_requests"  # allauth's rate limits
