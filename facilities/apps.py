from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = _("Facilities & maintenance")

    def ready(self):
        from core.navigation import NavLink, register_links

        from . import dashboard  # noqa: F401  (registers the area's figures)

        register_links(
            "facilities",
            NavLink(_("Equipment"), "facilities:equipment_list", "facilities.view_equipment"),
            NavLink(
                _("Equipment categories"),
                "facilities:equipmentcategory_list",
                "facilities.view_equipmentcategory",
            ),
        )
