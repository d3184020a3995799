from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Case workflow")

    def ready(self):
        from workflow.notifications import services as notifications  # noqa: F401 - registers the after-commit notifications of transitions
