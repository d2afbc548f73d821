"""The activity log, and the records behind "new members"."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.errors import NotAllowed
from krets.params import date_param, int_param
from krets.reads import note_rows, reads_personal_data
from krets.rights import Perm, requires

from .. import selectors, services
from ..forms import (
    LogEntryForm,
)
from ..models import (
    Activity,
    LogEntry,
)
from .common import year_shown


@requires(Perm.GOALS_VIEW)
def log(request):
    """What was done with no record of its own; any board member logs an entry."""
    year = year_shown(request)
    activity_id = int_param(request, "aktivitet", None, min_value=1)
    form = LogEntryForm(
        request.POST or None, year=year, initial={"activity": activity_id, "who": request.user}
    )
    if request.method == "POST" and form.is_valid():
        services.log_entry_create(actor=request.user, ip=client_ip(request), **form.cleaned_data)
        messages.success(request, _("Loggat."))
        return redirect(selectors.log_url(activity_id=activity_id, year=year))
    entries = selectors.log_entries(year=year, activity_id=activity_id)
    return render(
        request,
        "goals/log.html",
        {
            "year": year,
            "activity": Activity.objects.filter(pk=activity_id).first() if activity_id else None,
            "page": Paginator(entries, 50).get_page(request.GET.get("sida")),
            "form": form,
        },
    )


@require_POST
@requires(Perm.GOALS_VIEW)
def log_delete(request, pk: int):
    entry = get_object_or_404(LogEntry, pk=pk)
    try:
        services.log_entry_delete(
            actor=request.user,
            entry=entry,
            may_delete_any=request.rights.has(Perm.GOALS_CHANGE),
            ip=client_ip(request),
        )
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, _("Loggposten är borttagen."))
    return redirect(selectors.log_url(year=entry.happened_on.year))


@requires(Perm.MEMBERS_NAMES)
@reads_personal_data("new_members")
def new_members(request):
    """The records behind "new members": who joined in a period (names, district, date)."""
    today = timezone.localdate()
    start = date_param(request, "fran", datetime.date(today.year, 1, 1))
    end = date_param(request, "till", today)
    page = Paginator(selectors.new_members(start, end), 100).get_page(request.GET.get("sida"))
    note_rows(request, len(page))
    return render(request, "goals/new_members.html", {"page": page, "start": start, "end": end})


@requires(Perm.MEMBERS_NAMES)
@reads_personal_data("members_left")
def members_left(request):
    """The records behind the annual report's "Utträdda": who left in a period."""
    today = timezone.localdate()
    start = date_param(request, "fran", datetime.date(today.year, 1, 1))
    end = date_param(request, "till", today)
    page = Paginator(selectors.members_left(start, end), 100).get_page(request.GET.get("sida"))
    note_rows(request, len(page))
    return render(request, "goals/members_left.html", {"page": page, "start": start, "end": end})
