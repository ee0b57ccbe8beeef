import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core import picklists
from core.demo_bulk import MAX_SCALE
from core.models import Property
from core.registry import DEMO, providers

# The apps whose records the summary counts (not Django's own, not the history tables).
SUMMARY_APPS = ("core", "staff", "procurement", "facilities", "cleaning", "safety", "liaison")


class Command(BaseCommand):
    """Build the bilingual demo: every app's ``demo.seed()``, in dependency order. Idempotent.

    ``--scale N`` (N > 1) adds bulk properties and volume in proportion to N (see
    ``core.demo_bulk``); at 100 that is 20 properties, 200,000 work orders and 1,000,000 stock
    movements. Each app's part is its own transaction.
    """

    help = "Seed the demo data (properties, locations, logins and each area's records)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help=f"Multiply the volume (1-{MAX_SCALE})."
        )
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has properties.",
        )

    def handle(self, *args, scale, force, if_empty, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: refusing to seed demo data without --force.")
        if not 1 <= scale <= MAX_SCALE:
            raise CommandError(f"--scale must be between 1 and {MAX_SCALE}.")
        if if_empty and Property.objects.exists():
            self.stdout.write("Demo data: the database already has properties; nothing to do.")
            return
        started = time.monotonic()
        # Each app's hooks.py declares its seed; they run in INSTALLED_APPS order, each in
        # its own transaction (a failure keeps what the apps before it made; a rerun skips it).
        for provider in providers(DEMO):
            begun = time.monotonic()
            with transaction.atomic():
                provider.func(scale=scale, stdout=self.stdout)
            if scale > 1:
                self.stdout.write(f"  ({provider.app_label}: {time.monotonic() - begun:.1f} s)")
        if scale > 1:
            self._analyze()
        picklists.forget_all()  # bulk rows bypass the signals that renew the pick lists
        self._summary()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready at scale {scale} in {time.monotonic() - started:.1f} s. "
                "Logins use the password 'demo'."
            )
        )

    def _analyze(self):
        """Fresh planner statistics for the bulk rows (PostgreSQL): without them it guesses
        17 rows where there are 17,000 and picks plans that scan the table. VACUUM also
        marks the pages all-visible, so counts read the indexes alone; it cannot run inside a
        transaction (a test's), where ANALYZE alone is done."""
        if connection.vendor != "postgresql":
            return
        begun = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        self.stdout.write(f"  (statistics: {time.monotonic() - begun:.1f} s)")

    def _summary(self):
        self.stdout.write("Records per model:")
        for label in SUMMARY_APPS:
            if not apps.is_installed(label):
                continue
            for model in apps.get_app_config(label).get_models():
                if model.__name__.startswith("Historical"):
                    continue
                count = model._default_manager.count()
                if count:
                    self.stdout.write(f"  {model._meta.label:<40} {count:>10,}")
