"""The beat entries of waste collection and greening, created once after migrate."""


def ensure_waste_and_greening_schedules(**kwargs):
    from django.conf import settings

    from core.schedules import ensure_daily_task

    hour = getattr(settings, "FACILITIES_GENERATE_HOUR", 5)
    ensure_daily_task(
        "cleaning.tasks_waste.generate_expected_collections_task",
        "Expect waste collections / 生成垃圾清运计划",
        "Expects each collection schedule's collections for today and tomorrow. "
        "每天按清运计划生成今明两天应清运的记录。",
        hour=hour,
    )
    ensure_daily_task(
        "cleaning.tasks_waste.generate_greening_tasks_task",
        "Open greening tasks / 生成绿化养护任务",
        "Opens the greening tasks of every plan due within its lead days and in season. "
        "每天按养护计划生成到期且在季节内的养护任务。",
        hour=hour,
    )
