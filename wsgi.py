"""The WSGI entry point: ``gunicorn wsgi:app``."""

import gc

from app import create_app
from app.pwa.operations import prepare

app = create_app()
prepare(app)  # what the phones' first requests would otherwise wait for

# What start-up made lives as long as the process: take it out of the cyclic garbage
# collector's rounds, so that a collection during a request only walks that request's
# objects. The all-Wales summary makes about a hundred thousand; without this, Python's
# collector spends a third of its time re-walking the app (benchmarks/week_view_bench.py).
gc.collect()
gc.freeze()
