"""App configuration for service-user voice: surveys, events and "you said, we did"."""

from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "beacon.voice"
    label = "voice"
    verbose_name = "Service-user voice"

    def ready(self) -> None:
        from beacon.core import registry
        from beacon.voice.api import router
        from beacon.voice.demo import seed_voice

        registry.api_routers.register(registry.ApiRouter("/voice/", router))
        for label, url_name, permission, order in (
            ("Surveys", "voice:surveys", "voice.view_surveys", 60),
            ("You said, we did", "voice:actions", "voice.view_actions", 61),
        ):
            registry.menu_entries.register(registry.MenuEntry(label, url_name, permission, order))
        registry.demo_seeds.register(
            registry.DemoSeed(
                order=80,
                label="survey responses, events and you said, we did",
                seed=lambda rng, org, *, clients, stdout: seed_voice(rng, org),
            )
        )
