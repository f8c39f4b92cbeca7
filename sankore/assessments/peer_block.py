"""The open-response block (« Réponse ouverte évaluée par les pairs »), plugged into the
courseware's registry: a prompt, a text and/or file answer, a rubric, the number of peers
who assess each response, an optional self-assessment, and the delay after which missing
peer reviews are replaced. The rubric is public (learners see how they are graded); who
wrote and who assessed a response never is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sankore.assessments.block_types import ProblemDataError, _decimal, _md
from sankore.assessments.peer_rubric import rubric_as_text, rubric_clean, rubric_max, rubric_parse
from sankore.courseware.registry import BlockType, Completion, PublishContext, block_type_register

KIND = "open_response"
# The only kinds of file a learner may send: documents and images no browser runs.
FILE_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain; charset=utf-8",
}
DEFAULT_PEERS = 3
DEFAULT_DELAY_DAYS = 7
RUBRIC_EXAMPLE = "Clarté : Confus=0 | Correct=1 | Excellent=2"


class OpenResponseForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    prompt = forms.CharField(
        label=_("Consigne (Markdown)"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000
    )
    allow_text = forms.BooleanField(label=_("Réponse écrite"), required=False, initial=True)
    allow_file = forms.BooleanField(label=_("Fichier joint"), required=False)
    file_types = forms.MultipleChoiceField(
        label=_("Types de fichiers acceptés"),
        choices=[(extension, extension.upper()) for extension in FILE_TYPES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=list(FILE_TYPES),
    )
    rubric = forms.CharField(
        label=_("Grille d'évaluation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20_000,
        help_text=_(
            "Un critère par ligne, ses niveaux séparés par « | », chacun avec ses points : "
            "« Clarté : Confus=0 | Correct=1 | Excellent=2 »."
        ),
    )
    peers = forms.IntegerField(
        label=_("Nombre de pairs qui évaluent chaque réponse"), min_value=1, max_value=10,
        initial=DEFAULT_PEERS,
    )  # fmt: skip
    self_assessment = forms.BooleanField(label=_("Auto-évaluation demandée"), required=False)
    delay_days = forms.IntegerField(
        label=_("Délai avant de compléter la note (jours)"), min_value=1, max_value=90,
        initial=DEFAULT_DELAY_DAYS,
        help_text=_("Passé ce délai, une réponse sans assez d'évaluations est notée avec celles "
                    "reçues, sinon l'auto-évaluation, sinon par l'équipe pédagogique."),
    )  # fmt: skip
    assessment_type = forms.CharField(
        label=_("Type d'évaluation (barème)"), max_length=60, required=False,
        help_text=_("Par exemple Devoir ; vide : activité non notée."),
    )  # fmt: skip
    points = forms.DecimalField(
        label=_("Points"), min_value=0, max_digits=6, decimal_places=2, initial=1
    )


class OpenResponseType(BlockType):
    kind = KIND
    label = _("Réponse ouverte évaluée par les pairs")
    completion = Completion.SUBMIT
    learner_template = "assessments/blocks/open_response.html"

    def form_class(self) -> type[forms.Form]:
        return OpenResponseForm

    def initial(self, data: Mapping[str, Any]) -> dict[str, Any]:
        values = dict(data)
        values["rubric"] = rubric_as_text(data.get("rubric", []))
        return values

    def clean(self, *, data: Mapping[str, Any], course_id: int) -> dict[str, Any]:
        prompt = str(data.get("prompt") or "").strip()
        if not prompt:
            raise ProblemDataError(_("La consigne est vide."), code="prompt_empty")
        allow_text, allow_file = bool(data.get("allow_text")), bool(data.get("allow_file"))
        if not allow_text and not allow_file:
            raise ProblemDataError(
                _("Acceptez une réponse écrite, un fichier, ou les deux."), code="answer_kind"
            )
        file_types = [str(t) for t in data.get("file_types") or [] if str(t) in FILE_TYPES]
        if allow_file and not file_types:
            raise ProblemDataError(
                _("Choisissez au moins un type de fichier accepté."), code="file_types"
            )
        raw = data.get("rubric") or []
        criteria = rubric_clean(rubric_parse(raw) if isinstance(raw, str) else list(raw))
        return {
            "prompt": prompt,
            "allow_text": allow_text,
            "allow_file": allow_file,
            "file_types": [t for t in FILE_TYPES if t in file_types] if allow_file else [],
            "rubric": criteria,
            "peers": _bounded(data.get("peers"), DEFAULT_PEERS, 1, 10, name=_("pairs")),
            "self_assessment": bool(data.get("self_assessment")),
            "delay_days": _bounded(data.get("delay_days"), DEFAULT_DELAY_DAYS, 1, 90,
                                   name=_("délai")),
            "assessment_type": str(data.get("assessment_type") or "").strip()[:60],
            "points": str(_decimal(data.get("points", "1"), name=str(_("Points")))),
        }  # fmt: skip

    def outline_extra(self, data: Mapping[str, Any]) -> dict[str, Any]:
        if not data.get("assessment_type"):
            return {"graded": None}
        return {"graded": {"type": data["assessment_type"], "points": data.get("points", "1")}}

    def publish(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        return {
            "prompt_html": _md(str(data["prompt"])),
            "allow_text": data["allow_text"],
            "allow_file": data["allow_file"],
            "file_types": data["file_types"],
            "rubric": data["rubric"],
            "max_points": f"{rubric_max(data['rubric']).normalize():f}",
            "peers": data["peers"],
            "self_assessment": data["self_assessment"],
            "delay_days": data["delay_days"],
            "assessment_type": data["assessment_type"],
            "points": data["points"],
        }


def _bounded(value: Any, default: int, low: int, high: int, *, name: Any) -> int:
    try:
        number = int(value) if value not in (None, "") else default
    except (TypeError, ValueError) as error:
        raise ProblemDataError(
            _("« %(name)s » doit être un entier.") % {"name": name}, code="integer"
        ) from error
    if not low <= number <= high:
        raise ProblemDataError(
            _("« %(name)s » va de %(low)s à %(high)s.") % {"name": name, "low": low, "high": high},
            code="integer_range",
        )
    return number


block_type_register(OpenResponseType())
