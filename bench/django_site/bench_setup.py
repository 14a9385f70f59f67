"""Prepare django-helpdesk's database for the benchmark: migrate, one staff user with a DRF
token, one queue per department. Prints the token and the queue ids as JSON.

Run with the django-helpdesk virtualenv's python, DJANGO_SETTINGS_MODULE=bench_settings.
"""

import json
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from helpdesk.models import Queue  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

call_command("migrate", verbosity=0, interactive=False)
user, _ = get_user_model().objects.get_or_create(
    username="bench", defaults={"email": "bench@example.org", "is_staff": True}
)
token, _ = Token.objects.get_or_create(user=user)
queues = []
for slug in sys.argv[1:]:
    queue, _ = Queue.objects.get_or_create(slug=slug, defaults={"title": slug})
    queues.append(queue.id)
print(json.dumps({"token": token.key, "queues": queues}))
