import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Each worker reads the search index and the similarity arrays before its first request.
from precedent import search  # noqa: E402 - needs the apps loaded, above

search.warm()
