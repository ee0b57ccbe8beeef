from .navigation import reference_links, user_areas, visible_links
from .work import cached_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_areas": user_areas(user),
        "nav_reference": visible_links(user, reference_links()),
        # Called only when a template shows it (the sidebar's badge), and once per request.
        "my_work_count": lambda: cached_count(request),
    }
