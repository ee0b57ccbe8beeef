from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

GENERATE_HOUR = 4


def ensure_generation_schedule(**kwargs):
    from core.schedules import ensure_daily_task

    ensure_daily_task(
        "cleaning.tasks.generate_cleaning_tasks_task",
        "Generate cleaning tasks / 生成保洁任务",
        "Makes the day's cleaning tasks of every standard and area. "
        "每天按保洁标准生成各区域的保洁任务。",
        hour=GENERATE_HOUR,
    )


class CleaningConfig(AppConfig):
    name = "cleaning"
    verbose_name = _("Cleaning & environment")

    def ready(self):
        from .schedules_waste import ensure_waste_and_greening_schedules

        post_migrate.connect(
            ensure_generation_schedule, sender=self, dispatch_uid="cleaning.generation_schedule"
        )
        post_migrate.connect(
            ensure_waste_and_greening_schedules,
            sender=self,
            dispatch_uid="cleaning.waste_and_greening_schedules",
        )
