from __future__ import annotations

import re

import pytest
from django.core import mail

from sankore.accounts.models import User
from sankore.accounts.tests.factories import UserFactory

LINK = re.compile(r"https?://testserver(/\S+)")


def link_in(message: mail.EmailMessage) -> str:
    """The one site path linked from an email body."""
    paths = LINK.findall(str(message.body))
    assert len(paths) == 1, message.body
    return str(paths[0])


@pytest.fixture
def learner(db: None) -> User:
    return UserFactory(email="awa.diop@example.org", full_name="Awa Diop", country="SN")
