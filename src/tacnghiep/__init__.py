"""tacnghiep: operations platform for Vietnamese Party committees and public bodies."""

# Loaded with the package so that every `shared_task` binds to this app and its broker.
from tacnghiep.celery import app as celery_app

__version__ = "0.1.0"
__all__ = ["celery_app"]
