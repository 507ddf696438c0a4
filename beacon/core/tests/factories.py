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


PARTNER_KINDS = {
    Role.PHARMACIST: PartnerOrganisation.Kind.PHARMACY,
    Role.PROBATION_OFFICER: PartnerOrganisation.Kind.PROBATION,
}


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
    # A pharmacist works at a pharmacy of the provider, a probation officer for its probation
    # service (the pharmacist_works_at_a_pharmacy and probation_officer_works_for_probation
    # constraints); every other role may have none.
    partner_organisation = factory.LazyAttribute(
        lambda o: (
            PartnerOrganisationFactory(provider=o.provider, kind=PARTNER_KINDS[o.role])
            if o.role in PARTNER_KINDS
            else None
        )
    )
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def totp_device(user: User, key: str = "3132333435363738393031323334353637383930") -> TOTPDevice:
    """A confirmed authenticator for `user` with a known key (RFC 6238's test key): the one
    already made for them when there is one, so a second sign-in reads the code it last
    accepted (a code is used once)."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", key=key, defaults={"confirmed": True}
    )
    return device
