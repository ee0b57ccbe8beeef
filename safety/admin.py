from . import admin_hazards  # noqa: F401 (registered on import)
