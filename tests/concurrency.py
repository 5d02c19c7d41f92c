"""Running the same work in threads at once, as two web or Celery workers would, for the tests that
prove a lock or a constraint holds under a race."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from django.db import connection


def run_at_once(work: Callable[[str], object], names: Iterable[str], *, timeout: float = 60) -> dict[str, object]:
    """`work(name)` for each name, each in its own thread with its own database connection (closed
    after), all started before any is joined. Answers {name: what `work` returned, or the exception it
    raised}, so a thread's error is reported by the test rather than lost."""
    results: dict[str, object] = {}

    def run(name: str) -> None:
        try:
            results[name] = work(name)
        except Exception as exc:  # noqa: BLE001 - handed to the test, which asserts on it
            results[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
