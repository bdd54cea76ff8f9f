"""Settings for the test suite: the product's settings with a throw-away data folder."""

import os
from pathlib import Path

os.environ.setdefault("TACNGHIEP_DATA_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))

from tacnghiep.settings import *  # noqa: F403

# Tests reach the worker through the same filesystem broker, in the test data folder.
ALLOWED_HOSTS = ["*"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# fixtures in that same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Changes are indexed by calling the indexer in the tests that search; the worker tests
# switch the wake-up back on so that a real worker does the indexing.
SEARCH_WAKE_WORKER = False
