"""Programme staff see course content here; it is edited in the studio (the course team's
tool, open to programme staff too), so these pages only read, and relaunch processing."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sankore.accounts.admin_site import ProgrammeStaffReadOnlyMixin as ReadOnlyAdmin
from sankore.courseware import services
from sankore.courseware.models import Asset, Block, Chapter, PublishedOutline, Unit


@admin.register(Chapter)
class ChapterAdmin(ReadOnlyAdmin, admin.ModelAdmin[Chapter]):
    list_display = ("title", "course_run", "position", "release_at")
    search_fields = ("title", "course_run__course__title", "course_run__course__code")
    list_select_related = ("course_run__course",)


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin, admin.ModelAdmin[Unit]):
    list_display = ("title", "chapter", "position", "duration_minutes", "is_free_preview")
    list_filter = ("is_free_preview",)
    search_fields = ("title", "chapter__title", "course_run__course__title")
    list_select_related = ("chapter",)


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin, admin.ModelAdmin[Block]):
    list_display = ("__str__", "kind", "unit", "position")
    list_filter = ("kind",)
    search_fields = ("title", "unit__title", "course_run__course__title")
    list_select_related = ("unit",)


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin, admin.ModelAdmin[Asset]):
    list_display = ("original_name", "kind", "status", "size_bytes", "course", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("original_name", "key", "course__title", "course__code")
    list_select_related = ("course",)
    actions = ["reprocess"]

    @admin.action(description=_("Relancer le traitement des fichiers en échec"))
    def reprocess(self, request: HttpRequest, queryset: QuerySet[Asset]) -> None:
        count = services.assets_reprocess(asset_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)s fichier remis en traitement.",
                "%(count)s fichiers remis en traitement.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(PublishedOutline)
class PublishedOutlineAdmin(ReadOnlyAdmin, admin.ModelAdmin[PublishedOutline]):
    list_display = ("course_run", "version", "block_count", "published_at", "published_by")
    search_fields = ("course_run__course__title", "course_run__course__code")
    list_select_related = ("course_run__course", "published_by")
    exclude = ("outline",)
