"""Dashboard tiles: each app registers figures for its area, computed in SQL."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stat:
    label: str
    value: object
    url: str | None = None
    severity: str = ""  # "", "warning" or "danger"


_providers: dict[str, list[Callable]] = defaultdict(list)


def stat_provider(app_label: str):
    """Decorator: ``func(request) -> list[Stat]`` adds figures to ``app_label``'s tile."""

    def register(func):
        if func not in _providers[app_label]:
            _providers[app_label].append(func)
        return func

    return register


def stats_for(app_label, request):
    return [stat for provider in _providers[app_label] for stat in provider(request)]
