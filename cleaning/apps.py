from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CleaningConfig(AppConfig):
    name = "cleaning"
    verbose_name = _("Cleaning & environment")

    def ready(self):
        from .schedules_waste import ensure_waste_and_greening_schedules

        post_migrate.connect(
            ensure_waste_and_greening_schedules,
            sender=self,
            dispatch_uid="cleaning.waste_and_greening_schedules",
        )
