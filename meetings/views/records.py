"""The rows behind a goal figure: held meetings, and who attended them, for a period, kinds
and district given in the link (meetings/records.py counts with the same queries)."""

from django.shortcuts import render

from krets.reads import note_rows, reads_personal_data
from krets.rights import Perm, requires

from .. import records
from ..models import Kind


def _filters(request):
    start, end = records.parse_period(request.GET)
    kinds = [kind for kind in request.GET.getlist("typ") if kind in Kind.values] or Kind.values
    district = request.GET.get("kommundel")
    return start, end, kinds, district


@requires(Perm.MEETINGS_VIEW)
def held(request):
    start, end, kinds, district = _filters(request)
    meetings = (
        records.held_meetings(kinds, start, end, district=district)
        .select_related("district")
        .order_by("starts_at", "pk")
    )
    return render(
        request,
        "meetings/records_held.html",
        {
            "meetings": meetings,
            "start": start,
            "end": end,
            "kinds": [Kind(kind).label for kind in kinds],
            "district": district,
        },
    )


@requires(Perm.MEETINGS_VIEW, Perm.MEMBERS_NAMES)
@reads_personal_data("meetings_attended")
def attended(request):
    start, end, kinds, district = _filters(request)
    rows = records.attendance_at(records.held_meetings(kinds, start, end, district=district))
    note_rows(request, len(rows))
    return render(
        request,
        "meetings/records_attended.html",
        {
            "rows": rows,
            "start": start,
            "end": end,
            "kinds": [Kind(kind).label for kind in kinds],
        },
    )
