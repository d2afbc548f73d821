import datetime

import factory
from allauth.mfa.models import Authenticator
from django.utils import timezone

from members.models import (
    BoardAssignment,
    BodyAssignment,
    District,
    Member,
    PoliticalBody,
    User,
)

PASSWORD = "ett-langt-losenord-2023"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["name"]

    name = "Storvik"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.Sequence(lambda n: f"medlem{n}@example.org")
    birth_date = datetime.date(1960, 5, 17)
    district = factory.SubFactory(DistrictFactory)
    joined_on = datetime.date(2015, 1, 1)


class BoardAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardAssignment

    member = factory.SubFactory(MemberFactory)
    function = "ledamot"
    year = factory.LazyFunction(lambda: timezone.localdate().year)


class PoliticalBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliticalBody
        django_get_or_create = ["name"]

    name = "Kunskapsnämnden"
    kind = PoliticalBody.Kind.COMMITTEE


class BodyAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyAssignment

    member = factory.SubFactory(MemberFactory)
    body = factory.SubFactory(PoliticalBodyFactory)
    role = BodyAssignment.Role.MEMBER
    starts_on = datetime.date(2023, 1, 1)
    ends_on = None


def add_totp(user) -> Authenticator:
    """Give a user a TOTP authenticator, as if they had set up two-factor."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret()).instance
