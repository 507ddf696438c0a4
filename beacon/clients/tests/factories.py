"""factory_boy factories for clients and their contacts (synthetic people only)."""

import datetime

import factory

from beacon.clients.codes import Ethnicity, GenderIdentity, Sex
from beacon.clients.models import Client, Contact
from beacon.core.tests.factories import ProviderFactory, TeamFactory

# Valid NHS numbers in the 999 range, never issued to real people.
SYNTHETIC_NHS_NUMBERS = ["9990000018", "9990000026", "9990000034", "9990000042", "9990000050"]


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    provider = factory.SubFactory(ProviderFactory)
    team = factory.LazyAttribute(lambda o: TeamFactory(provider=o.provider))
    client_number = factory.Sequence(lambda n: f"TST{n:06d}")
    first_name = factory.Iterator(["Robin", "Ash", "Jules", "Sky", "Rowan"])
    last_name = factory.Iterator(["Fellwood", "Marram", "Quillon", "Tarnby", "Velland"])
    date_of_birth = datetime.date(1984, 6, 15)
    sex = Sex.FEMALE
    gender_identity = GenderIdentity.WOMAN
    ethnicity = Ethnicity.WHITE_BRITISH
    postcode = "LS1 4AP"
    address_line_1 = "1 Test Street"
    town = "Demo City"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    provider = factory.LazyAttribute(lambda o: o.client.provider)
    name = "Morgan Fellwood"
    relationship = Contact.Relationship.PARENT
    phone = "07700900123"
