"""A campus numérique relays the catalog to the people who walk in: a public page with a
selection of courses its staff curate, its exam sittings, how to reach it and when it is
open, and a printed poster of the selection."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_SELECTION = 24


class CampusRelay(models.Model):
    campus = models.OneToOneField(
        "institutions.Institution",
        verbose_name=_("campus"),
        on_delete=models.CASCADE,
        related_name="relay",
    )
    # Plain text, shown with line breaks kept: staff type it, nobody's HTML is trusted.
    introduction = models.TextField(_("présentation"), max_length=2000, blank=True)
    opening_hours = models.TextField(_("horaires d'ouverture"), max_length=1000, blank=True)
    address = models.TextField(_("adresse"), max_length=500, blank=True)
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("relais de campus")
        verbose_name_plural = _("relais de campus")

    def __str__(self) -> str:
        return str(self.campus)


class RelayCourse(models.Model):
    """A course the campus recommends, in the order its staff chose."""

    relay = models.ForeignKey(CampusRelay, on_delete=models.CASCADE, related_name="selection")
    course = models.ForeignKey(
        "catalog.Course", verbose_name=_("cours"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("rang"))
    note = models.CharField(_("mot du campus"), max_length=280, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("cours sélectionné")
        verbose_name_plural = _("cours sélectionnés")
        ordering = ["relay_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["relay", "course"], name="relays_course_once"),
            models.UniqueConstraint(fields=["relay", "position"], name="relays_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.relay_id}: {self.course_id} #{self.position}"
