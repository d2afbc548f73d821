"""Newsletters at /nyhetsbrev/: writing, preview, sending and progress (the
kommunikationsansvarig), and the pages members reach from their mail without logging in."""

import datetime

from csp.decorators import csp
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.errors import DomainError
from krets.mail.messages import render_mail
from krets.mail.selectors import send_progress
from krets.mail.services import take_refused_sends
from krets.params import date_param, year_param
from krets.rights import Perm, public, requires
from members.models import Member
from members.tokens import NEWSLETTER_ARCHIVE, UNSUBSCRIBE, member_from_token

from . import services
from .charts import reach_chart
from .forms import NewsletterForm, NewsletterSendForm
from .mail_kinds import TEMPLATE, newsletter_context
from .markup import markdown_to_html
from .models import Newsletter
from .selectors import (
    MONTHLY_TARGET,
    archive_for_member,
    newsletter_audience,
    newsletter_list,
    newsletters_sent_between,
    newsletters_sent_in_year,
)


@requires(Perm.COMMUNICATION_VIEW)
def sent(request):
    """The rows behind the goal figure "Nyhetsbrev skickade": what went out in the period."""
    today = timezone.localdate()
    start = date_param(request, "fran", datetime.date(today.year, 1, 1))
    end = max(start, date_param(request, "till", datetime.date(start.year, 12, 31)))
    letters = newsletters_sent_between(start, end).select_related("district").order_by("sent_at")
    return render(
        request,
        "newsletters/sent.html",
        {"newsletters": list(letters), "start": start, "end": end},
    )


@requires(Perm.COMMUNICATION_VIEW)
def index(request):
    year = year_param(request, timezone.localdate().year)
    return render(
        request,
        "newsletters/index.html",
        {
            "newsletters": newsletter_list(),
            "year": year,
            "sent_this_year": newsletters_sent_in_year(year),
            "reach_chart": reach_chart(year=year),
            "target": MONTHLY_TARGET,
            "can_change": request.rights.has(Perm.COMMUNICATION_CHANGE),
        },
    )


@requires(Perm.COMMUNICATION_CHANGE)
def create(request):
    return _edit(request, Newsletter())


@requires(Perm.COMMUNICATION_CHANGE)
def edit(request, pk: int):
    newsletter = get_object_or_404(Newsletter, pk=pk)
    if not newsletter.is_editable:
        messages.error(request, _("Ett nyhetsbrev som skickas eller har skickats kan inte ändras."))
        return redirect("newsletters:detail", pk=pk)
    return _edit(request, newsletter)


def _edit(request, newsletter: Newsletter):
    form = NewsletterForm(request.POST or None, instance=newsletter)
    if request.method == "POST" and form.is_valid():
        try:
            newsletter = services.newsletter_save(
                actor=request.user, newsletter=form.instance, ip=client_ip(request)
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("newsletters:detail", pk=newsletter.pk)
        messages.success(request, _("Nyhetsbrevet är sparat."))
        return redirect("newsletters:detail", pk=newsletter.pk)
    return render(request, "newsletters/edit.html", {"form": form, "newsletter": newsletter})


@requires(Perm.COMMUNICATION_VIEW)
def detail(request, pk: int):
    newsletter = get_object_or_404(Newsletter.objects.select_related("district"), pk=pk)
    return render(
        request,
        "newsletters/detail.html",
        {
            "newsletter": newsletter,
            "audience_size": newsletter_audience(newsletter).count(),
            "send_form": NewsletterSendForm(),
            "can_change": request.rights.has(Perm.COMMUNICATION_CHANGE),
            **_progress_context(newsletter),
        },
    )


# The preview shows the HTML mail exactly as sent, and mail clients need inline styles, which
# the portal's policy forbids. So the preview document gets a policy of its own: inline styles
# and the portal's images, nothing else (no script, no form, no plugin), and a sandbox even when
# it is opened outside its frame. A srcdoc frame would not do: it inherits the page's policy, so
# the mail would lose its styles; stripping them would show a mail nobody receives.
PREVIEW_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "frame-ancestors": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "sandbox": [True],
}


@requires(Perm.COMMUNICATION_VIEW)
@xframe_options_sameorigin
@csp(PREVIEW_POLICY)
def preview(request, pk: int):
    """The HTML mail as a member will see it (shown in a sandboxed frame on the detail page)."""
    newsletter = get_object_or_404(Newsletter, pk=pk)
    return HttpResponse(render_mail(TEMPLATE, newsletter_context(newsletter)).html)


