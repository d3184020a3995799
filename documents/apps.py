import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        # WeasyPrint reports every rendering step at INFO; one PDF would write ten log lines.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
