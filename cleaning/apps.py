from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CleaningConfig(AppConfig):
    name = "cleaning"
    verbose_name = _("Cleaning & environment")
