"""The cleaning app's admin classes, one module per concept (registered on import)."""

from . import admin_greening, admin_waste  # noqa: F401
