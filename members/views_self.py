"""Mina uppgifter: a member's own page behind a signed link that expires. No password."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.reads import note_object, note_reader, reads_personal_data
from krets.rights import public

from . import parts, services
from .forms import SelfServiceForm
from .selectors import member_data_export
from .tokens import (
    DATA_DOWNLOAD,
    DATA_DOWNLOAD_DAYS,
    EMAIL_CHANGE,
    EMAIL_CHANGE_DAYS,
    SELF_SERVICE,
    member_from_token,
)

# Who the audit log says acted when a member uses their own link.
SELF_LABEL = "medlemmen själv"


def get_member_for_token(token: str):
    member = member_from_token(token, SELF_SERVICE, max_age_days=settings.KRETS_SELF_SERVICE_DAYS)
    if member is None or member.anonymised_on is not None:
        raise Http404(_("Länken är ogiltig eller för gammal. Be kretsen om en ny."))
    return member


@public
@reads_personal_data("self_service")
def self_service(request, token: str):
    member = get_member_for_token(token)
    # Whoever holds the link reads the data: if a link was forwarded, the log shows the reads.
    note_object(request, member, target=services.member_target(member))
    note_reader(request, SELF_LABEL)
    form = SelfServiceForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        current = get_member_for_token(token)
        data = {name: form.cleaned_data[name] for name in SelfServiceForm.Meta.fields}
        new_email = data.pop("email")
        services.member_update(
            actor=None, member=current, data=data, actor_label=SELF_LABEL, ip=client_ip(request)
        )
        messages.success(request, _("Tack! Dina uppgifter är sparade."))
        if new_email and new_email.lower() != current.email.lower():
            services.member_email_change_request(
                member=current, email=new_email, actor_label=SELF_LABEL, ip=client_ip(request)
            )
            messages.info(
                request,
                _(
                    "Vi har skickat en länk till den nya e-postadressen. Adressen byts när du "
                    "har klickat på den."
                ),
            )
        return redirect("members:self_service", token=token)
    return render(
        request,
        "members/self_service.html",
        {
            "member": member,
            "form": form,
            "sections": parts.sections("self_service_section", member),
            "token": token,
        },
    )


@public
@require_POST
def self_data_request(request, token: str):
    member = get_member_for_token(token)
    if services.member_data_link_send(member=member, actor_label=SELF_LABEL, ip=client_ip(request)):
        messages.success(
            request,
            _(
                "Vi har skickat en länk till din e-postadress. Den gäller i ett dygn och laddar "
                "ner allt vi har sparat om dig."
            ),
        )
    else:
        messages.error(request, _("Vi har ingen e-postadress till dig. Kontakta kretsen."))
    return redirect("members:self_service", token=token)


@public
@reads_personal_data("own_data", export=True)
def self_data(request, token: str):
    member = member_from_token(token, DATA_DOWNLOAD, max_age_days=DATA_DOWNLOAD_DAYS)
    if member is None or member.anonymised_on is not None:
        raise Http404(_("Länken är ogiltig eller för gammal. Be om en ny på Mina uppgifter."))
    note_object(request, member, target=services.member_target(member))
    note_reader(request, SELF_LABEL)
    response = JsonResponse(
        member_data_export(member), encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="mina-uppgifter.json"'
    return response


@public
def email_confirm(request, token: str):
    """The link mailed to a new address: GET shows a button (mail scanners follow links), POST
    saves the address."""
    signed = signing.TimestampSigner(salt=f"krets.member.{EMAIL_CHANGE}")
    try:
        data = signed.unsign_object(token, max_age=EMAIL_CHANGE_DAYS * 86400)
    except signing.BadSignature:
        data = None
    member = (
        member_from_token(token, EMAIL_CHANGE, max_age_days=EMAIL_CHANGE_DAYS, extra=data["x"])
        if isinstance(data, dict) and isinstance(data.get("x"), str)
        else None
    )
    if member is None or member.anonymised_on is not None:
        return render(request, "members/email_confirm.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.member_email_change_confirm(
            member=member, email=data["x"], actor_label=SELF_LABEL, ip=client_ip(request)
        )
        return render(request, "members/email_confirm.html", {"done": True})
    return render(request, "members/email_confirm.html", {})
