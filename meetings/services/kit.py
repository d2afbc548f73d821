"""The conference kit: bookings that never overlap, and cancellations."""

import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, User

from ..models import (
    Kit,
    KitBooking,
    Meeting,
)
from .common import MeetingError

# The conference kit


class KitUnavailable(MeetingError):
    pass


def kit_book(
    *,
    actor: User | None,
    member: Member,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    kit: Kit | None = None,
    meeting: Meeting | None = None,
    note: str = "",
    ip: str | None = None,
) -> KitBooking:
    """Book the kit for [starts_at, ends_at). PostgreSQL's exclusion constraint refuses an
    overlap even between concurrent requests; elsewhere we check while holding the write lock.

    On PostgreSQL, bookings of one kit also queue on the kit's row: two inserts checking the
    exclusion constraint against each other can otherwise deadlock instead of one losing."""
    if ends_at <= starts_at:
        raise MeetingError(_("Bokningen måste sluta efter att den börjar."))
    kit = kit or Kit.objects.default()
    booking = KitBooking(
        kit=kit, booked_by=member, starts_at=starts_at, ends_at=ends_at, meeting=meeting, note=note
    )
    unavailable = KitUnavailable(_("Utrustningen är redan bokad då."))
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                Kit.objects.select_for_update().filter(pk=kit.pk).first()
            else:
                # SQLite: an UPDATE takes the database's write lock before we look.
                Kit.objects.filter(pk=kit.pk).update(locked_at=timezone.now())
                if KitBooking.objects.filter(
                    kit=kit, starts_at__lt=ends_at, ends_at__gt=starts_at
                ).exists():
                    raise unavailable
            booking.save()
    except IntegrityError as error:
        if "kit_booking_no_overlap" in str(error):
            raise unavailable from error
        raise
    return booking


def kit_booking_cancel(*, actor: User | None, booking: KitBooking, ip: str | None = None) -> None:
    booking.delete()
