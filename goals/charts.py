"""The goals at a glance: every measured figure of the year as a bar towards its target, with a
tick where it should be by today. Drawn from the progress the dashboard has already measured, so
the chart costs no query."""

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from members.charts import progress_chart

from .selectors import GoalProgress, Status


def goals_chart(progress: list[GoalProgress], *, year: int, finished: bool) -> SafeString:
    items = []
    reached = 0
    for item in progress:
        for figure in item.figures:
            if not figure.measured:
                continue
            target = figure.target.target
            reached += figure.status == Status.REACHED
            share = round(100 * figure.actual / target) if target else 100
            name = _("Mål %(number)s: %(label)s") % {
                "number": item.goal.number,
                "label": figure.label,
            }
            items.append(
                {
                    "label": name,
                    "value": figure.actual,
                    "target": target,
                    # A finished year has no "by today": the tick would only repeat the target.
                    "expected": None if finished else figure.expected_now,
                    "text": _("%(actual)s av %(target)s (%(share)s %%)")
                    % {"actual": figure.actual, "target": target, "share": share},
                    "row": [name, str(figure.actual), str(target)]
                    + ([] if finished else [str(figure.expected_now)]),
                }
            )
    if not items:
        return SafeString("")
    summary = _("%(reached)s av %(n)s mätetal %(year)s har nått sitt mål.") % {
        "reached": reached,
        "n": len(items),
        "year": year,
    }
    if not finished:
        summary += " " + _("Strecket visar var siffran borde vara i dag.")
    return progress_chart(
        items,
        label=_("Målen %(year)s: utfall mot mål för varje mätetal") % {"year": year},
        summary=summary,
        headers=[_("Mätetal"), _("Utfall"), _("Mål")]
        + ([] if finished else [_("Borde vara i dag")]),
        testid="goals-chart",
    )
