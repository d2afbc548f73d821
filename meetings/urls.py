from django.urls import path
from django.utils.translation import gettext_lazy as _

from krets.confirm import confirmed

from .selectors import get_matter_for_user, get_meeting_for_user
from .views import calendar, decisions, editing, justering, kit, minutes, planning, records


def _may_change(request, pk):
    get_meeting_for_user(request, pk, write=True)


def _has_seat(request, pk):
    get_matter_for_user(request, pk, vote=True)


# Irreversible: asked first (krets/confirm.py).
status = confirmed(
    editing.status,
    question=_("Ställa in mötet?"),
    detail=_("De inbjudna får veta att mötet är inställt."),
    button=_("Ställ in mötet"),
    when=lambda request: request.POST.get("status") == "installd",
    authorize=_may_change,
)
matter_close = confirmed(
    decisions.matter_close,
    question=_("Avsluta röstningen?"),
    detail=_(
        "Rösterna räknas och utfallet står fast; ingen kan rösta eller ändra sin röst efteråt."
    ),
    button=_("Avsluta röstningen"),
    authorize=_has_seat,
)

app_name = "meetings"
urlpatterns = [
    path("", calendar.index, name="index"),
    path("manad/<int:year>/<int:month>/", calendar.month, name="month"),
    path("kalender.ics", calendar.feed, name="feed"),
    path("kalender/", calendar.feeds, name="feeds"),
    path("kalender/<str:token>.ics", calendar.private_feed, name="private_feed"),
    path("nytt/", editing.create, name="create"),
    path("ny-utbildning/", editing.training_create, name="training_create"),
    path("<int:pk>/", calendar.detail, name="detail"),
    path("<int:pk>/kalender.ics", calendar.meeting_ics, name="ics"),
    path("<int:pk>/kalender/<str:token>.ics", calendar.signed_meeting_ics, name="signed_ics"),
    path("<int:pk>/andra/", editing.edit, name="edit"),
    path("<int:pk>/status/", status, name="status"),
    path("<int:pk>/bjud-in/", editing.invite, name="invite"),
    path("<int:pk>/protokoll/", minutes.minutes, name="minutes"),
    # The sekreterare no longer locks the minutes: the two justerare do (issue 17).
    path("<int:pk>/protokoll/justerare/", minutes.minutes_adjusters, name="minutes_adjusters"),
    path("<int:pk>/protokoll/klart/", minutes.minutes_finish, name="minutes_finish"),
    path("<int:pk>/protokoll/oppna/", minutes.minutes_reopen, name="minutes_reopen"),
    path("<int:pk>/protokoll.pdf", justering.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/bilagor/", justering.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/bilagor/<int:attachment_pk>/",
        justering.attachment_download,
        name="attachment_download",
    ),
    path("<int:pk>/justering/", justering.adjust_signed_in, name="adjust_signed_in"),
    path("<int:pk>/justera/<str:token>/", justering.adjust, name="adjust"),
    path("<int:pk>/narvaro/ny/", minutes.walk_in, name="walk_in"),
    path("<int:pk>/narvaro/ta-bort/", minutes.walk_in_remove, name="walk_in_remove"),
    path("<int:pk>/narvaro/", minutes.attendance, name="attendance"),
    path("<int:pk>/deltagare/", minutes.participants, name="participants"),
    path("<int:pk>/deltagare.csv", minutes.participants_csv, name="participants_csv"),
    path("<int:pk>/svar/<str:token>/", editing.reply, name="reply"),
    path("beslut/", justering.decisions, name="decisions"),
    path("genomforda/", records.held, name="records_held"),
    path("genomforda/narvarande/", records.attended, name="records_attended"),
    path("avregistrera/<str:token>/", editing.unsubscribe, name="unsubscribe"),
    path("planering/<int:year>/", planning.plan, name="plan"),
    path("planering/<int:year>/besluta/", planning.plan_decide, name="plan_decide"),
    path("kommunfullmaktige/", planning.council, name="council"),
    path("beslutsgrupp/", decisions.matters, name="matters"),
    path("beslutsgrupp/nytt/", decisions.matter_create, name="matter_create"),
    path("beslutsgrupp/<int:pk>/", decisions.matter, name="matter"),
    path("beslutsgrupp/<int:pk>/rosta/", decisions.matter_vote, name="matter_vote"),
    path("beslutsgrupp/<int:pk>/avsluta/", matter_close, name="matter_close"),
    path("utrustning/", kit.kit, name="kit"),
    path("utrustning/<int:pk>/avboka/", kit.kit_cancel, name="kit_cancel"),
]
