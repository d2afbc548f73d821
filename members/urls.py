from django.urls import path

from . import views, views_politicians, views_registry, views_self, views_statistics

app_name = "members"
urlpatterns = [
    path("", views_registry.member_list_view, name="list"),
    path("ny/", views_registry.member_create, name="create"),
    path("<int:pk>/", views_registry.member_detail, name="detail"),
    path("<int:pk>/andra/", views_registry.member_edit, name="edit"),
    path("<int:pk>/uttrade/", views_registry.member_leave, name="leave"),
    path("<int:pk>/skicka-lank/", views_registry.member_send_link, name="send_link"),
    path("<int:pk>/registerutdrag.json", views_registry.member_extract, name="extract"),
    path("uppgifter/", views_registry.task_list, name="tasks"),
    path("uppgifter/<int:pk>/klar/", views_registry.task_done, name="task_done"),
    path("import/", views_registry.member_import, name="import"),
    path("statistik/", views_statistics.statistics, name="statistics"),
    path("mina-uppgifter/<str:token>/", views_self.self_service, name="self_service"),
    path("mina-uppgifter/<str:token>/data.json", views_self.self_data, name="self_data"),
    path(
        "mina-uppgifter/<str:token>/begar-data/",
        views_self.self_data_request,
        name="self_data_request",
    ),
    path("bekrafta-epost/<str:token>/", views_self.email_confirm, name="email_confirm"),
    path("styrelse/", views.board, name="board"),
    path("styrelse/bjud-in/", views.board_invite, name="board_invite"),
    path("styrelse/<int:pk>/ta-bort/", views.board_assignment_remove, name="board_remove"),
    path(
        "styrelse/politiker/<int:pk>/konto/",
        views_politicians.politician_invite,
        name="politician_invite",
    ),
    path("konton/<int:pk>/avsluta/", views.account_deactivate, name="account_deactivate"),
    path("konton/<int:pk>/e-post/", views.login_email_change, name="login_email_change"),
    path(
        "konton/bekrafta-epost/<str:token>/", views.login_email_confirm, name="login_email_confirm"
    ),
]
