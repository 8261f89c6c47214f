"""The chat's login check, slowed down after repeated failures so passwords can't be guessed fast."""

from __future__ import annotations

import asyncio
import hmac
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable

FREE_FAILURES = 3  # a person mistyping a password is never slowed down
WINDOW_SECONDS = 300.0  # failures older than this are forgotten
BASE_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 8.0


class ThrottledLogin:
    """Gradio's login check (`check`): each failure beyond the free ones waits twice as long as
    the last before it is answered.

    Gradio does not tell the check who is asking, so failures are counted for the whole server:
    a guesser slows everyone's wrong attempts down, and a right password is never delayed. The
    check is async so that a waiting failure holds no worker: Gradio awaits it.
    """

    def __init__(
        self,
        username: str,
        password: str,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._expected = (username.encode(), password.encode())
        self._sleep, self._clock = sleep, clock
        self._failures: deque[float] = deque()
        self._lock = threading.Lock()

    async def check(self, username: str, password: str) -> bool:
        # Both compared in constant time, and both always: timing tells nothing about either.
        user_ok = hmac.compare_digest(str(username).encode(), self._expected[0])
        password_ok = hmac.compare_digest(str(password).encode(), self._expected[1])
        if user_ok and password_ok:
            return True
        await self._sleep(self._record_failure())
        return False

    def _record_failure(self) -> float:
        """The delay this failure waits: zero for the first few, then doubling, up to a cap."""
        with self._lock:
            now = self._clock()
            while self._failures and now - self._failures[0] > WINDOW_SECONDS:
                self._failures.popleft()
            self._failures.append(now)
            beyond = len(self._failures) - FREE_FAILURES
        if beyond <= 0:
            return 0.0
        delay: float = min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** (beyond - 1))
        return delay