@requires(Perm.COMMUNICATION_VIEW)
def progress(request, pk: int):
    newsletter = get_object_or_404(Newsletter.objects.select_related("mail_send"), pk=pk)
    return render(request, "newsletters/_progress.html", _progress_context(newsletter))


def _progress_context(newsletter: Newsletter) -> dict:
    return {
        "newsletter": newsletter,
        "progress": send_progress(newsletter.mail_send) if newsletter.mail_send_id else None,
    }


@requires(Perm.COMMUNICATION_CHANGE)
@require_POST
def test_send(request, pk: int):
    newsletter = get_object_or_404(Newsletter, pk=pk)
    services.newsletter_test_send(actor=request.user, newsletter=newsletter, ip=client_ip(request))
    messages.success(
        request, _("Ett provutskick är på väg till %(email)s.") % {"email": request.user.email}
    )
    return redirect("newsletters:detail", pk=pk)


@requires(Perm.COMMUNICATION_CHANGE)
@require_POST
def send(request, pk: int):
    newsletter = get_object_or_404(Newsletter, pk=pk)
    form = NewsletterSendForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("send_at", [])))
    elif form.cleaned_data["send_at"]:
        services.newsletter_schedule(
            actor=request.user,
            newsletter=newsletter,
            send_at=form.cleaned_data["send_at"],
            ip=client_ip(request),
        )
        messages.success(request, _("Nyhetsbrevet är schemalagt."))
    elif services.newsletter_start(
        actor=request.user, newsletter_id=newsletter.pk, ip=client_ip(request)
    ):
        if take_refused_sends():
            messages.warning(
                request,
                _(
                    "Nyhetsbrevet är startat, men e-postkön svarar inte just nu. Inget har gått "
                    "förlorat: utskicket väntar och fortsätter av sig självt när kön svarar igen."
                ),
            )
        else:
            messages.success(request, _("Nyhetsbrevet skickas."))
    else:
        messages.error(request, _("Nyhetsbrevet har redan skickats."))
    return redirect("newsletters:detail", pk=pk)


def _state_action(action, done_message: str):
    @requires(Perm.COMMUNICATION_CHANGE)
    @require_POST
    def view(request, pk: int):
        newsletter = get_object_or_404(Newsletter.objects.select_related("mail_send"), pk=pk)
        if action(actor=request.user, newsletter=newsletter, ip=client_ip(request)):
            messages.success(request, done_message)
        else:
            messages.error(request, _("Det går inte i nyhetsbrevets nuvarande läge."))
        return redirect("newsletters:detail", pk=pk)

    return view


pause = _state_action(services.newsletter_pause, _("Utskicket är pausat."))
resume = _state_action(services.newsletter_resume, _("Utskicket fortsätter."))
cancel = _state_action(services.newsletter_cancel, _("Utskicket är avbrutet."))
unschedule = _state_action(services.newsletter_unschedule, _("Nyhetsbrevet är ett utkast igen."))


# --- members, through signed links in their mail (no login) ---------------------------------


@public
@csrf_exempt  # the token is the credential; mail clients POST here without a form (RFC 8058)
def unsubscribe(request, token: str):
    """GET shows a button; POST unsubscribes, and doing it again changes nothing."""
    member = member_from_token(token, UNSUBSCRIBE)
    if member is None:
        return render(request, "newsletters/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.newsletter_unsubscribe(member=member, ip=client_ip(request))
        return render(request, "newsletters/unsubscribe.html", {"done": True})
    # Nothing about the person on the page: the link may have been forwarded.
    return render(request, "newsletters/unsubscribe.html", {})


def _archive_member(token: str) -> Member:
    member = member_from_token(token, NEWSLETTER_ARCHIVE)
    if member is None or not member.is_active_on(timezone.localdate()):
        raise Http404
    return member


@public
def archive(request, token: str):
    member = _archive_member(token)
    newsletters = archive_for_member(member)
    return render(
        request,
        "newsletters/archive.html",
        {"newsletters": newsletters, "token": token},
    )


@public
def archive_detail(request, token: str, pk: int):
    newsletter = get_object_or_404(archive_for_member(_archive_member(token)), pk=pk)
    return render(
        request,
        "newsletters/archive_detail.html",
        {
            "newsletter": newsletter,
            "body_html": markdown_to_html(newsletter.body),
            "token": token,
        },
    )
