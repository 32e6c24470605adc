"""CPU seconds used by a process tree and by the embedded PostgreSQL, read from /proc: what a
machine of its own would have to provide, whatever else a shared machine runs meanwhile."""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, *, reaped: bool = False, task_of: int | None = None) -> float:
    """CPU seconds (user + system) of a process (or thread ``pid`` of process ``task_of``),
    and with ``reaped`` of its exited children."""
    stat = f"/proc/{task_of}/task/{pid}/stat" if task_of else f"/proc/{pid}/stat"
    try:
        fields = Path(stat).read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    # After the ")" of the name: state is fields[0]; utime, stime, cutime, cstime are 11-14.
    ticks = int(fields[11]) + int(fields[12])
    if reaped:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICK


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def process_tree_cpu(pid: int) -> float:
    """A process, its living children and the children it has reaped."""
    return cpu_seconds(pid, reaped=True) + sum(cpu_seconds(child) for child in _children(pid))


def database_cpu(root: Path) -> float:
    """The embedded PostgreSQL of this worktree (its postmaster and backends, living and
    exited); 0 when it is not the one in use."""
    pgdata = Path(os.environ.get("EMBEDDED_PGDATA") or root / ".pgdata")
    try:
        postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    return process_tree_cpu(postmaster)


def thread_cpu(native_id: int) -> float:
    """One thread of this process."""
    return cpu_seconds(native_id, task_of=os.getpid())
