"""The figures goals measures itself, from the floor below (members)."""

from django.utils.translation import gettext_lazy as _

from krets.rights import Perm

from .registry import Counter, register
from .selectors import members_gained, new_members_url

register(
    Counter(
        key="members.gained",
        label=_("Nya medlemmar"),
        count=members_gained,
        records_url=new_members_url,
        records_permission=Perm.MEMBERS_NAMES,
    )
)
