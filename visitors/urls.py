from django.urls import path
from django.utils.translation import gettext_lazy as _

from krets.confirm import confirmed

from . import views

# Cannot be undone: asked first (krets/confirm.py).
contact_erase = confirmed(
    views.contact_erase,
    question=_("Radera kontakten?"),
    detail=_(
        "Namn, e-post och telefon tas bort nu. Anmälningarna finns kvar utan namn, så "
        "tidigare månaders siffror står sig."
    ),
    button=_("Radera kontakten"),
)
contact_withdraw = confirmed(
    views.contact_withdraw,
    question=_("Återkalla samtycket till inbjudningar?"),
    detail=_("Kontakten får inga fler inbjudningar till öppna möten, tills hen själv ber om det."),
    button=_("Återkalla samtycke"),
)
application_decide = confirmed(
    views.application_decide,
    question=_("Avslå ansökan?"),
    detail=_("Den sökande får ett mejl om att ansökan inte beviljas, med skälet om du skrev ett."),
    button=_("Avslå ansökan"),
    when=lambda request: request.POST.get("beslut") == "avslag",
)

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
    path("ansokningar/<int:pk>/", application_decide, name="application_decide"),
    path("kontakter/", views.contacts, name="contacts"),
    path("kontakter/<int:pk>/radera/", contact_erase, name="contact_erase"),
    path("kontakter/<int:pk>/aterkalla/", contact_withdraw, name="contact_withdraw"),
    path("avregistrera/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("tratt/", views.funnel_year, name="funnel_year"),
    path("tratt/<slug:step>/", views.funnel, name="funnel"),
]
