"""Existing register entries and balances go to their provider's first site (the lowest id,
the one set up first: until now a provider kept one register), or to a new site named
"Main site" when the provider has none. Columns that entries made before reg 19's details
were kept cannot know are filled with NOT_RECORDED, never invented; the person supplied is
copied from the client record as it is now, marked as copied on migration.
"""

from django.db import migrations

NOT_RECORDED = "Not recorded (entered before this detail was kept)"
MAIN_SITE = "Main site"


def _address(client) -> str:
    parts = [client.address_line_1, client.address_line_2, client.town, client.postcode]
    text = ", ".join(part for part in parts if part)
    return f"{text} (copied on migration)" if text else NOT_RECORDED


def forward(apps, schema_editor):
    Provider = apps.get_model("core", "Provider")
    Site = apps.get_model("core", "Site")
    RegisterEntry = apps.get_model("delivery", "RegisterEntry")
    RegisterBalance = apps.get_model("delivery", "RegisterBalance")
    providers = set(RegisterEntry.objects.values_list("provider_id", flat=True))
    providers |= set(RegisterBalance.objects.values_list("provider_id", flat=True))
    for provider in Provider.objects.filter(pk__in=providers):
        site = Site.objects.filter(provider=provider).order_by("pk").first()
        if site is None:
            site = Site.objects.create(provider=provider, name=MAIN_SITE)
        RegisterEntry.objects.filter(provider=provider).update(site=site)
        RegisterBalance.objects.filter(provider=provider).update(site=site)
    RegisterEntry.objects.filter(kind="received", supplier_address="").update(
        supplier_address=NOT_RECORDED
    )
    delivered = RegisterEntry.objects.filter(kind="delivered", supplied_name="")
    for entry in delivered.select_related("client"):
        RegisterEntry.objects.filter(pk=entry.pk).update(
            supplied_name=f"{entry.client.first_name} {entry.client.last_name}",
            supplied_address=_address(entry.client),
            prescriber_name=NOT_RECORDED,
            prescriber_address=NOT_RECORDED,
        )


class Migration(migrations.Migration):
    dependencies = [("delivery", "0009_register_site_and_reg19_columns")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
