"""The minutes, their approval, attendance, and a training's participants."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.rights import Perm, requires
from krets.spreadsheet import excel_writer

from .. import selectors, services
from ..forms import MinutesForm, ParticipantForm
from ..selectors import get_meeting_for_user


@requires(Perm.MEETINGS_VIEW)
def minutes(request, pk: int):
    meeting = get_meeting_for_user(request, pk)
    can_change = selectors.can_change_meeting(request.rights, meeting)
    form = MinutesForm(
        request.POST or None,
        initial={
            "text": meeting.minutes,
            "decisions": "\n".join(d.text for d in meeting.decisions.all()),
        },
    )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.minutes_write(
                    actor=request.user,
                    ip=client_ip(request),
                    meeting=meeting,
                    text=form.cleaned_data["text"],
                    decisions=form.cleaned_data["decisions"].splitlines(),
                )
            except services.MeetingError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Protokollet är sparat."))
            return redirect("meetings:minutes", pk=meeting.pk)
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "form": form,
            "can_change": can_change and not meeting.minutes_locked,
            "decisions": meeting.decisions.all(),
            "matters": meeting.matters.select_related("outcome"),
        },
    )


@requires(Perm.MEETINGS_VIEW)
@require_POST
def minutes_approve(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    try:
        services.minutes_approve(actor=request.user, meeting=meeting, ip=client_ip(request))
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Protokollet är justerat och låst."))
    return redirect("meetings:minutes", pk=meeting.pk)


@requires(Perm.MEETINGS_VIEW)
def attendance(request, pk: int):
    meeting = get_meeting_for_user(request, pk)
    can_change = selectors.can_change_meeting(request.rights, meeting)
    if not selectors.may_take_attendance(request.rights, meeting):
        raise PermissionDenied
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        attended = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
        services.attendance_record(
            actor=request.user, meeting=meeting, attended_ids=attended, ip=client_ip(request)
        )
        messages.success(request, _("Närvaron är sparad."))
        return redirect("meetings:attendance", pk=meeting.pk)
    invitations = meeting.invitations.select_related("member")
    services.attendance_view_record(actor=request.user, meeting=meeting, ip=client_ip(request))
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "invitations": invitations,
            "can_change": can_change,
            "counts": selectors.reply_counts(meeting),
        },
    )


@requires(Perm.TRAININGS_CHANGE)
def participants(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    if not meeting.is_training:
        raise Http404
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.participant_register(
            actor=request.user, meeting=meeting, member=form.member, ip=client_ip(request)
        )
        messages.success(request, _("%(name)s är anmäld.") % {"name": form.member.full_name})
        return redirect("meetings:participants", pk=meeting.pk)
    services.participants_view_record(actor=request.user, meeting=meeting, ip=client_ip(request))
    return render(
        request,
        "meetings/participants.html",
        {
            "meeting": meeting,
            "form": form,
            "invitations": meeting.invitations.select_related("member"),
        },
    )


@requires(Perm.TRAININGS_CHANGE)
def participants_csv(request, pk: int):
    """The participant list for the study association: Swedish Excel opens it as it is."""
    meeting = get_meeting_for_user(request, pk, write=True)
    if not meeting.is_training:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deltagare-{meeting.pk}.csv"'
    writer = excel_writer(response)
    writer.writerow(
        [_("Förnamn"), _("Efternamn"), _("Födelseår"), _("Ort"), _("E-post"), _("Närvarade")]
    )
    rows = meeting.invitations.select_related("member")
    for invitation in rows:
        member = invitation.member
        writer.writerow(
            [
                member.first_name,
                member.last_name,
                member.birth_date.year if member.birth_date else "",
                member.town,
                member.email,
                {True: _("Ja"), False: _("Nej")}.get(invitation.attended, ""),
            ]
        )
    services.participants_export_record(
        actor=request.user, meeting=meeting, rows=len(rows), ip=client_ip(request)
    )
    return response
