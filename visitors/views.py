"""The open doors' pages. Public pages are marked @public; every answer to a public form that
passed validation is the same "check your mail" page, whatever happened behind it."""

import datetime
from urllib.parse import quote_plus

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from krets.audit import client_ip
from krets.errors import DomainError
from krets.params import year_param
from krets.reads import note_rows, reads_personal_data
from krets.rights import Perm, public, requires
from meetings import ical
from meetings.models import OPEN_KINDS, Meeting
from meetings.selectors import can_change_meeting
from members.tokens import SELF_SERVICE, member_from_token

from . import abuse, selectors, services, tokens
from .forms import AttendanceForm, DeclineForm, JoinForm, LeaveForm, SignUpForm
from .goals_counters import STEPS
from .models import Application, Contact, SignUp, Source

FUNNEL_LABELS = [label for _key, _step, label in STEPS]

PAGE_CACHE_SECONDS = 300


def map_url(meeting) -> str:
    """A plain OpenStreetMap search link: no third-party map is embedded in our pages."""
    return f"https://www.openstreetmap.org/search?query={quote_plus(meeting.location)}"


def _public_meeting(pk: int):
    return get_object_or_404(selectors.public_meetings(), pk=pk)


def _cached_page(name: str, render_page) -> str:
    """The rendered page, cached until an open meeting changes (or PAGE_CACHE_SECONDS pass,
    so a meeting that has ended drops off)."""
    key = f"visitors:page:{name}:{selectors.public_meetings_version()}"
    html = cache.get(key)
    if html is None:
        html = render_page()
        cache.set(key, html, PAGE_CACHE_SECONDS)
    return html


def _meeting_rows() -> list[dict]:
    return [
        {"meeting": meeting, "map_url": map_url(meeting) if meeting.address else ""}
        for meeting in selectors.public_meetings()
    ]


@public
def index(request):
    html = _cached_page(
        "index",
        lambda: render_to_string("visitors/index.html", {"rows": _meeting_rows()}, request=request),
    )
    return HttpResponse(html)


@public
@xframe_options_exempt
def embed(request):
    """The list for the chapter's own website, in an iframe. Its own frame-ancestors rule
    (EMBED_ALLOWED_ORIGINS); no cookies or forms, so it is safe to frame and to cache."""
    html = _cached_page(
        "embed",
        lambda: render_to_string(
            "visitors/embed.html", {"rows": _meeting_rows(), "site_url": settings.SITE_URL}
        ),
    )
    response = HttpResponse(html)
    ancestors = ["'self'", *settings.KRETS_EMBED_ALLOWED_ORIGINS]
    if apps.is_installed("csp"):  # django-csp writes the header: only this view's framing differs
        response._csp_replace = {"frame-ancestors": ancestors}
    else:
        response["Content-Security-Policy"] = (
            f"default-src 'self'; frame-ancestors {' '.join(ancestors)}"
        )
    response["Cache-Control"] = f"public, max-age={PAGE_CACHE_SECONDS}"
    return response


