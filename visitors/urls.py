from django.urls import path

from . import views

app_name = "visitors"

urlpatterns = [
    path("", views.index, name="index"),
    path("inbaddning/", views.embed, name="embed"),
    path("<int:pk>/", views.meeting, name="meeting"),
    path("<int:pk>/kalender.ics", views.meeting_ics, name="meeting_ics"),
    path("<int:pk>/anmal/", views.signup, name="signup"),
    path("<int:pk>/narvaro/", views.attendance, name="attendance"),
    path("<int:pk>/bjud-in-kontakter/", views.invite_contacts, name="invite_contacts"),
    path("anmalan/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("bli-medlem/", views.join, name="join"),
    path("bli-medlem/<str:token>/", views.join_verify, name="join_verify"),
    path("uttrade/<str:token>/", views.leave, name="leave"),
    path("ansokningar/", views.applications, name="applications"),
    path("ansokningar/<int:pk>/", views.application_decide, name="application_decide"),
    path("kontakter/", views.contacts, name="contacts"),
    path("tratt/", views.funnel_year, name="funnel_year"),
    path("tratt/<slug:step>/", views.funnel, name="funnel"),
]
