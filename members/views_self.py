"""Mina uppgifter: a member's own page behind a signed link that expires. No password."""

from django.conf import settings
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from krets.audit import client_ip
from krets.rights import public

from . import parts, services
from .forms import SelfServiceForm
from .selectors import member_data_export
from .tokens import SELF_SERVICE, member_from_token

# Who the audit log says acted when a member uses their own link.
SELF_LABEL = "medlemmen själv"


def get_member_for_token(token: str):
    member = member_from_token(token, SELF_SERVICE, max_age_days=settings.KRETS_SELF_SERVICE_DAYS)
    if member is None or member.anonymised_on is not None:
        raise Http404(_("Länken är ogiltig eller för gammal. Be kretsen om en ny."))
    return member


@public
def self_service(request, token: str):
    member = get_member_for_token(token)
    form = SelfServiceForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        services.member_update(
            actor=None,
            member=get_member_for_token(token),
            data={name: form.cleaned_data[name] for name in SelfServiceForm.Meta.fields},
            actor_label=SELF_LABEL,
            ip=client_ip(request),
        )
        messages.success(request, _("Tack! Dina uppgifter är sparade."))
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
def self_data(request, token: str):
    member = get_member_for_token(token)
    services.member_export_record(
        actor=None, member=member, kind="egen data", actor_label=SELF_LABEL, ip=client_ip(request)
    )
    response = JsonResponse(
        member_data_export(member), encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="mina-uppgifter.json"'
    return response
