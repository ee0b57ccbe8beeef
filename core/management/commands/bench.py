import re

from django.core.management.base import BaseCommand, CommandError

from core import bench


class Command(BaseCommand):
    """``make bench``: every page over HTTP at scale, query counts at 1× and 10×, floors and
    the daily jobs; the tables go to var/bench/. The logic is in core/bench.py."""

    help = "Measure Houqin at scale on PostgreSQL; exits non-zero when a target is missed."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=100, help="Scale of the timed run.")
        parser.add_argument(
            "--compare",
            default=None,
            help="The two scales whose query counts must be equal (default 1,10; smoke 1,3).",
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Reuse a database seeded at the scale even if the seed or schema changed.",
        )
        parser.add_argument("--reseed", action="store_true", help="Seed again even if reusable.")
        parser.add_argument("--pages", help="Only the pages whose view name or path match.")
        parser.add_argument("--requests", type=int, default=20, help="Timed requests per page.")
        parser.add_argument("--warmup", type=int, default=2, help="Untimed requests first.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
        parser.add_argument("--skip-jobs", action="store_true", help="Do not time the jobs.")
        parser.add_argument(
            "--smoke",
            action="store_true",
            help="CI: seed two small scales, compare query counts and statuses of every page.",
        )
        parser.add_argument("--keep-db", action="store_true", help="Smoke: keep its databases.")
        parser.add_argument("--db-prefix", default="houqin_bench_", help="Database name prefix.")
        parser.add_argument("--no-fail", action="store_true", help="Report only; exit 0.")
        parser.add_argument(
            "--forms", action="store_true", help="Time the add/edit forms too (always counted)."
        )
        parser.add_argument("--no-warmup", action="store_true", help="(internal) counts phase.")
        parser.add_argument("--phase", choices=["counts", "resolve", "jobs"], help="(internal)")
        parser.add_argument("--out", help="(internal) where a phase writes its JSON.")

    def handle(self, *args, **o):
        if o["phase"]:
            bench.run_phase(o["phase"], o["out"], o["pages"], warmup=not o["no_warmup"])
            return
        if o["pages"]:
            try:
                re.compile(o["pages"])
            except re.error as exc:
                raise CommandError(f"--pages is not a regular expression: {exc}") from exc
        compare = o["compare"] or ("1,3" if o["smoke"] else "1,10")
        try:
            low, high = (int(x) for x in compare.split(","))
        except ValueError as exc:
            raise CommandError("--compare takes two scales, e.g. 1,10") from exc
        options = bench.Options(
            scale=o["scale"],
            compare=(low, high),
            reuse=o["reuse"],
            reseed=o["reseed"],
            pattern=o["pages"],
            requests=o["requests"],
            warmup=o["warmup"],
            skip_jobs=o["skip_jobs"],
            smoke=o["smoke"],
            keep=o["keep_db"],
            prefix=o["db_prefix"],
            workers=o["workers"],
            forms=o["forms"],
        )
        try:
            report, text = bench.run(options, log=lambda msg: self.stdout.write(msg))
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(text)
        missed = bench.failures(report)
        if missed and not o["no_fail"]:
            raise CommandError(f"{len(missed)} target(s) missed (see var/bench/).")
