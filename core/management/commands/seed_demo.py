from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import Property
from core.registry import DEMO, providers


class Command(BaseCommand):
    """Build the bilingual demo: every app's ``demo.seed()``, in dependency order. Idempotent."""

    help = "Seed the demo data (properties, locations, logins and each area's records)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the volume (1-50).")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has properties.",
        )

    def handle(self, *args, scale, force, if_empty, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: refusing to seed demo data without --force.")
        if not 1 <= scale <= 50:
            raise CommandError("--scale must be between 1 and 50.")
        if if_empty and Property.objects.exists():
            self.stdout.write("Demo data: the database already has properties; nothing to do.")
            return
        with transaction.atomic():
            # Each app's hooks.py declares its seed; they run in INSTALLED_APPS order.
            for provider in providers(DEMO):
                provider.func(scale=scale, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins use the password 'demo'."))
