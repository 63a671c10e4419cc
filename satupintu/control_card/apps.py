from django.apps import AppConfig
from django.conf import settings
from django.core import checks


def card_key_configured(app_configs, **kwargs):
    """The chain key must come from outside the database; without one no card entry can be written."""
    if getattr(settings, "SATUPINTU_CARD_KEY", "") or getattr(settings, "SATUPINTU_CARD_KEY_FILE", ""):
        return []
    return [
        checks.Error(
            "No control-card chain key: set SATUPINTU_CARD_KEY (hex) or SATUPINTU_CARD_KEY_FILE.",
            hint="docs/security.md, 'Kartu kendali: kunci dan jangkar'. Every server must use the same key.",
            id="control_card.E001",
        )
    ]


class ControlCardConfig(AppConfig):
    name = "satupintu.control_card"
    label = "control_card"
    verbose_name = "Kartu kendali"

    def ready(self) -> None:
        checks.register(card_key_configured, checks.Tags.security)
