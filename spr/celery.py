"""The Celery application. Tasks take ids and call one service; job state lives in the database."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spr.settings")

app = Celery("spr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
