from django.urls import path
from django.utils.translation import gettext_lazy as _

from krets.confirm import confirmed

from . import views

# Irreversible: asked first (krets/confirm.py).
draw = confirmed(
    views.draw,
    question=_("Dra vinnaren nu?"),
    detail=_("Dragningen görs en gång och sparas med sitt frö; den kan inte göras om."),
    button=_("Dra vinnare"),
)

app_name = "campaigns"
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/andra/", views.campaign_edit, name="edit"),
    path("<int:pk>/aktivitet/", views.activity_add, name="activity_add"),
    path("marknadsforing/", views.marketing, name="marketing"),
    path("marknadsforing/<int:year>/<int:month>/", views.marketing_month, name="marketing_month"),
    path("kanaler/", views.channels, name="channels"),
    path("innehall/", views.content, name="content"),
    path("innehall/nytt/", views.content_create, name="content_create"),
    path("innehall/<int:pk>/", views.content_detail, name="content_detail"),
    path("innehall/<int:pk>/andra/", views.content_edit, name="content_edit"),
    path("innehall/<int:pk>/vidare/", views.content_advance, name="content_advance"),
    path("innehall/<int:pk>/publicera/", views.content_publish, name="content_publish"),
    path("innehall/<int:pk>/tillbaka/", views.content_return, name="content_return"),
    path("paneler/", views.panels, name="panels"),
    path("paneler/ny/", views.panel_edit, name="panel_create"),
    path("paneler/<int:pk>/", views.panel_edit, name="panel_edit"),
    path("tavlingar/", views.competitions, name="competitions"),
    path("tavlingar/ny/", views.competition_create, name="competition_create"),
    path("tavlingar/<int:pk>/", views.competition_detail, name="competition_detail"),
    path("tavlingar/<int:pk>/bidrag/", views.entry_add, name="entry_add"),
    path("tavlingar/<int:pk>/dra/", draw, name="draw"),
    path("underlag/<slug:what>/", views.records_list, name="records"),
]
