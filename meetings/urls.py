from django.urls import path

from .views import calendar, decisions, editing, kit, minutes, planning

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
    path("<int:pk>/status/", editing.status, name="status"),
    path("<int:pk>/bjud-in/", editing.invite, name="invite"),
    path("<int:pk>/protokoll/", minutes.minutes, name="minutes"),
    path("<int:pk>/protokoll/justera/", minutes.minutes_approve, name="minutes_approve"),
    path("<int:pk>/narvaro/", minutes.attendance, name="attendance"),
    path("<int:pk>/deltagare/", minutes.participants, name="participants"),
    path("<int:pk>/deltagare.csv", minutes.participants_csv, name="participants_csv"),
    path("<int:pk>/svar/<str:token>/", editing.reply, name="reply"),
    path("avregistrera/<str:token>/", editing.unsubscribe, name="unsubscribe"),
    path("planering/<int:year>/", planning.plan, name="plan"),
    path("planering/<int:year>/besluta/", planning.plan_decide, name="plan_decide"),
    path("kommunfullmaktige/", planning.council, name="council"),
    path("beslutsgrupp/", decisions.matters, name="matters"),
    path("beslutsgrupp/nytt/", decisions.matter_create, name="matter_create"),
    path("beslutsgrupp/<int:pk>/", decisions.matter, name="matter"),
    path("beslutsgrupp/<int:pk>/rosta/", decisions.matter_vote, name="matter_vote"),
    path("beslutsgrupp/<int:pk>/avsluta/", decisions.matter_close, name="matter_close"),
    path("utrustning/", kit.kit, name="kit"),
    path("utrustning/<int:pk>/avboka/", kit.kit_cancel, name="kit_cancel"),
]
