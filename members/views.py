from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.errors import DomainError
from krets.rights import Perm, requires

from . import services
from .forms import BoardInviteForm
from .models import BoardAssignment, User
from .selectors import board_for_year, current_assignments, current_party_positions, current_year


@requires(Perm.BOARD_MANAGE)
def board(request):
    year = current_year()
    return render(
        request,
        "members/board.html",
        {
            "year": year,
            "assignments": board_for_year(year),
            "seats": current_assignments(),
            "positions": current_party_positions(),
            "form": BoardInviteForm(initial={"year": year}),
        },
    )


@requires(Perm.BOARD_MANAGE)
def board_invite(request):
    form = BoardInviteForm(request.POST or None, initial={"year": current_year()})
    if request.method == "POST" and form.is_valid():
        assignment = services.board_member_invite(
            actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(
            request,
            _("%(name)s är nu %(function)s %(year)s.")
            % {
                "name": assignment.member.full_name,
                "function": assignment.get_function_display().lower(),
                "year": assignment.year,
            },
        )
        return redirect("members:board")
    return render(request, "members/board_invite.html", {"form": form})


@requires(Perm.BOARD_MANAGE)
@require_POST
def board_assignment_remove(request, pk: int):
    assignment = get_object_or_404(BoardAssignment, pk=pk)
    try:
        services.board_assignment_remove(
            actor=request.user, assignment=assignment, ip=client_ip(request)
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Uppdraget är borttaget."))
    return redirect("members:board")


@requires(Perm.BOARD_MANAGE)
@require_POST
def account_deactivate(request, pk: int):
    user = get_object_or_404(User, pk=pk, is_active=True)
    try:
        services.account_deactivate(actor=request.user, user=user, ip=client_ip(request))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Kontot för %(email)s är avslutat.") % {"email": user.email})
    return redirect("members:board")
