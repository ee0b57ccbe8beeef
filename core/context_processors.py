from .navigation import reference_links, user_areas, visible_links


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_areas": user_areas(user),
        "nav_reference": visible_links(user, reference_links()),
    }
