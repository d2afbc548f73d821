"""Campaigns and external communication: the board reads; each function changes its part."""

import datetime

from tests.fixtures.campaigns import (
    CampaignFactory,
    CompetitionFactory,
    ContentItemFactory,
    EntryFactory,
    LivePanelFactory,
)

from . import BOARD, Access, F, only

CAMPAIGNERS = only(F.CHAIR, F.CAMPAIGN, F.ELECTION)
COMMUNICATORS = only(F.CHAIR, F.COMMUNICATION)
# Publishing and returning content is the kommunikationsansvarig's alone.
PUBLISHER = only(F.COMMUNICATION)


def campaign():
    return {"pk": CampaignFactory().pk}


def others_content(status="ide"):
    return lambda: {"pk": ContentItemFactory(status=status).pk}


def competition():
    return {"pk": CompetitionFactory().pk}


def competition_with_entry():
    return {"pk": EntryFactory().competition_id}


def competition_participants():
    EntryFactory(competition__ends_on=datetime.date(2023, 9, 15))
    return {"what": "tavlingsdeltagare"}


RULES = {
    "campaigns:index": Access(BOARD),
    "campaigns:create": Access(CAMPAIGNERS),
    "campaigns:detail": Access(BOARD, kwargs=campaign),
    "campaigns:edit": Access(CAMPAIGNERS, kwargs=campaign),
    "campaigns:activity_add": Access(CAMPAIGNERS, kwargs=campaign),
    "campaigns:marketing": Access(BOARD),
    "campaigns:marketing_month": Access(CAMPAIGNERS, kwargs=lambda: {"year": 2026, "month": 12}),
    "campaigns:channels": Access(BOARD),
    "campaigns:content": Access(BOARD),
    "campaigns:content_create": Access(BOARD),
    "campaigns:content_detail": Access(BOARD, kwargs=others_content()),
    # Someone else's content: only the kommunikationsansvarig may change it.
    "campaigns:content_edit": Access(PUBLISHER, kwargs=others_content()),
    "campaigns:content_advance": Access(PUBLISHER, method="post", ok=302, kwargs=others_content()),
    "campaigns:content_publish": Access(
        PUBLISHER, method="post", ok=302, kwargs=others_content("granskas")
    ),
    "campaigns:content_return": Access(
        PUBLISHER, method="post", ok=302, kwargs=others_content("granskas")
    ),
    "campaigns:panels": Access(BOARD),
    "campaigns:panel_create": Access(COMMUNICATORS),
    "campaigns:panel_edit": Access(COMMUNICATORS, kwargs=lambda: {"pk": LivePanelFactory().pk}),
    "campaigns:competitions": Access(BOARD),
    "campaigns:competition_create": Access(COMMUNICATORS),
    "campaigns:competition_detail": Access(BOARD, kwargs=competition),
    "campaigns:entry_add": Access(COMMUNICATORS, method="post", ok=302, kwargs=competition),
    "campaigns:draw": Access(COMMUNICATORS, method="post", ok=302, kwargs=competition_with_entry),
    # The rows behind a goal figure; the participants page names people, and the whole board
    # reads competitions.
    "campaigns:records": Access(
        BOARD,
        kwargs=competition_participants,
        query="?fran=2023-01-01&till=2023-12-31",
    ),
}
