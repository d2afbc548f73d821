from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.errors import DomainError
from krets.rights import Perm, public, requires

from . import services
from .forms import BoardInviteForm, LoginEmailForm
from .models import BoardAssignment, User
from .selectors import board_for_year, current_assignments, current_party_positions, current_year
from .tokens import login_email_from_token


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


@requires(Perm.BOARD_MANAGE)
def login_email_change(request, pk: int):
    """The ordförande changes a board member's login address (confirmed by the new address)."""
    user = get_object_or_404(User, pk=pk, is_active=True)
    form = LoginEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.login_email_change_request(
                actor=request.user,
                user=user,
                email=form.cleaned_data["email"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                _("En länk har skickats till den nya adressen. Adressen byts när den bekräftats."),
            )
            return redirect("members:board")
    return render(request, "members/login_email.html", {"form": form, "account": user})


@public
def login_email_confirm(request, token: str):
    found = login_email_from_token(token)
    user = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    if user is None:
        return render(request, "members/email_confirm.html", {"invalid": True}, status=404)
    if request.method == "POST":
        try:
            services.login_email_change_confirm(user=user, email=found[1], ip=client_ip(request))
        except DomainError:
            return render(request, "members/email_confirm.html", {"invalid": True}, status=409)
        return render(request, "members/email_confirm.html", {"done": True})
    return render(request, "members/email_confirm.html", {})
