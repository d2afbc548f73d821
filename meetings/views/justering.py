"""Justering (by the signed link in the mail, or signed in), the protocol PDF, and the
decisions (beslut) of every meeting, searchable."""

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.attachments import serve
from krets.audit import client_ip
from krets.errors import Invalid
from krets.params import int_param
from krets.rights import Perm, login_only, public, requires
from members.tokens import member_from_token

from .. import selectors, services
from ..mail_kinds import MEETING_ADJUST
from ..minutes_forms import AdjustForm
from ..models import Adjuster, MinutesAttachment
from ..selectors import get_meeting_for_user


def _adjust_page(request, adjuster: Adjuster, *, back: str):
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_adjust(
                actor=request.user if request.user.is_authenticated else None,
                adjuster=adjuster,
                approve="justera" in request.POST,
                comment=form.cleaned_data["comment"],
                ip=client_ip(request),
            )
        except services.MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Tack! Ditt svar är sparat."))
        return redirect(back)
    meeting = adjuster.meeting
    return render(
        request,
        "meetings/adjust.html",
        {
            "meeting": meeting,
            "adjuster": adjuster,
            "adjusters": meeting.adjusters.select_related("member"),
            "paragraphs": meeting.paragraphs.all(),
            "form": form,
            "can_answer": meeting.minutes_finished_at is not None and not meeting.minutes_locked,
        },
    )


@public
def adjust(request, pk: int, token: str):
    """From the link in the justerare's mail; no login."""
    member = member_from_token(token, MEETING_ADJUST, extra=str(pk))
    adjuster = (
        Adjuster.objects.select_related("meeting", "member")
        .filter(meeting_id=pk, member=member)
        .first()
        if member is not None
        else None
    )
    if adjuster is None:
        return render(request, "meetings/adjust_invalid.html", status=404)
    return _adjust_page(request, adjuster, back=request.path)


@login_only
def adjust_signed_in(request, pk: int):
    """The same, for a justerare who is signed in."""
    adjuster = (
        Adjuster.objects.select_related("meeting", "member")
        .filter(meeting_id=pk, member_id=request.rights.member_id)
        .first()
        if request.rights.member_id is not None
        else None
    )
    if adjuster is None:
        raise PermissionDenied
    return _adjust_page(request, adjuster, back=request.path)


@requires(Perm.MEETINGS_VIEW)
def minutes_pdf(request, pk: int):
    """The protocol as A4 PDF, with who adjusted it and when (WeasyPrint, as the annual
    report)."""
    from weasyprint import HTML  # loads pango: only here

    meeting = get_meeting_for_user(request, pk)
    with open(finders.find("goals/report-print.css"), encoding="utf-8") as css:
        html = render_to_string(
            "meetings/minutes_pdf.html",
            {
                "meeting": meeting,
                "paragraphs": meeting.paragraphs.all(),
                "adjusters": meeting.adjusters.select_related("member"),
                "present": selectors.present_names(meeting),
                "stylesheet": css.read(),
            },
            request=request,
        )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protokoll-{meeting.pk}.pdf"'
    return response


@requires(Perm.MINUTES_DECISIONS_VIEW)
def decisions(request):
    """Every decision written in the minutes of meetings the person may see (politicians: the
    council group's, among others), newest meeting first; search by words."""
    query = request.GET.get("q", "").strip()[:100]
    # ?mote=<id>: one meeting's decisions (where the election programme's links land).
    meeting_id = int_param(request, "mote", None, min_value=1, max_value=2**31 - 1)
    rows, total = selectors.decisions_found(request.rights, query, meeting_id=meeting_id)
    return render(
        request,
        "meetings/decisions.html",
        {
            "rows": rows,
            "query": query,
            "total": total,
            # Minutes are the board's; others are sent to the meeting's page.
            "minutes_link": request.rights.has(Perm.MEETINGS_VIEW),
        },
    )


@requires(Perm.MEETINGS_VIEW)
@require_POST
def attachment_upload(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    upload = request.FILES.get("fil")
    if upload is None:
        messages.error(request, _("Välj en fil."))
        return redirect("meetings:minutes", pk=meeting.pk)
    try:
        attachment = services.attachment_add(
            actor=request.user, meeting=meeting, upload=upload, ip=client_ip(request)
        )
    except Invalid as error:  # a MeetingError, or a file of the wrong kind
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s är bifogad.") % {"name": attachment.name})
    return redirect("meetings:minutes", pk=meeting.pk)


@requires(Perm.MEETINGS_VIEW)
def attachment_download(request, pk: int, attachment_pk: int):
    """Only to those who may read the minutes; always as a download."""
    meeting = get_meeting_for_user(request, pk)
    attachment = get_object_or_404(MinutesAttachment, pk=attachment_pk, meeting=meeting)
    return serve(attachment.file, filename=attachment.name, content_type=attachment.content_type)
