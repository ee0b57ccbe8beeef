from . import admin_visitors  # noqa: F401  (registers visitors and access cards)
