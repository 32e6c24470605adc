"""The demo accounts the load scenario signs in with (shared by locustfile.py and run.py,
which must not import locust: it patches the standard library with gevent)."""

import os

PASSWORD = os.environ.get("BENCH_LOAD_PASSWORD", "keqiao-demo-2026")
OWNERS = os.environ.get("BENCH_LOAD_OWNERS", "tto@sustech.demo,rd@shenxin.demo").split(",")
BROKERS = os.environ.get("BENCH_LOAD_BROKERS", "broker@gba-ttc.demo").split(",")
