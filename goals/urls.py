from django.urls import path

from .views import attachments, groups, log, plan, programme, report

app_name = "goals"
urlpatterns = [
    path("", plan.index, name="index"),
    path("oversikt/", plan.overview_status, name="overview_status"),
    path("plan/", plan.plan, name="plan"),
    path("plan/kopiera/", plan.plan_copy, name="plan_copy"),
    path("mal/nytt/", plan.goal_create, name="goal_create"),
    path("mal/<int:pk>/", plan.goal_edit, name="goal_edit"),
    path("mal/<int:goal_pk>/matbart/nytt/", plan.target_create, name="target_create"),
    path("matbart/<int:pk>/", plan.target_edit, name="target_edit"),
    path("matbart/<int:pk>/ta-bort/", plan.target_delete, name="target_delete"),
    path("aktiviteter/ny/", plan.activity_create, name="activity_create"),
    path("aktiviteter/<int:pk>/", plan.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:pk>/ta-bort/", plan.activity_delete, name="activity_delete"),
    path("logg/", log.log, name="log"),
    path("logg/<int:pk>/ta-bort/", log.log_delete, name="log_delete"),
    path("nya-medlemmar/", log.new_members, name="new_members"),
    path("uttradda-medlemmar/", log.members_left, name="members_left"),
    path("temagrupper/", groups.groups, name="groups"),
    path("temagrupper/ny/", groups.group_create, name="group_create"),
    path("temagrupper/<int:pk>/", groups.group_detail, name="group_detail"),
    path("temagrupper/<int:pk>/andra/", groups.group_edit, name="group_edit"),
    path(
        "temagrupper/<int:group_pk>/dokument/nytt/",
        groups.document_create,
        name="document_create",
    ),
    path("dokument/<int:pk>/", groups.document_detail, name="document_detail"),
    path(
        "dokument/<int:pk>/bilagor/",
        attachments.attachment_upload,
        name="document_attachment_upload",
    ),
    path(
        "dokument/<int:pk>/bilagor/<int:attachment_pk>/",
        attachments.attachment_download,
        name="document_attachment_download",
    ),
    path("dokument/<int:pk>/lamna-in/", groups.document_submit, name="document_submit"),
    path("dokument/<int:pk>/publicera/", groups.document_publish, name="document_publish"),
    path("dokument/<int:pk>/returnera/", groups.document_return, name="document_return"),
    path("valprogram/", programme.programme, name="programme"),
    path("valprogram/ny/", programme.point_create, name="point_create"),
    path("valprogram/<int:pk>/", programme.point_edit, name="point_edit"),
    path("valprogram/lankar/<int:pk>/ta-bort/", programme.point_link_delete, name="link_delete"),
    path("verksamhetsberattelse/", report.report_latest, name="report_latest"),
    path("verksamhetsberattelse/<int:year>/", report.report, name="report"),
    path("verksamhetsberattelse/<int:year>/andra/", report.report_edit, name="report_edit"),
    path("verksamhetsberattelse/<int:year>/pdf/", report.report_pdf, name="report_pdf"),
]
