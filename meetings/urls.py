from django.urls import path

from . import views

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
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/bjud-in/", views.invite, name="invite"),
    path("<int:pk>/protokoll/", views.minutes, name="minutes"),
    path("<int:pk>/protokoll/justera/", views.minutes_approve, name="minutes_approve"),
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
    path("beslutsgrupp/<int:pk>/avsluta/", views.matter_close, name="matter_close"),
    path("utrustning/", views.kit, name="kit"),
    path("utrustning/<int:pk>/avboka/", views.kit_cancel, name="kit_cancel"),
]
