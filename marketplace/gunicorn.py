"""gunicorn's configuration hooks: ``gunicorn -c python:marketplace.gunicorn marketplace.wsgi``.

Prometheus with several worker processes: each writes its counters to files in
``PROMETHEUS_MULTIPROC_DIR`` and ``/metrics`` adds up all of them. Set here, before any
worker imports ``prometheus_client``, to a fresh folder of this server when the environment
names none; emptied at start-up (a previous run's counts are not this one's); a worker's
files are retired when it exits.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="keqiao-prometheus-")


def on_starting(server) -> None:
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
