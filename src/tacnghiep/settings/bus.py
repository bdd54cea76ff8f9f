"""Settings of the hub process (``tacnghiep bus serve``): the same project, the hub's URLs only.

No sessions, no CSRF, no sign-in: every call is signed with the calling system's
secret (``exchange.hubprotocol``) and checked by the views.
"""

from tacnghiep.settings import *  # noqa: F403

ROOT_URLCONF = "tacnghiep.bus.urls"
WSGI_APPLICATION = "tacnghiep.bus.wsgi.application"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
]
# Packages stream to disk in the views; Django must not buffer bodies itself.
DATA_UPLOAD_MAX_MEMORY_SIZE = None  # type: ignore[assignment]
