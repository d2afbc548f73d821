"""What services raise when a write cannot be done; views map them to an answer.

A service checks its own rules and raises one of these with a Swedish message a person can
read; the view shows the message (or answers 403 / 400) and never decides the rule itself.
"""


class DomainError(Exception):
    """A write the rules of the portal do not allow. `str(error)` is shown to the user."""


class NotAllowed(DomainError):
    """The actor may not do this (403)."""


class Invalid(DomainError):
    """The input or the object's state does not allow this (400)."""
