"""Member statistics for the board."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from krets.params import year_param
from krets.reads import note_rows, reads_personal_data
from krets.rights import Perm, requires

from .charts import bar_chart, line_chart
from .selectors import current_year, member_statistics


@requires(Perm.STATISTICS_VIEW)
@reads_personal_data("member_statistics")
def statistics(request):
    """Aggregates only, but over everyone's birth date, district and join date: a read of the
    registry, logged with the number of members counted."""
    year = year_param(request, current_year)
    stats = member_statistics(year=year)
    note_rows(request, stats["active"])
    return render(
        request,
        "members/statistics.html",
        {
            "year": year,
            "stats": stats,
            "growth_chart": line_chart(
                [(f"{d:%Y-%m}", n) for d, n in stats["over_time"]],
                label=_("Antal medlemmar i slutet av varje månad"),
            ),
            "age_chart": bar_chart(stats["ages"], label=_("Medlemmar per åldersgrupp")),
            "district_chart": bar_chart(
                [(name or _("Okänd"), n) for name, n in stats["districts"]],
                label=_("Medlemmar per kommundel"),
            ),
            "target_chart": bar_chart(
                [(_("Mål"), stats["target"] or 0), (_("Nya hittills"), stats["new_members"])],
                label=_("Nya medlemmar i år mot målet"),
            ),
        },
    )
