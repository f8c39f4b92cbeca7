"""Settings for the test suite: the production module, with the testing switches on."""

import os

os.environ["SANKORE_TESTING"] = "1"

from sankore.config.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
