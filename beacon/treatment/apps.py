"""App configuration for treatment: referral to discharge, recovery plans, TOP."""

from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "beacon.treatment"
    label = "treatment"
    verbose_name = "Treatment journey"

    def ready(self) -> None:
        from beacon.clients import hooks as client_hooks
        from beacon.core import registry
        from beacon.core.roles import Role
        from beacon.treatment.api import journey, plans, tops
        from beacon.treatment.demo import seed_journeys
        from beacon.treatment.views.journey import client_summary_rows
        from beacon.treatment.views.plans import exit_plan_reviews_section
        from beacon.treatment.views.tops import tops_due_section

        for concept in (journey, plans, tops):
            registry.api_routers.register(registry.ApiRouter("/treatment/", concept.router))
        registry.menu_entries.register(
            registry.MenuEntry("Caseload", "treatment:caseload", "treatment.view_caseload", 20)
        )
        client_hooks.client_summary_rows.register(client_summary_rows)
        registry.home_pages[Role.KEYWORKER] = "treatment:caseload"
        # Worklists: the prescriber's exit plan reviews, the nurse's TOPs to record.
        for section in (
            registry.WorklistSection(
                40, frozenset({Role.PRESCRIBER}), "treatment.record_plan", exit_plan_reviews_section
            ),
            registry.WorklistSection(
                10, frozenset({Role.NURSE}), "treatment.record_top", tops_due_section
            ),
        ):
            registry.worklist_sections.register(section)
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=20,
                label="treatment journeys",
                seed=lambda rng, org, *, clients, stdout: (
                    f"{len(seed_journeys(rng, org, stdout=stdout))} new journeys"
                ),
            )
        )
