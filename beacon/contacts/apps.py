"""App configuration for contacts: appointments, attendance, case notes, groups, follow-up."""

from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "beacon.contacts"
    label = "contacts"
    verbose_name = "Contacts and appointments"

    def ready(self) -> None:
        from beacon.clients import hooks as client_hooks
        from beacon.contacts.api import router
        from beacon.contacts.demo import seed_contacts
        from beacon.contacts.views import (
            caseload_columns,
            client_page_section,
            client_summary_rows,
        )
        from beacon.core import registry
        from beacon.treatment import hooks as treatment_hooks

        registry.api_routers.register(registry.ApiRouter("/contacts/", router))
        for label, url_name, permission, order in (
            ("Diary", "contacts:diary", "contacts.view_diary", 21),
            ("Follow-ups", "contacts:follow_ups", "contacts.view_follow_ups", 22),
            ("Attendance", "contacts:attendance", "contacts.view_attendance", 45),
        ):
            registry.menu_entries.register(registry.MenuEntry(label, url_name, permission, order))
        client_hooks.client_page_sections.register(client_page_section)
        client_hooks.client_summary_rows.register(client_summary_rows)
        treatment_hooks.caseload_columns.register(caseload_columns)
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=60,
                label="appointments and contacts",
                seed=lambda rng, org, *, clients, stdout: (
                    f"{seed_contacts(rng, org, stdout=stdout)} new appointments and contacts"
                ),
            )
        )
