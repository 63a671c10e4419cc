from django.apps import AppConfig, apps


class PortalConfig(AppConfig):
    name = "satupintu.portal"
    label = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        # The cached public pages (portal/caching.py) are forgotten when what they show changes.
        from django.db.models import Model
        from django.db.models.signals import post_delete, post_save

        from satupintu.core.models import Office
        from satupintu.portal.caching import pages_changed

        shown: list[type[Model]] = [
            Office,
            *apps.get_app_config("catalogue").get_models(),
            *apps.get_app_config("surveys").get_models(),
        ]
        for model in shown:
            for signal in (post_save, post_delete):
                signal.connect(pages_changed, sender=model, dispatch_uid=f"public-pages-{model._meta.label}")
