"""Settings for the test suite: the product's settings with a throw-away data folder."""

import os
from pathlib import Path

os.environ.setdefault("TACNGHIEP_DATA_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))

from tacnghiep.settings import *  # noqa: F403

# Tests reach the worker through the same filesystem broker, in the test data folder.
ALLOWED_HOSTS = ["*"]
