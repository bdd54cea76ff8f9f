"""Running pyHanko's synchronous API from code that may already be inside an event loop.

pyHanko's sync functions call ``asyncio.run``, which refuses to start inside a
running loop (an async view, or a test thread where Playwright runs one). Then
the call goes to one long-lived helper thread that has no loop (long-lived, so
what the signing code keeps per thread, its event loop and revocation cache,
survives between calls).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


_helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="signing")


def outside_event_loop(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    return _helper.submit(function, *args, **kwargs).result()
