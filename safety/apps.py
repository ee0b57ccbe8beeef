from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("Safety & security")

    def ready(self):
        from .tasks import ensure_patrol_schedules

        post_migrate.connect(
            ensure_patrol_schedules, sender=self, dispatch_uid="safety.patrol_schedules"
        )
