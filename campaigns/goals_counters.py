"""What campaigns count toward the year's goals (see goals/registry.py). Each figure links to
exactly the rows it counts (campaigns/records.py: one query for both)."""

from django.utils.translation import gettext_lazy as _

from goals.registry import Counter, register
from krets.rights import Perm

from . import records, selectors


def _records(what: str):
    return lambda start, end: records.records_url(what, start, end)


register(
    Counter(
        key="campaigns.paid_marketing_months",
        label=_("Månader med betald marknadsföring i minst två kanaler"),
        count=selectors.paid_marketing_months,
        records_url=_records("marknadsforing"),
        records_permission=Perm.CAMPAIGNS_VIEW,
        report_order=80,
    )
)
register(
    Counter(
        key="campaigns.live_panels_held",
        label=_("Genomförda livesända panelsamtal"),
        count=selectors.live_panels_held,
        records_url=_records("paneler"),
        records_permission=Perm.COMMUNICATION_VIEW,
        report_order=50,
    )
)
register(
    Counter(
        key="campaigns.campaigns_held",
        label=_("Genomförda kampanjer"),
        count=selectors.campaigns_held,
        records_url=_records("kampanjer"),
        records_permission=Perm.CAMPAIGNS_VIEW,
        report_order=70,
    )
)
register(
    Counter(
        key="campaigns.competitions_held",
        label=_("Genomförda tävlingar"),
        count=selectors.competitions_held,
        records_url=_records("tavlingar"),
        records_permission=Perm.COMMUNICATION_VIEW,
        report_order=72,
    )
)
register(
    Counter(
        key="campaigns.competition_participants",
        label=_("Deltagare i tävlingar"),
        count=selectors.competition_participants,
        records_url=_records("tavlingsdeltagare"),
        records_permission=Perm.COMMUNICATION_VIEW,
        report_order=74,
    )
)
