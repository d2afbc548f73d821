"""Newsletters at /nyhetsbrev/: the board reads them, the kommunikationsansvarig (and the
ordförande) writes and sends; members reach unsubscribe and the archive through signed links."""

from members.tokens import NEWSLETTER_ARCHIVE, UNSUBSCRIBE, member_token
from newsletters.models import Newsletter
from tests.factories import MemberFactory

from . import BOARD, EVERYONE, Access, F, only

WRITERS = only(F.CHAIR, F.COMMUNICATION)


def _draft() -> dict:
    return {"pk": Newsletter.objects.create(subject="Prov", body="Text").pk}


def _sent() -> dict:
    newsletter = Newsletter.objects.create(subject="Skickat", body="Text", state="skickad")
    return {"token": member_token(MemberFactory().pk, NEWSLETTER_ARCHIVE), "pk": newsletter.pk}


def _post(ok: int = 302) -> Access:
    return Access(WRITERS, method="post", ok=ok, kwargs=_draft)


RULES = {
    "newsletters:index": Access(BOARD),
    "newsletters:records_sent": Access(BOARD, query="?fran=2026-01-01&till=2026-12-31"),
    "newsletters:create": Access(WRITERS),
    "newsletters:detail": Access(BOARD, kwargs=_draft),
    "newsletters:edit": Access(WRITERS, kwargs=_draft),
    "newsletters:preview": Access(BOARD, kwargs=_draft),
    "newsletters:progress": Access(BOARD, kwargs=_draft),
    "newsletters:test_send": _post(),
    "newsletters:send": _post(),
    "newsletters:pause": _post(),
    "newsletters:resume": _post(),
    "newsletters:cancel": _post(),
    "newsletters:unschedule": _post(),
    # Signed links from the member's mail: no login. GET only shows the button.
    "newsletters:unsubscribe": Access(
        EVERYONE, kwargs=lambda: {"token": member_token(MemberFactory().pk, UNSUBSCRIBE)}
    ),
    "newsletters:archive": Access(
        EVERYONE, kwargs=lambda: {"token": member_token(MemberFactory().pk, NEWSLETTER_ARCHIVE)}
    ),
    "newsletters:archive_detail": Access(EVERYONE, kwargs=_sent),
}