def _campaign_pk(request) -> int | None:
    """The campaign whose link (?kampanj=<pk>) brought the visitor, if it is one."""
    value = request.GET.get("kampanj", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@public
def meeting(request, pk: int):
    meeting = _public_meeting(pk)
    return render(
        request,
        "visitors/meeting.html",
        {
            "meeting": meeting,
            "map_url": map_url(meeting) if meeting.address else "",
            "form": SignUpForm(initial={"kampanj": _campaign_pk(request)}),
            "campaign_pk": _campaign_pk(request),
        },
    )


@public
def meeting_ics(request, pk: int):
    meeting = _public_meeting(pk)
    response = HttpResponse(
        ical.meeting_ics_bytes(meeting), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{ical.meeting_ics_filename(meeting)}"'
    return response


def _check_your_mail(request, *, join: bool = False):
    return render(request, "visitors/check_mail.html", {"join": join})


@public
@require_POST
def signup(request, pk: int):
    meeting = _public_meeting(pk)
    form = SignUpForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "visitors/meeting.html",
            {"meeting": meeting, "map_url": map_url(meeting), "form": form},
            status=400,
        )
    data = form.cleaned_data
    ip = abuse.client_address(request)
    if form.looks_human() and abuse.within_limits(form="signup", ip=ip, email=data["email"]):
        try:
            services.signup_request(
                meeting=meeting,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                invite_consent=data["invite_consent"],
                **form.source(),
                ip=client_ip(request),
            )
        except DomainError:
            pass  # the meeting closed meanwhile: the same answer as any other
    return _check_your_mail(request)


@public
def signup_confirm(request, token: str):
    """GET shows a button (mail scanners open links); POST confirms."""
    pk = tokens.read(tokens.SIGNUP_CONFIRM, token)
    signup = SignUp.objects.filter(pk=pk, erased_at__isnull=True).select_related("meeting").first()
    if signup is None:
        return render(request, "visitors/link_invalid.html", status=404)
    if request.method == "POST":
        signup = services.signup_confirm(signup=signup, ip=client_ip(request))
    return render(request, "visitors/signup_confirm.html", {"signup": signup, "token": token})


def _join_source(request) -> dict:
    initial = {}
    for name in ("mote", "kampanj"):
        value = request.GET.get(name, "")
        if value.isdigit() and len(value) < 10:
            initial[name] = int(value)
    return initial


@public
def join(request):
    form = JoinForm(request.POST or None, initial=_join_source(request))
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "visitors/join.html", {"form": form}, status=400)
        data = form.application_data()
        if data["district"] is None:
            data["district"] = selectors.district_for_postcode(data["postcode"])
        ip = abuse.client_address(request)
        if form.looks_human() and abuse.within_limits(form="join", ip=ip, email=data["email"]):
            services.application_submit(data=data, ip=client_ip(request))
        return _check_your_mail(request, join=True)
    return render(request, "visitors/join.html", {"form": form})


@public
def join_verify(request, token: str):
    pk = tokens.read(tokens.APPLICATION_VERIFY, token)
    application = Application.objects.filter(pk=pk).first()
    if application is None:
        return render(request, "visitors/link_invalid.html", status=404)
    if request.method == "POST":
        application = services.application_verify(application=application, ip=client_ip(request))
    return render(
        request, "visitors/join_verify.html", {"application": application, "token": token}
    )


