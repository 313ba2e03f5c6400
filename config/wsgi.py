import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Import every view, the API and its schemas now, while the worker boots, instead of on the first request
# it serves: about a second and a half of CPU that would otherwise land on a live request (in a rush, on
# every worker at once).
get_resolver().url_patterns  # noqa: B018 - the access imports them

# Everything loaded so far lives as long as the worker: move it out of the garbage collector's sight. A full
# collection then scans only what requests created, instead of stopping every thread of the worker for
# 100-350 ms to walk some 200,000 objects that can never be garbage (seen in the booking rush benchmark).
gc.freeze()
