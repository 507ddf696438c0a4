"""App configuration for criminal justice: court orders, prison releases, probation."""

from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "beacon.justice"
    label = "justice"
    verbose_name = "Criminal justice"

    def ready(self) -> None:
        from beacon.clients import hooks as client_hooks
        from beacon.core import registry
        from beacon.core.roles import Role
        from beacon.justice import rules, views
        from beacon.justice.api import router
        from beacon.justice.demo import seed_justice
        from beacon.treatment import hooks as treatment_hooks

        registry.api_routers.register(registry.ApiRouter("/justice/", router))
        for entry in [
            registry.MenuEntry("My clients", "justice:supervised", rules.SUPERVISE, 57),
            registry.MenuEntry("Prison releases", "justice:releases", rules.VIEW_RELEASES, 48),
            registry.MenuEntry(
                "Court orders and licences", "justice:statuses", rules.VIEW_STATUSES, 49
            ),
            registry.MenuEntry(
                "Shared with partners", "justice:sharing_log", rules.VIEW_SHARING_LOG, 62
            ),
        ]:
            registry.menu_entries.register(entry)
        registry.home_pages[Role.PROBATION_OFFICER] = "justice:supervised"
        # The prescriber's worklist: clients released on OST whose first prescription is due.
        registry.worklist_sections.register(
            registry.WorklistSection(
                5,
                frozenset({Role.PRESCRIBER}),
                rules.VIEW_RELEASES,
                views.released_on_ost_worklist,
            )
        )
        # The manager's worklist: orders past their expected end (H-269). A keyworker's home
        # is their caseload, where the column below shows the same.
        registry.worklist_sections.register(
            registry.WorklistSection(
                45,
                frozenset({Role.MANAGER}),
                rules.VIEW_STATUSES,
                views.past_expected_end_worklist,
            )
        )
        # Licences and supervisions with no end date (H-280), for a manager, who may record
        # it (a prescriber may not: admin on a clinical worklist); the keyworker's caseload
        # tags the same with the link to record it.
        registry.worklist_sections.register(
            registry.WorklistSection(
                46,
                frozenset({Role.MANAGER}),
                rules.VIEW_STATUSES,
                views.without_end_date_worklist,
            )
        )
        treatment_hooks.caseload_columns.register(views.caseload_columns)
        client_hooks.client_page_sections.register(views.client_page_section)
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=60,
                label="criminal justice: an order, consent to share, a prison release",
                seed=lambda rng, org, *, clients, stdout: seed_justice(rng, org, stdout=stdout),
            )
        )
