"""The chapter's conference kit: bookings and cancellations."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.rights import Perm, requires

from .. import selectors, services
from ..forms import KitBookingForm
from ..selectors import get_kit_booking_for_user


@requires(Perm.KIT_BOOK)
def kit(request):
    initial = {}
    meeting_id = request.GET.get("mote", "")
    if meeting_id.isdigit():
        booked_for = selectors.meetings_visible_to(request.rights).filter(pk=meeting_id).first()
        if booked_for is not None:
            initial = {
                "meeting": booked_for,
                "starts_at": timezone.localtime(booked_for.starts_at),
                "ends_at": timezone.localtime(booked_for.ends_at),
                "note": booked_for.title,
            }
    form = KitBookingForm(
        request.POST or None,
        initial=initial,
        meetings=selectors.meetings_visible_to(request.rights),
    )
    member = getattr(request.user, "member", None)
    if request.method == "POST" and member is None:
        form.add_error(None, _("Din inloggning hör inte till någon medlem."))
    elif request.method == "POST" and form.is_valid():
        try:
            services.kit_book(
                actor=request.user, member=member, ip=client_ip(request), **form.cleaned_data
            )
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Utrustningen är bokad."))
            return redirect("meetings:kit")
    bookings = selectors.upcoming_kit_bookings(request.rights)
    return render(
        request,
        "meetings/kit.html",
        {
            "form": form,
            "bookings": bookings,
            "member_id": request.rights.member_id,
            "may_cancel_any": request.rights.has(Perm.MEETINGS_CHANGE),
        },
    )


@requires(Perm.KIT_BOOK)
@require_POST
def kit_cancel(request, pk: int):
    """The one who booked cancels; so may the sekreterare and the ordförande."""
    booking = get_kit_booking_for_user(request, pk)
    services.kit_booking_cancel(actor=request.user, booking=booking, ip=client_ip(request))
    messages.success(request, _("Bokningen är avbokad."))
    return redirect("meetings:kit")
