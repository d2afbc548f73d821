from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("styrelse/", views.board, name="board"),
    path("styrelse/bjud-in/", views.board_invite, name="board_invite"),
    path("styrelse/<int:pk>/ta-bort/", views.board_assignment_remove, name="board_remove"),
    path("konton/<int:pk>/avsluta/", views.account_deactivate, name="account_deactivate"),
]
