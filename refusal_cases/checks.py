"""System checks an operator runs before serving (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs=None, **kwargs):
    """With DEBUG off the pages name their styles and scripts by the hashed names collectstatic writes into its
    manifest; without it every page is a 500."""
    if settings.DEBUG:
        return []
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    if "Manifest" not in backend:
        return []
    from django.contrib.staticfiles.storage import staticfiles_storage

    if staticfiles_storage.exists(staticfiles_storage.manifest_name):
        return []
    return [Error(f"The static files have not been collected into STATIC_ROOT ({settings.STATIC_ROOT}): with DEBUG "
                  "off every page would answer 500.", hint="Run `python manage.py collectstatic --noinput`.",
                  id="refusal_cases.E001")]
