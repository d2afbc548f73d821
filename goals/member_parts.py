"""What goals adds to the members app's screens (members/parts.py): the board's member
statistics show the year's recruitment target, read here, where both apps are visible."""

from members.parts import MemberPart, register

from .selectors import recruitment_target

register(
    MemberPart(key="goals", statistics=lambda year, today: {"target": recruitment_target(year)})
)
