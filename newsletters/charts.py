"""Newsletter reach over a year: each letter's recipients and how many the mail server took."""

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from krets.templatetags.krets_format import sv_day
from members.charts import progress_chart

from .selectors import newsletter_reach


def reach_chart(*, year: int) -> SafeString:
    """One query. Nothing sent in the year: an empty string, the page says so in words."""
    rows = newsletter_reach(year)
    if not rows:
        return SafeString("")
    items = []
    for row in rows:
        name = f"{sv_day(row['sent_at'])}: {row['subject']}"
        # A letter sent without the mail engine's record (older data, the demo) has no
        # recipients to count: shown as unknown, never as "0 av 0".
        known = row["recipients"] > 0
        text = _("%(delivered)s av %(recipients)s") % row if known else _("okänt")
        items.append(
            {
                "label": name,
                "value": row["delivered"],
                "target": row["recipients"],
                "text": text,
                "row": [name]
                + ([str(row["delivered"]), str(row["recipients"])] if known else ["–", "–"]),
            }
        )
    delivered = sum(row["delivered"] for row in rows)
    recipients = sum(row["recipients"] for row in rows)
    if recipients:
        summary = _(
            "%(n)s nyhetsbrev %(year)s nådde %(delivered)s av %(recipients)s mottagare sammanlagt."
        ) % {"n": len(rows), "year": year, "delivered": delivered, "recipients": recipients}
    else:
        summary = _(
            "%(n)s nyhetsbrev skickade %(year)s; hur många de nådde är inte registrerat."
        ) % {
            "n": len(rows),
            "year": year,
        }
    return progress_chart(
        items,
        label=_("Nyhetsbrevens räckvidd %(year)s: levererade av mottagare per brev")
        % {"year": year},
        summary=summary,
        headers=[_("Nyhetsbrev"), _("Levererade"), _("Mottagare")],
        testid="newsletter-reach-chart",
    )
