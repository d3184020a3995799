"""The heartbeat: Celery beat queues it every minute and a worker writes the time into the broker, so that
/health/ tells how long ago beat and a worker last worked together."""

import time

from celery import shared_task
from django.conf import settings

from refusal_cases.health import HEARTBEAT_KEY, broker_client


@shared_task(name="refusal_cases.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    with broker_client() as client:
        client.set(HEARTBEAT_KEY, str(time.time()), ex=24 * 3600)
