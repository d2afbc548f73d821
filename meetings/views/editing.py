"""Creating and changing a meeting, its status and its invitations; the invitee's reply."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from krets.audit import client_ip
from krets.rights import Perm, public, requires
from members.services import open_meeting_invitations_stop
from members.tokens import MEETING_REPLY, OPEN_MEETINGS_UNSUBSCRIBE, member_from_token

from .. import services
from ..forms import MeetingForm
from ..models import TRAINING_KINDS, Invitation, Kind, Meeting
from ..selectors import get_meeting_for_user

STATUS_MESSAGES = {
    Meeting.Status.PROPOSED: gettext_lazy("Mötet är föreslaget."),
    Meeting.Status.DECIDED: gettext_lazy("Mötet är beslutat."),
    Meeting.Status.CANCELLED: gettext_lazy("Mötet är inställt."),
}
CHANGEABLE_KINDS = [kind for kind in Kind.values if kind not in TRAINING_KINDS]


def _meeting_form(request, *, kinds, meeting=None):
    form = MeetingForm(request.POST or None, instance=meeting, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        who = {"actor": request.user, "ip": client_ip(request)}
        try:
            if meeting is None:
                meeting = services.meeting_create(**who, **data, agenda=form.agenda_items())
            else:
                # One transaction: the changes and the agenda are saved together or not at all.
                meeting = services.meeting_update(
                    **who, meeting=meeting, changes=data, agenda=form.agenda_items()
                )
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Mötet är sparat."))
            if meeting.is_digital and not meeting.kit_bookings.exists():
                messages.info(request, _("Mötet är digitalt: vill du boka konferensutrustningen?"))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


@requires(Perm.MEETINGS_CHANGE)
def create(request):
    return _meeting_form(request, kinds=CHANGEABLE_KINDS)


@requires(Perm.TRAININGS_CHANGE)
def training_create(request):
    return _meeting_form(request, kinds=sorted(TRAINING_KINDS))


@requires(Perm.MEETINGS_VIEW)
def edit(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    kinds = sorted(TRAINING_KINDS) if meeting.is_training else CHANGEABLE_KINDS
    return _meeting_form(request, kinds=kinds, meeting=meeting)


@requires(Perm.MEETINGS_VIEW)
@require_POST
def status(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    new_status = request.POST.get("status")
    if new_status in Meeting.Status.values:
        services.meeting_set_status(
            actor=request.user, meeting=meeting, status=new_status, ip=client_ip(request)
        )
        messages.success(request, STATUS_MESSAGES[new_status])
    return redirect("meetings:detail", pk=meeting.pk)


@requires(Perm.MEETINGS_VIEW)
@require_POST
def invite(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    try:
        count = services.invitations_send(
            actor=request.user, meeting=meeting, ip=client_ip(request)
        )
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "Inbjudan skickas till %(count)s person.",
                "Inbjudan skickas till %(count)s personer.",
                count,
            )
            % {"count": count},
        )
    return redirect("meetings:detail", pk=meeting.pk)


@public
def reply(request, pk: int, token: str):
    """Coming or not, from the link in the invitation; no login. GET shows, POST records."""
    member = member_from_token(token, MEETING_REPLY, extra=str(pk))
    invitation = (
        Invitation.objects.select_related("meeting", "meeting__district", "member")
        .filter(meeting_id=pk, member=member)
        .first()
        if member is not None
        else None
    )
    if invitation is None:
        return render(request, "meetings/reply_invalid.html", status=404)
    if request.method == "POST":
        try:
            services.invitation_reply(
                actor=None,
                invitation=invitation,
                coming=request.POST.get("svar") == "ja",
                ip=client_ip(request),
            )
        except services.MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Tack för ditt svar!"))
        return redirect("meetings:reply", pk=pk, token=token)
    return render(
        request, "meetings/reply.html", {"invitation": invitation, "meeting": invitation.meeting}
    )


@public
@csrf_exempt  # the signed token is the credential; mail apps POST here with no form (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One-click "no more invitations to open meetings". GET (a person, or a link scanner)
    only shows a button; POST, from that button or the mail app's one-click
    `List-Unsubscribe=One-Click`, turns them off. Again changes nothing and says the same."""
    member = member_from_token(token, OPEN_MEETINGS_UNSUBSCRIBE)
    if member is None or member.anonymised_on is not None:
        return render(request, "meetings/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        open_meeting_invitations_stop(member=member, ip=client_ip(request))
        return render(request, "meetings/unsubscribe.html", {"done": True})
    return render(request, "meetings/unsubscribe.html", {"member": member})
