"""Reads of the private partners' contributions: who may see them (programme staff), their
list with the seats of their vouchers, and the public « avec le soutien de » of the course
and institution pages (one query each, registered with the catalog in ``apps.ready``)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from sankore.accounts.permissions import AnyUser, user_is_programme_staff
from sankore.catalog.models import Course
from sankore.catalog.page_extensions import Support
from sankore.institutions.models import Institution
from sankore.partnerships.models import (
    ContributionKind,
    SponsorContribution,
    Voucher,
    VoucherRedemption,
)

# The most rows the institution page lists (a sponsor of the whole catalog stays readable).
MAX_INSTITUTION_SUPPORTS = 50


def user_can_manage_sponsors(*, user: AnyUser) -> bool:
    return user_is_programme_staff(user=user)


def contribution_queryset_visible_to(*, user: AnyUser) -> QuerySet[SponsorContribution]:
    """The contributions' pages are programme staff's: others list none, open none."""
    contributions = SponsorContribution.objects.select_related("sponsor", "course", "partnership")
    if user_can_manage_sponsors(user=user):
        return contributions
    return contributions.none()


def contribution_list(*, user: AnyUser) -> QuerySet[SponsorContribution]:
    """Newest first, each with its vouchers' seats (given and used) counted by the database."""
    return (
        contribution_queryset_visible_to(user=user)
        .annotate(
            voucher_count=Count("vouchers"),
            seats_total=Coalesce(Sum("vouchers__seats"), 0),
            seats_used=Coalesce(Sum("vouchers__redeemed_count"), 0),
        )
        .order_by("-created_at", "-pk")
    )


def contribution_get_for(*, user: AnyUser, pk: int) -> SponsorContribution:
    contribution = contribution_queryset_visible_to(user=user).filter(pk=pk).first()
    if contribution is None:
        raise Http404
    return contribution


def vouchers_of(*, contribution: SponsorContribution) -> QuerySet[Voucher]:
    """A contribution's vouchers, each with who redeemed it and when."""
    redemptions = VoucherRedemption.objects.select_related("learner").order_by("redeemed_at", "pk")
    return (
        Voucher.objects.filter(contribution=contribution)
        .select_related("course")
        .prefetch_related(Prefetch("redemptions", queryset=redemptions))
        .order_by("created_at", "pk")
    )


def _kind_label(kind: str) -> str:
    return str(ContributionKind(kind).label) if kind in ContributionKind.values else kind


def course_supports(course: Course) -> list[Support]:
    """The public contributions to ``course``, or to a partnership that produced it (those of
    no course in particular); a sponsor bringing the same thing twice is named once."""
    contributions = (
        SponsorContribution.objects.filter(
            Q(course=course) | Q(course__isnull=True, partnership__courses=course),
            is_public=True,
        )
        .select_related("sponsor")
        .order_by("sponsor__name", "kind", "pk")
    )
    supports: dict[tuple[int, str], Support] = {}
    for contribution in contributions:
        sponsor = contribution.sponsor
        supports.setdefault(
            (sponsor.pk, contribution.kind),
            Support(
                sponsor_name=sponsor.name, sponsor_slug=sponsor.slug,
                sponsor_url=sponsor.get_absolute_url(), kind_label=_kind_label(contribution.kind),
            ),
        )  # fmt: skip
    return list(supports.values())


def institution_supports(institution: Institution) -> list[Support]:
    """The public contributions an institution's page shows: those it brings (as a sponsor),
    and those that go to its courses or its partnerships. Unpublished courses are left out."""
    contributions = (
        SponsorContribution.objects.filter(
            Q(sponsor=institution)
            | Q(course__owners=institution)
            | Q(course__partners=institution)
            | Q(partnership__proposer=institution)
            | Q(partnership__partner=institution),
            Q(course__isnull=True) | Q(course__is_published=True),
            is_public=True,
        )
        .select_related("sponsor", "course", "partnership")
        .order_by("sponsor__name", "kind", "-created_at", "pk")
    )
    supports: dict[int, Support] = {}
    for contribution in contributions:
        if len(supports) >= MAX_INSTITUTION_SUPPORTS:
            break
        sponsor, course = contribution.sponsor, contribution.course
        partnership = contribution.partnership
        supports.setdefault(
            contribution.pk,
            Support(
                sponsor_name=sponsor.name, sponsor_slug=sponsor.slug,
                sponsor_url=sponsor.get_absolute_url(), kind_label=_kind_label(contribution.kind),
                course_title=(
                    course.title if course else partnership.title if partnership else ""
                ),
                course_url=course.get_absolute_url() if course else "",
            ),
        )  # fmt: skip
    return list(supports.values())
