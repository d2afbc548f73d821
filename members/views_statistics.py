"""Member statistics for the board, and the year's recruitment target."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.rights import Perm, requires

from .charts import bar_chart, line_chart
from .forms import RecruitmentTargetForm
from .models import RecruitmentTarget
from .selectors import current_year, member_statistics


@requires(Perm.STATISTICS_VIEW)
def statistics(request):
    try:
        year = int(request.GET.get("ar", current_year()))
    except ValueError:
        year = current_year()
    stats = member_statistics(year=year)
    return render(
        request,
        "members/statistics.html",
        {
            "year": year,
            "stats": stats,
            "growth_chart": line_chart([(f"{d:%Y-%m}", n) for d, n in stats["over_time"]]),
            "age_chart": bar_chart(stats["ages"]),
            "district_chart": bar_chart(
                [(name or _("Okänd"), n) for name, n in stats["districts"]]
            ),
            "target_chart": bar_chart(
                [(_("Mål"), stats["target"] or 0), (_("Nya hittills"), stats["new_members"])]
            ),
            "target_form": RecruitmentTargetForm(
                initial={"year": year, "new_members": stats["target"]}
            ),
        },
    )


# Setting the year's recruitment target is part of the year's plan (Mål 2: more members),
# which the ordförande and vice ordförande change.
@requires(Perm.GOALS_CHANGE)
@require_POST
def target_set(request):
    form = RecruitmentTargetForm(request.POST)
    if form.is_valid():
        RecruitmentTarget.objects.update_or_create(
            year=form.cleaned_data["year"],
            defaults={"new_members": form.cleaned_data["new_members"]},
        )
        messages.success(request, _("Rekryteringsmålet är sparat."))
        return redirect(f"{reverse('members:statistics')}?ar={form.cleaned_data['year']}")
    messages.error(request, _("Rekryteringsmålet kunde inte sparas."))
    return redirect("members:statistics")
