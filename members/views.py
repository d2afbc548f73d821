from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.rights import Perm, requires

from . import services
from .forms import BoardInviteForm
from .models import BoardAssignment, BoardFunction, User
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
        assignment = services.board_member_invite(request=request, **form.cleaned_data)
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
    if assignment.function == BoardFunction.CHAIR and assignment.member.user_id == request.user.pk:
        # Someone must be left who can manage the board.
        messages.error(request, _("Du kan inte ta bort ditt eget ordförandeuppdrag."))
    else:
        services.board_assignment_remove(request=request, assignment=assignment)
        messages.success(request, _("Uppdraget är borttaget."))
    return redirect("members:board")


@requires(Perm.BOARD_MANAGE)
@require_POST
def account_deactivate(request, pk: int):
    user = get_object_or_404(User, pk=pk, is_active=True)
    if user == request.user:
        messages.error(request, _("Du kan inte avsluta ditt eget konto."))
    else:
        services.account_deactivate(request=request, user=user)
        messages.success(request, _("Kontot för %(email)s är avslutat.") % {"email": user.email})
    return redirect("members:board")
