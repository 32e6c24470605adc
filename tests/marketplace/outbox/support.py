"""Helpers of the durable-work tests: timers that the test fires itself."""

from __future__ import annotations

from collections.abc import Callable

from marketplace.outbox import tasks


class FakeTimer:
    def __init__(self, delay: float, function: Callable[[], None]) -> None:
        self.delay = delay
        self.function = function
        self.started = False
        self.cancelled = False
        self.fired = False

    def start(self) -> None:
        self.started = True

    def cancel(self) -> None:
        self.cancelled = True

    def fire(self) -> None:
        """What the timer thread does when the delay has passed (here, in the test's thread)."""
        self.fired = True
        self.function()


class FakeTimers:
    """A timer factory that keeps every timer it made."""

    def __init__(self) -> None:
        self.made: list[FakeTimer] = []

    def __call__(self, delay: float, function: Callable[[], None]) -> FakeTimer:
        timer = FakeTimer(delay, function)
        self.made.append(timer)
        return timer

    @property
    def waiting(self) -> list[FakeTimer]:
        """The timers started and neither cancelled nor fired yet."""
        return [t for t in self.made if t.started and not (t.cancelled or t.fired)]


def in_process_retries(settings, monkeypatch) -> FakeTimers:
    """Switch on the process's in-process relay with fake timers; returns them."""
    settings.OUTBOX_IN_PROCESS_RELAY = True
    timers = FakeTimers()
    monkeypatch.setattr(tasks.in_process_relay, "timer", timers)
    monkeypatch.setattr(tasks.in_process_relay, "_waiting", None)
    monkeypatch.setattr(tasks.in_process_relay, "_due_at", None)
    return timers
