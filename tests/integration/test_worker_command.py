"""`manage.py worker` waits for a database that refuses connections, with back-off, instead
of exiting."""

import pytest
from django.core.management.base import CommandError
from django.db import OperationalError, connections

from identities.management.commands.worker import database_wait


class Refusing:
    """`ensure_connection` of every database fails `times` times, then works."""

    def __init__(self, monkeypatch, times: int):
        self.left = times
        for alias in connections:
            monkeypatch.setattr(connections[alias], "ensure_connection", self)

    def __call__(self):
        if self.left:
            self.left -= 1
            raise OperationalError("FATAL: sorry, too many clients already")


class Clock:
    def __init__(self):
        self.now, self.sleeps = 0.0, []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self):
        return self.now


def test_the_worker_waits_for_a_full_database_with_growing_delays(monkeypatch):
    Refusing(monkeypatch, times=5)
    clock = Clock()
    assert database_wait(timeout=60, sleep=clock.sleep, clock=clock) == 5
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0]


def test_the_delay_stops_growing_at_its_cap(monkeypatch):
    Refusing(monkeypatch, times=7)
    clock = Clock()
    database_wait(timeout=300, sleep=clock.sleep, clock=clock, max_delay=5)
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 5, 5, 5]


def test_the_worker_gives_up_when_the_database_stays_away(monkeypatch):
    Refusing(monkeypatch, times=100)
    clock = Clock()
    with pytest.raises(CommandError, match="too many clients"):
        database_wait(timeout=10, sleep=clock.sleep, clock=clock)
    assert sum(clock.sleeps) <= 10


def test_an_available_database_starts_at_once(monkeypatch):
    Refusing(monkeypatch, times=0)
    clock = Clock()
    assert database_wait(timeout=10, sleep=clock.sleep, clock=clock) == 0
    assert clock.sleeps == []
