"""The ordförande gives a politician an account without a board function."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.errors import DomainError
from krets.rights import Perm, requires

from . import services
from .models import Member


@requires(Perm.BOARD_MANAGE)
@require_POST
def politician_invite(request, pk: int):
    member = get_object_or_404(Member, pk=pk)
    try:
        services.politician_account_invite(actor=request.user, member=member, ip=client_ip(request))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(name)s kan nu logga in i portalen.") % {"name": member.full_name}
        )
    return redirect("members:board")
