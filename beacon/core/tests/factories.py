"""factory_boy factories for core records: providers, teams, users in each role."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.core.models import PartnerOrganisation, Provider, Site, Team, User
from beacon.core.roles import Role

TEST_PASSWORD = "correct-horse-battery-staple"


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Test Recovery Service {n}")
    code = factory.Sequence(lambda n: "T" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Site {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = PartnerOrganisation.Kind.COUNCIL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    provider = factory.SubFactory(ProviderFactory)
    role = Role.KEYWORKER
    team = factory.LazyAttribute(
        lambda o: TeamFactory(provider=o.provider) if o.role == Role.KEYWORKER else None
    )
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def totp_device(user: User, key: str = "3132333435363738393031323334353637383930") -> TOTPDevice:
    """A confirmed authenticator for `user` with a known key (RFC 6238's test key)."""
    return TOTPDevice.objects.create(user=user, name="test", key=key, confirmed=True)
