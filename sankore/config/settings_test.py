"""Settings for the test suite: the production module, with the testing switches on."""

import os

os.environ["SANKORE_TESTING"] = "1"

from sankore.config.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Every test client builds its middleware; WhiteNoise would walk the collected static files
# (var/static, once `make run` or a benchmark collected them) each time. The live server
# serves static files through Django's finders anyway.
WHITENOISE_AUTOREFRESH = True
