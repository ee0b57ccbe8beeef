from . import admin_patrols  # noqa: F401