@public
@csrf_exempt  # the signed token is the credential; mail apps POST here with no form (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """A contact's "no more invitations". GET (a person, or a link scanner) only shows a
    button; POST, from it or the mail app's one-click `List-Unsubscribe=One-Click`, withdraws
    the consent to invitations. Again changes nothing and says the same; the page names
    nobody."""
    pk = tokens.read_lasting(tokens.CONTACT_UNSUBSCRIBE, token)
    contact = Contact.objects.filter(pk=pk).first() if pk else None
    if contact is None:
        # Erased, or never a contact: nothing will be sent there, so say it is done.
        if pk is not None:
            return render(request, "visitors/unsubscribe.html", {"done": True})
        return render(request, "visitors/link_invalid.html", status=404)
    if request.method == "POST":
        services.contact_invite_consent_withdraw(contact=contact, ip=client_ip(request))
        return render(request, "visitors/unsubscribe.html", {"done": True})
    return render(request, "visitors/unsubscribe.html", {})


@public
@require_POST
def leave(request, token: str):
    """Utträde from "Mina uppgifter" (the member's signed link)."""
    member = member_from_token(token, SELF_SERVICE, max_age_days=settings.KRETS_SELF_SERVICE_DAYS)
    if member is None or member.anonymised_on is not None:
        raise Http404(_("Länken är ogiltig eller för gammal. Be kretsen om en ny."))
    form = LeaveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.member_resign(member=member, reason=reason, ip=client_ip(request))
    return render(request, "visitors/left.html", {"member": member})


# --- The board's pages ---------------------------------------------------------------------


@requires(Perm.MEMBERS_CHANGE)
@reads_personal_data("applications")
def applications(request):
    pending = list(selectors.pending_applications())
    note_rows(request, len(pending))
    return render(request, "visitors/applications.html", {"applications": pending})


@requires(Perm.MEMBERS_CHANGE)
@require_POST
def application_decide(request, pk: int):
    application = get_object_or_404(Application, pk=pk)
    try:
        if request.POST.get("beslut") == "godkann":
            application = services.application_approve(
                actor=request.user, application=application, ip=client_ip(request)
            )
            messages.success(
                request,
                _("%(name)s är medlem nr %(number)s.")
                % {"name": application.full_name, "number": application.member.member_number},
            )
        else:
            form = DeclineForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.application_decline(
                actor=request.user, application=application, reason=reason, ip=client_ip(request)
            )
            messages.info(request, _("Ansökan är avslagen. Den sökande får ett mejl om det."))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("visitors:applications")


@requires(Perm.MEMBERS_VIEW)
@reads_personal_data("visitor_contacts")
def contacts(request):
    contacts = list(selectors.contacts_to_invite())
    note_rows(request, len(contacts))
    return render(
        request,
        "visitors/contacts.html",
        {"contacts": contacts, "can_change": request.rights.has(Perm.MEMBERS_CHANGE)},
    )


@requires(Perm.MEMBERS_CHANGE)
@require_POST
def contact_erase(request, pk: int):
    contact = get_object_or_404(Contact, pk=pk)
    services.contact_erase(contact=contact, actor=request.user, ip=client_ip(request))
    messages.success(request, _("Kontakten är raderad."))
    return redirect("visitors:contacts")


@requires(Perm.MEMBERS_CHANGE)
@require_POST
def contact_withdraw(request, pk: int):
    contact = get_object_or_404(Contact, pk=pk)
    services.contact_invite_consent_withdraw(
        contact=contact, actor=request.user, ip=client_ip(request)
    )
    messages.success(request, _("%(name)s får inga fler inbjudningar.") % {"name": contact.name})
    return redirect("visitors:contacts")


@requires(Perm.MEETINGS_VIEW)
@require_POST
def attendance(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk, kind__in=OPEN_KINDS)
    if not can_change_meeting(request.rights, meeting):
        raise PermissionDenied
    form = AttendanceForm(request.POST)
    form.fields["attended"].choices = [(s.pk, s.pk) for s in selectors.meeting_signups(meeting)]
    if not form.is_valid():
        messages.error(request, _("Välj bland de anmälda."))
    else:
        try:
            services.signups_attendance_record(
                actor=request.user,
                meeting=meeting,
                attended_ids=set(form.cleaned_data["attended"]),
                ip=client_ip(request),
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Närvaron är sparad."))
    return redirect("meetings:detail", pk=meeting.pk)


@requires(Perm.MEETINGS_VIEW)
@require_POST
def invite_contacts(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk, kind__in=OPEN_KINDS)
    if not can_change_meeting(request.rights, meeting):
        raise PermissionDenied
    try:
        invited = services.contacts_invite(
            actor=request.user, meeting=meeting, ip=client_ip(request)
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(n)s kontakter som vill bli inbjudna får en inbjudan.") % {"n": invited}
        )
    return redirect("meetings:detail", pk=meeting.pk)


def _period(request) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(request.GET.get("fran", ""))
        end = datetime.date.fromisoformat(request.GET.get("till", ""))
    except ValueError:
        start, end = today.replace(day=1), today
    return start, end


@requires(Perm.MEMBERS_VIEW)
@reads_personal_data("visitor_funnel")
def funnel(request, step: str):
    if step not in selectors.FUNNEL:
        raise Http404
    start, end = _period(request)
    source = request.GET.get("kalla", "")
    source = source if source in Source.values else ""
    records = selectors.funnel_records(step, start, end, source)
    note_rows(request, len(records))
    return render(
        request,
        "visitors/funnel.html",
        {
            "step": step,
            "start": start,
            "end": end,
            "source": Source(source).label if source else "",
            "records": records,
            "by_source": selectors.funnel_by_source(step, start, end, source),
        },
    )


@requires(Perm.MEMBERS_VIEW)
def funnel_year(request):
    today = timezone.localdate()
    year = year_param(request, today.year)
    return render(
        request,
        "visitors/funnel_year.html",
        {"year": year, "months": selectors.funnel_months(year, today), "steps": FUNNEL_LABELS},
    )
