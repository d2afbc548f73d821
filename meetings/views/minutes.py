"""The minutes, their approval, attendance, and a training's participants."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.reads import note_rows, note_target, reads_personal_data
from krets.rights import Perm, requires
from krets.spreadsheet import excel_writer

from .. import selectors, services
from ..forms import ParticipantForm
from ..minutes_forms import AdjustersForm, AdjustForm, ParagraphFormSet, WalkInForm
from ..selectors import get_meeting_for_user


@requires(Perm.MEETINGS_VIEW)
def minutes(request, pk: int):
    """The minutes § by §: the secretary writes, the meeting's justerare adjust."""
    meeting = get_meeting_for_user(request, pk)
    can_change = selectors.can_change_meeting(request.rights, meeting)
    writable = can_change and not meeting.minutes_locked and meeting.minutes_finished_at is None
    paragraphs = list(meeting.paragraphs.all())
    initial = [
        {"title": p.title, "discussion": p.discussion, "decision": p.decision} for p in paragraphs
    ] or [{"title": title} for title in services.paragraphs_offered(meeting)]
    formset = ParagraphFormSet(request.POST or None, initial=initial, prefix="p")
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        if formset.is_valid():
            rows = [
                services.ParagraphInput(
                    title=form.cleaned_data.get("title", ""),
                    discussion=form.cleaned_data.get("discussion", ""),
                    decision=form.cleaned_data.get("decision", ""),
                )
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            try:
                services.minutes_paragraphs_save(
                    actor=request.user, meeting=meeting, paragraphs=rows, ip=client_ip(request)
                )
            except services.MeetingError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Protokollet är sparat."))
            return redirect("meetings:minutes", pk=meeting.pk)
    adjusters = list(meeting.adjusters.select_related("member"))
    present = services.present_member_ids(meeting)
    by_member = {a.member_id: a for a in adjusters}
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "formset": formset,
            "paragraphs": paragraphs,
            "can_change": writable,
            "can_reopen": can_change
            and meeting.minutes_finished_at is not None
            and not meeting.minutes_locked,
            "adjusters": adjusters,
            "adjusters_form": AdjustersForm(
                present_ids=present,
                initial={
                    "first": adjusters[0].member_id if adjusters else None,
                    "second": adjusters[1].member_id if len(adjusters) > 1 else None,
                },
            )
            if writable
            else None,
            "my_adjuster": by_member.get(request.rights.member_id),
            "adjust_form": AdjustForm(),
            "attachments": meeting.attachments.all(),
            "can_attach": can_change and not meeting.minutes_locked,
            "decisions": meeting.decisions.all(),
            "matters": meeting.matters.select_related("outcome"),
        },
    )


@requires(Perm.MEETINGS_VIEW)
@require_POST
def minutes_adjusters(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    form = AdjustersForm(request.POST, present_ids=services.present_member_ids(meeting))
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("meetings:minutes", pk=meeting.pk)
    try:
        services.adjusters_choose(
            actor=request.user,
            meeting=meeting,
            members=[form.cleaned_data["first"], form.cleaned_data["second"]],
            ip=client_ip(request),
        )
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Justerarna är valda."))
    return redirect("meetings:minutes", pk=meeting.pk)


@requires(Perm.MEETINGS_VIEW)
@require_POST
def minutes_finish(request, pk: int):
    """The secretary is done: the justerare are asked by mail. This does not lock anything."""
    meeting = get_meeting_for_user(request, pk, write=True)
    try:
        services.minutes_finish(actor=request.user, meeting=meeting, ip=client_ip(request))
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Protokollet är skickat till justerarna."))
    return redirect("meetings:minutes", pk=meeting.pk)


@requires(Perm.MEETINGS_VIEW)
@require_POST
def minutes_reopen(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    try:
        services.minutes_reopen(actor=request.user, meeting=meeting, ip=client_ip(request))
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Protokollet är öppnat för ändringar igen."))
    return redirect("meetings:minutes", pk=meeting.pk)


@requires(Perm.MEETINGS_VIEW)
@reads_personal_data("attendance")
def attendance(request, pk: int):
    meeting = get_meeting_for_user(request, pk)
    can_change = selectors.can_change_meeting(request.rights, meeting)
    if not selectors.may_take_attendance(request.rights, meeting):
        raise PermissionDenied
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        attended = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
        try:
            services.attendance_record(
                actor=request.user, meeting=meeting, attended_ids=attended, ip=client_ip(request)
            )
        except services.MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Närvaron är sparad."))
        return redirect("meetings:attendance", pk=meeting.pk)
    invitations = meeting.invitations.select_related("member")
    note_rows(request, len(invitations))
    note_target(request, f"meeting:{meeting.pk}")
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "invitations": invitations,
            "walk_ins": meeting.walk_ins.select_related("member"),
            "walk_in_form": WalkInForm(),
            "can_change": can_change,
            "started": meeting.starts_at <= timezone.now(),
            "present": selectors.attendance_count(meeting),
            "from_signups": selectors.present_from_parts(meeting),
            "counts": selectors.reply_counts(meeting),
        },
    )


@requires(Perm.MEETINGS_VIEW)
@require_POST
def walk_in(request, pk: int):
    """Someone present who was not on the list: a member, or a guest by name."""
    meeting = get_meeting_for_user(request, pk, write=True)
    if not selectors.may_take_attendance(request.rights, meeting):
        raise PermissionDenied
    form = WalkInForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("meetings:attendance", pk=meeting.pk)
    try:
        services.walk_in_record(
            actor=request.user,
            meeting=meeting,
            member=form.cleaned_data["member"],
            guest_name=form.cleaned_data["guest_name"],
            ip=client_ip(request),
        )
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Närvaron är sparad."))
    return redirect("meetings:attendance", pk=meeting.pk)


@requires(Perm.MEETINGS_VIEW)
@require_POST
def walk_in_remove(request, pk: int):
    """Take back a walk-in recorded by mistake."""
    meeting = get_meeting_for_user(request, pk, write=True)
    if not selectors.may_take_attendance(request.rights, meeting):
        raise PermissionDenied
    value = request.POST.get("walk_in", "")
    walk_in = (
        meeting.walk_ins.select_related("member").filter(pk=int(value)).first()
        if value.isdigit() and len(value) < 10
        else None
    )
    if walk_in is None:
        messages.error(request, _("Den närvarande finns inte längre i listan."))
        return redirect("meetings:attendance", pk=meeting.pk)
    try:
        services.walk_in_remove(actor=request.user, walk_in=walk_in, ip=client_ip(request))
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s är borttagen ur närvaron.") % {"name": walk_in})
    return redirect("meetings:attendance", pk=meeting.pk)


@requires(Perm.TRAININGS_CHANGE)
@reads_personal_data("training_participants")
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
    if request.method == "POST" and form.has_error("email", "not_added"):
        services.participant_attempt_refused(
            actor=request.user, meeting=meeting, ip=client_ip(request)
        )
    invitations = meeting.invitations.select_related("member")
    note_rows(request, len(invitations))
    note_target(request, f"meeting:{meeting.pk}")
    return render(
        request,
        "meetings/participants.html",
        {"meeting": meeting, "form": form, "invitations": invitations},
    )


@requires(Perm.TRAININGS_CHANGE)
@reads_personal_data("training_participants_csv", export=True)
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
    note_rows(request, len(rows))
    note_target(request, f"meeting:{meeting.pk}")
    return response
