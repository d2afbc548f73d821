"""Goals: the board reads the plan; ordförande and vice change it; the kommunikationsansvarig
publishes theme-group documents."""

from tests.factories import MemberFactory
from tests.fixtures.goals import (
    GoalFactory,
    LogEntryFactory,
    ProgrammePointFactory,
    TargetFactory,
    ThemeDocumentFactory,
    ThemeGroupFactory,
)

from . import ASSIGNMENT, BOARD, Access, F, only

PLAN = only(F.CHAIR, F.VICE_CHAIR)
NAMES = only(F.CHAIR, F.VICE_CHAIR, F.TREASURER, F.SECRETARY, F.MEMBERSHIP)
PUBLISHERS = only(F.COMMUNICATION)  # publishing is the kommunikationsansvarig's alone


def _activity():
    from tests.fixtures.goals import ActivityFactory

    return {"pk": ActivityFactory().pk}


def _submitted():
    return {"pk": ThemeDocumentFactory(status="inlamnad").pk}


def _document_attachment():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from goals import services

    document = ThemeDocumentFactory()
    attachment = services.document_attachment_add(
        actor=None, document=document, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    return {"pk": document.pk, "attachment_pk": attachment.pk}


def _link():
    from goals.models import ProgrammeLink

    link = ProgrammeLink.objects.create(
        point=ProgrammePointFactory(), kind="beslut", title="Beslut", url="https://example.org"
    )
    return {"pk": link.pk}


RULES = {
    "goals:index": Access(BOARD),
    "goals:overview_status": Access(BOARD),
    "goals:plan": Access(BOARD),
    # With no plan to copy it refuses with a message and goes back to the plan page.
    "goals:plan_copy": Access(PLAN, method="post", ok=302),
    "goals:goal_create": Access(PLAN),
    "goals:goal_edit": Access(PLAN, kwargs=lambda: {"pk": GoalFactory().pk}),
    "goals:target_create": Access(PLAN, kwargs=lambda: {"goal_pk": GoalFactory().pk}),
    "goals:target_edit": Access(PLAN, kwargs=lambda: {"pk": TargetFactory().pk}),
    "goals:target_delete": Access(
        PLAN, method="post", ok=302, kwargs=lambda: {"pk": TargetFactory().pk}
    ),
    "goals:activity_create": Access(PLAN),
    "goals:activity_delete": Access(PLAN, method="post", ok=302, kwargs=_activity),
    "goals:activity_edit": Access(PLAN, kwargs=_activity),
    "goals:log": Access(BOARD),
    # Someone else's entry: only those who change the plan may remove it.
    "goals:log_delete": Access(
        PLAN, method="post", ok=302, kwargs=lambda: {"pk": LogEntryFactory().pk}
    ),
    "goals:new_members": Access(NAMES),
    "goals:members_left": Access(NAMES),
    # Members who lead no group have no groups to see.
    "goals:groups": Access(BOARD),
    "goals:group_create": Access(PLAN),
    "goals:group_detail": Access(BOARD, kwargs=lambda: {"pk": ThemeGroupFactory().pk}),
    "goals:group_edit": Access(PLAN, kwargs=lambda: {"pk": ThemeGroupFactory().pk}),
    "goals:document_create": Access(
        BOARD, kwargs=lambda: {"group_pk": ThemeGroupFactory(leader=MemberFactory()).pk}
    ),
    "goals:document_detail": Access(BOARD, kwargs=lambda: {"pk": ThemeDocumentFactory().pk}),
    "goals:document_attachment_upload": Access(
        BOARD, method="post", ok=302, kwargs=lambda: {"pk": ThemeDocumentFactory().pk}
    ),
    "goals:document_attachment_download": Access(BOARD, kwargs=_document_attachment),
    "goals:document_submit": Access(
        BOARD, method="post", ok=302, kwargs=lambda: {"pk": ThemeDocumentFactory().pk}
    ),
    "goals:document_publish": Access(PUBLISHERS, method="post", ok=302, kwargs=_submitted),
    "goals:document_return": Access(PUBLISHERS, method="post", ok=302, kwargs=_submitted),
    "goals:programme": Access(BOARD | {ASSIGNMENT}),
    "goals:point_create": Access(PLAN),
    "goals:point_edit": Access(PLAN, kwargs=lambda: {"pk": ProgrammePointFactory().pk}),
    "goals:link_delete": Access(PLAN, method="post", ok=302, kwargs=_link),
    "goals:report_latest": Access(BOARD, ok=302),
    "goals:report": Access(BOARD, kwargs=lambda: {"year": 2023}),
    "goals:report_edit": Access(PLAN, kwargs=lambda: {"year": 2023}),
    "goals:report_pdf": Access(BOARD, kwargs=lambda: {"year": 2023}),
}
