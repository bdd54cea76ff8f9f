"""The hub's WSGI application: the same project with the hub's settings (``tacnghiep.settings.bus``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "tacnghiep.settings.bus"
application = get_wsgi_application()
