"""The decision group: matters, votes and how a vote was closed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.rights import login_only

from .. import selectors, services
from ..forms import MatterForm
from ..selectors import get_matter_for_user


@login_only
def matters(request):
    if not selectors.may_see_matters(request.rights):
        raise PermissionDenied
    return render(
        request,
        "meetings/matters.html",
        {
            "matters": selectors.matters_visible_to(request.rights),
            "can_raise": selectors.may_raise_matter(request.rights),
        },
    )


@login_only
def matter_create(request):
    if not selectors.may_raise_matter(request.rights):
        raise PermissionDenied
    form = MatterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.matter_raise(
                actor=request.user,
                ip=client_ip(request),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                description=form.cleaned_data["description"],
                proposals=form.cleaned_data["proposals"].splitlines(),
                meeting=form.cleaned_data["meeting"],
            )
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            return redirect("meetings:matter", pk=matter.pk)
    return render(request, "meetings/matter_form.html", {"form": form})


@login_only
def matter(request, pk: int):
    matter, seat = get_matter_for_user(request, pk)
    votes = {v.member_id: v for v in matter.votes.select_related("proposal")}
    seats = list(matter.seats.select_related("member"))
    return render(
        request,
        "meetings/matter.html",
        {
            "matter": matter,
            "seat": seat,
            "seats": [(s, votes.get(s.member_id)) for s in seats],
            "spokespeople": [s for s in seats if s.speaks_to_media],
            "proposals": matter.proposals.all(),
            "my_vote": votes.get(seat.member_id) if seat else None,
            "outcome": selectors.matter_outcome(matter) if matter.is_open else None,
        },
    )


@login_only
@require_POST
def matter_vote(request, pk: int):
    matter, seat = get_matter_for_user(request, pk, vote=True)
    choice = request.POST.get("forslag", "")
    proposal = matter.proposals.filter(pk=choice).first() if choice.isdigit() else None
    try:
        services.vote_cast(
            actor=request.user,
            matter=matter,
            member=seat.member,
            proposal=proposal,
            ip=client_ip(request),
        )
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Din röst är registrerad."))
    return redirect("meetings:matter", pk=pk)


@login_only
@require_POST
def matter_close(request, pk: int):
    matter, _seat = get_matter_for_user(request, pk, vote=True)
    try:
        services.matter_close(actor=request.user, matter=matter, ip=client_ip(request))
    except services.MeetingError as error:
        messages.error(request, str(error))
    return redirect("meetings:matter", pk=pk)
