"""The registry, the board and self-service pages of the members app."""

from members.tokens import DATA_DOWNLOAD, EMAIL_CHANGE, SELF_SERVICE, member_token
from tests.factories import MemberFactory

from . import BOARD, EVERYONE, Access, F, only

REGISTRY = only(F.CHAIR, F.VICE_CHAIR, F.TREASURER, F.MEMBERSHIP)
REGISTRY_CHANGE = only(F.CHAIR, F.MEMBERSHIP)
# The menu's "Medlemmar" reaches the whole board: without the registry right it leads on to
# the welcome and contact tasks.
TO_TASKS = {role: 302 for role in BOARD - REGISTRY}


def member_pk() -> dict:
    return {"pk": MemberFactory().pk}


def task_pk() -> dict:
    from members.models import MemberTask

    task = MemberTask.objects.create(member=MemberFactory(), kind="valkomna", due_on="2030-01-01")
    return {"pk": task.pk}


def token() -> dict:
    return {"token": member_token(MemberFactory().pk, SELF_SERVICE)}


def data_token() -> dict:
    return {"token": member_token(MemberFactory().pk, DATA_DOWNLOAD)}


def email_token() -> dict:
    return {"token": member_token(MemberFactory().pk, EMAIL_CHANGE, extra="ny@example.org")}


RULES = {
    "members:list": Access(BOARD, per_role=TO_TASKS),
    "members:create": Access(REGISTRY_CHANGE),
    "members:detail": Access(REGISTRY, kwargs=member_pk),
    "members:edit": Access(REGISTRY_CHANGE, kwargs=member_pk),
    "members:leave": Access(REGISTRY_CHANGE, kwargs=member_pk),
    "members:extract": Access(REGISTRY_CHANGE, kwargs=member_pk),
    "members:send_link": Access(REGISTRY_CHANGE, method="post", ok=302, kwargs=member_pk),
    "members:tasks": Access(BOARD),
    "members:task_done": Access(REGISTRY_CHANGE, method="post", ok=302, kwargs=task_pk),
    "members:import": Access(REGISTRY_CHANGE),
    "members:statistics": Access(BOARD),
    "members:self_service": Access(EVERYONE, kwargs=token, anonymous=200),
    "members:self_data": Access(EVERYONE, kwargs=data_token, anonymous=200),
    "members:self_data_request": Access(
        EVERYONE, method="post", ok=302, kwargs=token, anonymous=302, anonymous_to_login=False
    ),
    "members:email_confirm": Access(EVERYONE, kwargs=email_token, anonymous=200),
}
