"""The built-in block types: text (Markdown), video, resource (a downloadable file)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sankore.core.errors import ServiceError
from sankore.courseware.markdown import AssetLinks, ImageSource, asset_keys_in, markdown_to_html
from sankore.courseware.models import Asset, AssetKind, AssetStatus
from sankore.courseware.registry import (
    BlockType,
    Completion,
    PublishContext,
    block_type_register,
)

MAX_MARKDOWN_LENGTH = 200_000


class BlockDataError(ServiceError):
    pass


def _course_assets(*, course_id: int, keys: set[str], kind: str) -> dict[str, Asset]:
    found = {
        asset.key: asset
        for asset in Asset.objects.filter(course_id=course_id, key__in=keys, kind=kind)
    }
    return found


def asset_url(key: str, variant: str) -> str:
    """A reference to one variant of an asset; the page showing it turns it into a URL."""
    return f"asset:{key}/{variant}"


def image_source(asset: Asset) -> ImageSource:
    widths = sorted(int(name[1:]) for name in asset.renditions if name.startswith("w"))
    srcset = ", ".join(f"{asset_url(asset.key, f'w{width}')} {width}w" for width in widths)
    default = f"w{widths[min(1, len(widths) - 1)]}" if widths else "original"
    width, height = asset.width, asset.height
    if widths and width and height:
        # The default rendition's own size, so the page reserves the right room.
        shown = widths[min(1, len(widths) - 1)]
        width, height = shown, round(height * shown / width)
    return ImageSource(src=asset_url(asset.key, default), srcset=srcset, width=width, height=height)


class TextForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    markdown = forms.CharField(
        label=_("Texte (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=MAX_MARKDOWN_LENGTH,
        help_text=_(
            "Titres (##), listes, tableaux, code, formules entre $…$. Une image du cours : "
            "![description](asset:CLÉ)."
        ),
    )


class TextBlock(BlockType):
    kind = "text"
    label = _("Texte")
    completion = Completion.VIEW
    learner_template = "courseware/blocks/text.html"

    def form_class(self) -> type[forms.Form]:
        return TextForm

    def clean(self, *, data: Mapping[str, Any], course_id: int) -> dict[str, Any]:
        markdown = str(data.get("markdown") or "").replace("\r\n", "\n")
        if not markdown.strip():
            raise BlockDataError(_("Le texte est vide."), code="text_empty")
        if len(markdown) > MAX_MARKDOWN_LENGTH:
            raise BlockDataError(_("Le texte est trop long."), code="text_too_long")
        keys = asset_keys_in(markdown)
        known = set(
            Asset.objects.filter(course_id=course_id, key__in=keys).values_list("key", flat=True)
        )
        missing = keys - known
        if missing:
            raise BlockDataError(
                _("Le texte cite un fichier inconnu de ce cours : %(keys)s.")
                % {"keys": ", ".join(sorted(missing))},
                code="unknown_asset",
            )
        return {"markdown": markdown}

    def asset_keys(self, data: Mapping[str, Any]) -> set[str]:
        return asset_keys_in(str(data.get("markdown", "")))

    def publish(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        images, files = {}, {}
        for key, asset in context.assets.items():
            if asset.kind == AssetKind.IMAGE:
                if asset.status != AssetStatus.READY:
                    raise BlockDataError(
                        _("L'image « %(name)s » est encore en cours de traitement.")
                        % {"name": asset.original_name},
                        code="asset_not_ready",
                    )
                images[key] = image_source(asset)
            files[key] = asset_url(key, "original")
        links = AssetLinks(images=images, files=files)
        markdown = str(data["markdown"])
        titled = bool(context.block_title)
        return {
            "html": markdown_to_html(markdown, links=links, under_title=titled),
            "html_text_only": markdown_to_html(
                markdown, links=links, text_only=True, under_title=titled
            ),
        }


# Languages captions are commonly written in across the Francophonie (ISO 639-1 codes).
CAPTION_LANGUAGES = (
    ("fr", pgettext_lazy("caption language", "Français")),
    ("en", pgettext_lazy("caption language", "Anglais")),
    ("ar", pgettext_lazy("caption language", "Arabe")),
    ("es", pgettext_lazy("caption language", "Espagnol")),
    ("pt", pgettext_lazy("caption language", "Portugais")),
    ("wo", pgettext_lazy("caption language", "Wolof")),
    ("ln", pgettext_lazy("caption language", "Lingala")),
    ("mg", pgettext_lazy("caption language", "Malgache")),
    ("ht", pgettext_lazy("caption language", "Créole haïtien")),
    ("sw", pgettext_lazy("caption language", "Swahili")),
    ("ff", pgettext_lazy("caption language", "Peul")),
    ("bm", pgettext_lazy("caption language", "Bambara")),
)


class VideoForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    upload = forms.FileField(
        label=_("Fichier vidéo"),
        required=False,
        help_text=_(
            "MP4, WebM, MOV… Il sera converti en 240p, 360p et 720p, plus une piste audio."
        ),
    )
    video = forms.ChoiceField(label=_("Ou une vidéo déjà envoyée"), required=False)
    url = forms.URLField(
        label=_("Ou l'adresse d'une vidéo externe"),
        required=False,
        assume_scheme="https",
        max_length=500,
    )
    caption_language = forms.ChoiceField(
        label=_("Langue des sous-titres à ajouter"),
        required=False,
        choices=[("", "—"), *CAPTION_LANGUAGES],
    )
    caption_file = forms.FileField(label=_("Fichier de sous-titres (WebVTT)"), required=False)


class VideoBlock(BlockType):
    kind = "video"
    label = _("Vidéo")
    completion = Completion.WATCH
    learner_template = "courseware/blocks/video.html"

    def form_class(self) -> type[forms.Form]:
        return VideoForm

    def clean(self, *, data: Mapping[str, Any], course_id: int) -> dict[str, Any]:
        video = str(data.get("video") or "")
        url = str(data.get("url") or "").strip()
        captions = {str(lang): str(key) for lang, key in dict(data.get("captions") or {}).items()}
        if bool(video) == bool(url):
            raise BlockDataError(
                _("Choisissez soit un fichier vidéo, soit l'adresse d'une vidéo externe."),
                code="video_source",
            )
        if url:
            try:
                URLValidator(schemes=["https", "http"])(url)
            except ValidationError as error:
                raise BlockDataError(
                    _("L'adresse de la vidéo n'est pas valide."), code="video_url"
                ) from error
        if video and not _course_assets(course_id=course_id, keys={video}, kind=AssetKind.VIDEO):
            raise BlockDataError(_("Cette vidéo n'existe pas dans ce cours."), code="unknown_asset")
        found = _course_assets(
            course_id=course_id, keys=set(captions.values()), kind=AssetKind.CAPTION
        )
        if set(captions.values()) - set(found):
            raise BlockDataError(
                _("Ces sous-titres n'existent pas dans ce cours."), code="unknown_asset"
            )
        return {"video": video, "url": url, "captions": captions}

    def asset_keys(self, data: Mapping[str, Any]) -> set[str]:
        keys = set(dict(data.get("captions") or {}).values())
        if data.get("video"):
            keys.add(str(data["video"]))
        return keys

    def publish(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        from sankore.courseware.captions import transcript_of

        captions = []
        for language, key in sorted(dict(data.get("captions") or {}).items()):
            asset = context.assets[key]
            with asset.file.open("rb") as handle:
                text = handle.read().decode("utf-8-sig")
            captions.append({"language": language, "asset": key, "transcript": transcript_of(text)})
        content: dict[str, Any] = {"url": data.get("url", ""), "captions": captions}
        if data.get("video"):
            asset = context.assets[str(data["video"])]
            if asset.status != AssetStatus.READY:
                message = (
                    _("La vidéo « %(name)s » n'a pas pu être convertie : %(error)s")
                    if asset.status == AssetStatus.FAILED
                    else _("La vidéo « %(name)s » est encore en cours de conversion.")
                )
                raise BlockDataError(
                    message % {"name": asset.original_name, "error": asset.error},
                    code="asset_not_ready",
                )
            content.update(
                video=asset.key,
                duration_seconds=asset.duration_seconds,
                renditions={
                    name: {"size": rendition["size"]}
                    for name, rendition in asset.renditions.items()
                },
            )
        return content


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    upload = forms.FileField(label=_("Fichier"), required=False)
    file = forms.ChoiceField(label=_("Ou un fichier déjà envoyé"), required=False)


class ResourceBlock(BlockType):
    kind = "resource"
    label = _("Ressource à télécharger")
    completion = Completion.DOWNLOAD
    learner_template = "courseware/blocks/resource.html"

    def form_class(self) -> type[forms.Form]:
        return ResourceForm

    def clean(self, *, data: Mapping[str, Any], course_id: int) -> dict[str, Any]:
        key = str(data.get("file") or "")
        if not key:
            raise BlockDataError(_("Choisissez le fichier à proposer."), code="resource_missing")
        if not Asset.objects.filter(course_id=course_id, key=key).exists():
            raise BlockDataError(_("Ce fichier n'existe pas dans ce cours."), code="unknown_asset")
        return {"file": key}

    def asset_keys(self, data: Mapping[str, Any]) -> set[str]:
        return {str(data["file"])} if data.get("file") else set()

    def publish(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        asset = context.assets[str(data["file"])]
        return {
            "asset": asset.key,
            "name": asset.original_name,
            "size": asset.size_bytes,
            "content_type": asset.content_type,
        }


block_type_register(TextBlock())
block_type_register(VideoBlock())
block_type_register(ResourceBlock())
