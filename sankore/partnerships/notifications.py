"""E-mails about a partnership: each person of both parties hears of what the other did, in
their own language, with a link to the partnership's page."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from sankore.accounts.language import supported_language
from sankore.accounts.models import Role, User
from sankore.partnerships.models import EventKind, Partnership, PartnershipEvent, PartnershipMessage


def _recipients(partnership: Partnership, actor_id: int | None) -> list[User]:
    people = User.objects.filter(
        is_active=True,
        role_assignments__role__in=[Role.INSTITUTION_STAFF, Role.SIGNATORY],
        role_assignments__institution_id__in=partnership.party_ids,
    )
    if actor_id is not None:
        people = people.exclude(pk=actor_id)
    return list(people.distinct().order_by("pk"))


def _subject(partnership: Partnership, event: PartnershipEvent) -> str:
    if event.kind == EventKind.MESSAGE:
        return gettext("Nouveau message : %(title)s") % {"title": partnership.title}
    if event.kind == EventKind.TRANSITION:
        return gettext("Partenariat %(state)s : %(title)s") % {
            "state": event.get_to_state_display(),
            "title": partnership.title,
        }
    return gettext("Partenariat : %(title)s") % {"title": partnership.title}


def partnership_notify(*, partnership_id: int, event_id: int) -> int:
    """Send the e-mails of one journal event; returns how many left."""
    event = (
        PartnershipEvent.objects.select_related(
            "partnership__proposer", "partnership__partner", "actor"
        )
        .filter(pk=event_id, partnership_id=partnership_id)
        .first()
    )
    if event is None:
        return 0
    partnership = event.partnership
    message = None
    if event.kind == EventKind.MESSAGE:
        message = PartnershipMessage.objects.filter(pk=event.detail.get("message")).first()
    url = settings.SITE_URL + partnership.get_absolute_url()
    mails = []
    for person in _recipients(partnership, event.actor_id):
        with translation.override(supported_language(person.preferred_language)):
            context = {
                "partnership": partnership,
                "event": event,
                "message": message,
                "url": url,
                "site_name": settings.SITE_NAME,
                "actor_name": event.actor.get_full_name() if event.actor else "",
            }
            mails.append(
                (
                    _subject(partnership, event),
                    render_to_string("partnerships/email/event.txt", context),
                    None,
                    [person.email],
                )
            )
    return send_mass_mail(mails) if mails else 0
