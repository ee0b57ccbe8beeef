"""Dashboard tiles: each app declares figures for its area (``dashboard=[…]`` in its
``hooks.py``), computed in SQL. A provider that fails is logged and its figures left out;
the rest of the tile and the other tiles are still shown."""

from dataclasses import dataclass

from .registry import DASHBOARD, collect


@dataclass(frozen=True)
class Stat:
    label: str
    value: object
    url: str | None = None
    severity: str = ""  # "", "warning" or "danger"


def stats_for(app_label, request):
    return collect(DASHBOARD, request, app_label=app_label)
