from django.core.management.base import BaseCommand, CommandError

from procedure.calendar import UnknownYear
from workflow.deadlines.holidays import PACKAGE_SOURCE, package_years, seed_from_package


class Command(BaseCommand):
    help = ("Load the State Council holiday schedules packaged in chinesecalendar into the holiday table. "
            "Years already in the table are kept (an administrator may have corrected them) unless --replace.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years",
                            help="Only this year (repeatable); default: every year the package has.")
        parser.add_argument("--replace", action="store_true", help="Overwrite years already in the table.")

    def handle(self, *args, years=None, replace=False, **options):
        try:
            loaded = seed_from_package(years=years, replace=replace)
        except UnknownYear as exc:
            raise CommandError(f"{exc}. The package has {min(package_years())}-{max(package_years())}; "
                               f"import a newer year with manage.py import_holidays.") from None
        if loaded:
            self.stdout.write(f"Loaded {', '.join(map(str, loaded))} from {PACKAGE_SOURCE}.")
        else:
            self.stdout.write("Nothing to load: those years are already in the table (use --replace).")
