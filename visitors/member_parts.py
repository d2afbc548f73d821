"""Leaving in one step, on "Mina uppgifter" (members/parts.py)."""

from members.parts import MemberPart, Section, register

from .forms import LeaveForm


def _leave(member):
    if member.left_on is not None:
        return None
    return Section("visitors/leave_section.html", {"form": LeaveForm()})


register(MemberPart(key="visitors", order=900, self_service_section=_leave))
