"""The cleaning app's Celery tasks (found by ``autodiscover_tasks``), one module per concept."""

from .tasks_waste import (  # noqa: F401
    generate_expected_collections_task,
    generate_greening_tasks_task,
)
