from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core.digests import send_reminders


class Command(BaseCommand):
    """Send today's (or --date's) reminder digests: the same path as the daily Celery task."""

    help = "Send each user their reminder digest for a day (default today)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day, YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be sent; send and record nothing.",
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        day = self._parse(date)
        result = send_reminders(day, dry_run=dry_run)
        if dry_run:
            for user, items in result.planned:
                self.stdout.write(f"{user.username} <{user.email}>: {len(items)} items")
                for item in items:
                    self.stdout.write(
                        f"  [{item.severity}] {item.kind.key}: {item.obj} ({item.due})"
                    )
            self.stdout.write(f"Dry run for {result.day}: {len(result.planned)} digests.")
            return
        self.stdout.write(
            f"Reminders for {result.day}: {len(result.sent)} sent, "
            f"{len(result.skipped)} already sent, {len(result.failed)} failed."
        )
        if result.failed:
            raise CommandError(f"{len(result.failed)} digests could not be sent; run again later.")

    @staticmethod
    def _parse(value):
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}.") from exc
