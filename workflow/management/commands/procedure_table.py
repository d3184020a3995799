from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from procedure.diagram import diagram_svg, table_markdown


class Command(BaseCommand):
    help = "Print the procedure's transition table as Markdown; with --svg, also write its state diagram."

    def add_arguments(self, parser):
        parser.add_argument("--svg", type=Path, metavar="PATH", help="write the state diagram as SVG to this file")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the labels (default: %(default)s)",
        )

    def handle(self, *args, svg: Path | None, language: str, **options):
        self.stdout.write(table_markdown(language=language), ending="")
        if svg:
            svg.write_text(diagram_svg(language=language) + "\n", encoding="utf-8")
            self.stderr.write(f"State diagram written to {svg}")
