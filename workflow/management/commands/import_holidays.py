from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workflow.deadlines.holidays import import_schedule, read_schedule_file


class Command(BaseCommand):
    help = ("Import a year's official holiday schedule (as published by the State Council) from a CSV or JSON "
            "file, replacing what the table holds for that year, and recount the deadlines it affects. "
            "CSV header: day,is_working_day,name - one row per public holiday and per weekend day declared a "
            "working day, e.g. 2027-02-06,false,Spring Festival / 2027-02-20,true,adjusted working day.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .csv or .json file.")
        parser.add_argument("--source", default="", help="Where the schedule comes from, e.g. the notice's title.")
        parser.add_argument("--year", type=int, action="append", dest="years",
                            help="The year the file covers (repeatable); default: the years of its days.")

    def handle(self, *args, path, source="", years=None, **options):
        try:
            entries = read_schedule_file(path)
            result = import_schedule(entries=entries, source=source or path.rsplit("/", 1)[-1], years=years)
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"Imported {result.days} days for {', '.join(map(str, result.years))}; "
            f"{result.recounted} deadlines recounted."
        )
