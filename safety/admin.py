"""Admin of safety: each part registers its models in its own module."""

from . import admin_hazards, admin_patrols, admin_visitors  # noqa: F401  (registered on import)
