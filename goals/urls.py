from django.urls import path

from . import views

app_name = "goals"
urlpatterns = [
    path("", views.index, name="index"),
    path("oversikt/", views.overview_status, name="overview_status"),
    path("plan/", views.plan, name="plan"),
    path("mal/nytt/", views.goal_create, name="goal_create"),
    path("mal/<int:pk>/", views.goal_edit, name="goal_edit"),
    path("mal/<int:goal_pk>/matbart/nytt/", views.target_create, name="target_create"),
    path("matbart/<int:pk>/", views.target_edit, name="target_edit"),
    path("matbart/<int:pk>/ta-bort/", views.target_delete, name="target_delete"),
    path("aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aktiviteter/<int:pk>/", views.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:pk>/ta-bort/", views.activity_delete, name="activity_delete"),
    path("logg/", views.log, name="log"),
    path("logg/<int:pk>/ta-bort/", views.log_delete, name="log_delete"),
    path("nya-medlemmar/", views.new_members, name="new_members"),
    path("temagrupper/", views.groups, name="groups"),
    path("temagrupper/ny/", views.group_create, name="group_create"),
    path("temagrupper/<int:pk>/", views.group_detail, name="group_detail"),
    path("temagrupper/<int:pk>/andra/", views.group_edit, name="group_edit"),
    path(
        "temagrupper/<int:group_pk>/dokument/nytt/",
        views.document_create,
        name="document_create",
    ),
    path("dokument/<int:pk>/", views.document_detail, name="document_detail"),
    path("dokument/<int:pk>/lamna-in/", views.document_submit, name="document_submit"),
    path("dokument/<int:pk>/publicera/", views.document_publish, name="document_publish"),
    path("dokument/<int:pk>/returnera/", views.document_return, name="document_return"),
    path("valprogram/", views.programme, name="programme"),
    path("valprogram/ny/", views.point_create, name="point_create"),
    path("valprogram/<int:pk>/", views.point_edit, name="point_edit"),
    path("valprogram/lankar/<int:pk>/ta-bort/", views.point_link_delete, name="link_delete"),
    path("verksamhetsberattelse/", views.report_latest, name="report_latest"),
    path("verksamhetsberattelse/<int:year>/", views.report, name="report"),
    path("verksamhetsberattelse/<int:year>/andra/", views.report_edit, name="report_edit"),
    path("verksamhetsberattelse/<int:year>/pdf/", views.report_pdf, name="report_pdf"),
]
