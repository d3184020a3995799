from django.apps import AppConfig


class RefusalCasesConfig(AppConfig):
    """The project itself, as an app: its system checks."""

    name = "refusal_cases"
    verbose_name = "Refusal-to-execute cases"

    def ready(self):
        from refusal_cases import checks  # noqa: F401 - registers the checks
