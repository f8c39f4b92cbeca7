"""Institutions of the network: universities, schools, companies, campuses, agencies."""

from __future__ import annotations

import zoneinfo

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from sankore.institutions.geography import Hemisphere, Region, hemisphere_for_country

TIME_ZONE_CHOICES = sorted((name, name) for name in zoneinfo.available_timezones())


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "universite", _("Université")
    SCHOOL = "ecole", _("École")
    COMPANY = "entreprise", _("Entreprise")
    CAMPUS = "campus", _("Campus numérique")
    AGENCY = "agence", _("Agence")
    FOUNDATION = "fondation", _("Fondation")
    RESEARCH = "recherche", _("Organisme de recherche")


class Institution(models.Model):
    name = models.CharField(_("nom"), max_length=255)
    acronym = models.CharField(_("sigle"), max_length=32, blank=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=InstitutionKind.choices)
    country = CountryField(_("pays"), db_index=True)
    region = models.CharField(
        _("région AUF"), max_length=32, choices=Region.choices, blank=True, db_index=True
    )
    city = models.CharField(_("ville"), max_length=120, blank=True)
    time_zone = models.CharField(
        _("fuseau horaire"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC"
    )
    description = models.TextField(_("présentation"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="institutions/logos/", blank=True)
    is_member = models.BooleanField(_("membre du réseau"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("institutions:detail", kwargs={"slug": self.slug})

    @property
    def hemisphere(self) -> Hemisphere:
        return hemisphere_for_country(str(self.country))

    @property
    def is_campus(self) -> bool:
        return self.kind == InstitutionKind.CAMPUS
