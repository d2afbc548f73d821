from django.urls import path
from django.utils.translation import gettext_lazy as _

from krets.confirm import confirmed

from . import views

# Irreversible: asked first (krets/confirm.py).
send = confirmed(
    views.send,
    question=_("Skicka nyhetsbrevet till alla mottagare?"),
    detail=_("Ett utskick som har börjat går att pausa men inte ta tillbaka."),
    button=_("Skicka till alla"),
)

app_name = "newsletters"
urlpatterns = [
    path("", views.index, name="index"),
    path("nytt/", views.create, name="create"),
    path("skickade/", views.sent, name="records_sent"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/andra/", views.edit, name="edit"),
    path("<int:pk>/forhandsvisning/", views.preview, name="preview"),
    path("<int:pk>/forlopp/", views.progress, name="progress"),
    path("<int:pk>/provutskick/", views.test_send, name="test_send"),
    path("<int:pk>/skicka/", send, name="send"),
    path("<int:pk>/pausa/", views.pause, name="pause"),
    path("<int:pk>/fortsatt/", views.resume, name="resume"),
    path("<int:pk>/avbryt/", views.cancel, name="cancel"),
    path("<int:pk>/utkast/", views.unschedule, name="unschedule"),
    path("avregistrera/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("arkiv/<str:token>/", views.archive, name="archive"),
    path("arkiv/<str:token>/<int:pk>/", views.archive_detail, name="archive_detail"),
]
