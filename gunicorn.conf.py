"""gunicorn's settings for the web server (read from the working directory, /app in the image).

The app is loaded once in the master and its objects are frozen out of the garbage collector before
each worker is forked, as Python's documentation of `gc.freeze()` advises for servers that fork
without exec: the workers share those pages instead of copying them, and a full collection in a
worker walks only what the worker made since, not the ~100,000 objects of Django, DRF and the
project's modules (bench/run.py measures pages in the same state). With the app preloaded, a HUP
does not load new code: restart the container to deploy.
"""

import gc

preload_app = True

# No collection in the master while the app loads: freed objects would leave holes in shared pages.
gc.disable()


def pre_fork(server, worker):
    gc.freeze()


def post_fork(server, worker):
    gc.enable()
