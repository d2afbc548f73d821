from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext_lazy as _

from krets.confirm import confirmed

from . import views


def _may_change(request, pk):
    views.get_meeting_for_user(request, pk, write=True)


def _has_seat(request, pk):
    if views.get_matter_for_user(request, pk)[1] is None:
        raise PermissionDenied


# Irreversible: asked first (krets/confirm.py).
status = confirmed(
    views.status,
    question=_("Ställa in mötet?"),
    detail=_("De inbjudna får veta att mötet är inställt."),
    button=_("Ställ in mötet"),
    when=lambda request: request.POST.get("status") == "installd",
    authorize=_may_change,
)
minutes_approve = confirmed(
    views.minutes_approve,
    question=_("Justera och låsa protokollet?"),
    detail=_("Ett justerat protokoll kan inte ändras längre."),
    button=_("Justera och lås"),
    authorize=_may_change,
)
matter_close = confirmed(
    views.matter_close,
    question=_("Avsluta röstningen?"),
    detail=_(
        "Rösterna räknas och utfallet står fast; ingen kan rösta eller ändra sin röst efteråt."
    ),
    button=_("Avsluta röstningen"),
    authorize=_has_seat,
)

app_name = "meetings"
urlpatterns = [
    path("", views.index, name="index"),
    path("manad/<int:year>/<int:month>/", views.month, name="month"),
    path("kalender.ics", views.feed, name="feed"),
    path("kalender/", views.feeds, name="feeds"),
    path("kalender/<str:token>.ics", views.private_feed, name="private_feed"),
    path("nytt/", views.create, name="create"),
    path("ny-utbildning/", views.training_create, name="training_create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/kalender.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/kalender/<str:token>.ics", views.signed_meeting_ics, name="signed_ics"),
    path("<int:pk>/andra/", views.edit, name="edit"),
    path("<int:pk>/status/", status, name="status"),
    path("<int:pk>/bjud-in/", views.invite, name="invite"),
    path("<int:pk>/protokoll/", views.minutes, name="minutes"),
    path("<int:pk>/protokoll/justera/", minutes_approve, name="minutes_approve"),
    path("<int:pk>/narvaro/", views.attendance, name="attendance"),
    path("<int:pk>/deltagare/", views.participants, name="participants"),
    path("<int:pk>/deltagare.csv", views.participants_csv, name="participants_csv"),
    path("<int:pk>/svar/<str:token>/", views.reply, name="reply"),
    path("planering/<int:year>/", views.plan, name="plan"),
    path("planering/<int:year>/besluta/", views.plan_decide, name="plan_decide"),
    path("kommunfullmaktige/", views.council, name="council"),
    path("beslutsgrupp/", views.matters, name="matters"),
    path("beslutsgrupp/nytt/", views.matter_create, name="matter_create"),
    path("beslutsgrupp/<int:pk>/", views.matter, name="matter"),
    path("beslutsgrupp/<int:pk>/rosta/", views.matter_vote, name="matter_vote"),
    path("beslutsgrupp/<int:pk>/avsluta/", matter_close, name="matter_close"),
    path("utrustning/", views.kit, name="kit"),
    path("utrustning/<int:pk>/avboka/", views.kit_cancel, name="kit_cancel"),
]
