"""Repeated wrong logins slow down; a right login never does."""

from __future__ import annotations

import asyncio
import itertools

from corpusqa.ui.login import (
    BASE_DELAY_SECONDS,
    FREE_FAILURES,
    MAX_DELAY_SECONDS,
    WINDOW_SECONDS,
    ThrottledLogin,
)


class Recorder:
    """Stands in for asyncio.sleep and the clock, so delays are read, not waited for."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    def clock(self) -> float:
        return self.now


def attempt(login: ThrottledLogin, user: str, password: str) -> bool:
    return asyncio.run(login.check(user, password))


def test_failures_beyond_the_free_ones_wait_longer_each_time() -> None:
    time = Recorder()
    login = ThrottledLogin("reader", "s3cret", sleep=time.sleep, clock=time.clock)
    results = [attempt(login, "reader", f"guess-{n}") for n in range(FREE_FAILURES + 6)]
    assert not any(results)
    assert time.slept[:FREE_FAILURES] == [0.0] * FREE_FAILURES  # a mistyped password costs nothing
    growing = time.slept[FREE_FAILURES:]
    assert growing[0] == BASE_DELAY_SECONDS
    assert all(later >= earlier for earlier, later in itertools.pairwise(growing))
    assert growing[-1] == MAX_DELAY_SECONDS  # capped: the chat is slowed, never locked


def test_a_right_login_is_never_delayed_and_old_failures_are_forgotten() -> None:
    time = Recorder()
    login = ThrottledLogin("reader", "s3cret", sleep=time.sleep, clock=time.clock)
    for n in range(FREE_FAILURES + 3):
        attempt(login, "reader", f"guess-{n}")
    waited = len(time.slept)
    assert attempt(login, "reader", "s3cret")
    assert len(time.slept) == waited  # no wait on success
    assert not attempt(login, "someone", "s3cret")  # the user name counts too
    time.now += WINDOW_SECONDS + 1
    attempt(login, "reader", "wrong again")
    assert time.slept[-1] == 0.0
