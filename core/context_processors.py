from .navigation import REFERENCE_LINKS, user_areas, visible_links


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_areas": user_areas(user),
        "nav_reference": visible_links(user, REFERENCE_LINKS),
    }
