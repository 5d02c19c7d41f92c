"""The Celery application. Tasks take ids and call one service; job state lives in the database."""

import gc
import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spr.settings")

app = Celery("spr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

#: The collector's thresholds in a worker child (Python's default is 700, 10, 10). Rendering a report
#: allocates millions of short-lived objects; at 700 the collector ran ~270 times a 35-page report and
#: took 0.18 s of its CPU (0.43 s before the freeze below), at 7,000 it runs ~25 times and takes 0.08 s.
#: Nothing is kept longer: objects in reference cycles are freed a few thousand allocations later.
WORKER_GC_THRESHOLD = (7000, 10, 10)


def tune_worker_gc() -> None:
    """Freeze what is loaded out of the garbage collector and collect less often, as a worker does.
    bench/reports.py calls it too, so what it measures in its own process is what a worker does."""
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLD)


@worker_init.connect
def load_before_forking(**kwargs) -> None:
    """In the worker's main process, after Django and the tasks are loaded and before the pool forks:
    load WeasyPrint and freeze everything loaded, as gunicorn.conf.py does for web workers. Each child
    then shares those pages instead of importing WeasyPrint for its first report (0.4 s of CPU), and its
    full collections walk what it made itself, not the ~100,000 objects of Django and WeasyPrint."""
    from core.pdf import preload

    preload()
    gc.freeze()


@worker_process_init.connect
def tune_child_gc(**kwargs) -> None:
    tune_worker_gc()
