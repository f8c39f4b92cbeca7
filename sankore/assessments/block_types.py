"""Problem blocks, plugged into the courseware's registry: single or multiple choice,
numeric (French decimal comma, tolerance), short text (normalised; accepted answers or a
pattern). Learners get the prompt and the choices; what grades them (correct answers,
feedback, explanation) is published apart and stays on the server."""

from __future__ import annotations

import hashlib
import re
from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from sankore.assessments import grading as arithmetic
from sankore.core.errors import ServiceError
from sankore.courseware.markdown import markdown_to_html
from sankore.courseware.registry import (
    BlockType,
    Completion,
    PublishContext,
    block_type_register,
)

MAX_TEXT_ANSWER = 500
MAX_CHOICES = 20
_CHOICE_LINE = re.compile(r"^\[(?P<mark>[ xX])\]\s*(?P<text>.+?)(\s*//\s*(?P<feedback>.*))?$")


class ProblemDataError(ServiceError):
    pass


class AnswerError(ServiceError):
    """The learner's answer cannot be graded as sent (empty, wrong type, too long)."""


@dataclass(frozen=True)
class GradeResult:
    score: Decimal  # fraction of the points, 0 to 1
    correct: bool
    feedback: list[str] = field(default_factory=list)  # HTML, already sanitised


def _decimal(value: Any, *, name: str, minimum: Decimal = Decimal(0)) -> Decimal:
    parsed = arithmetic.number_parse(str(value)) if value not in (None, "") else None
    if parsed is None or parsed < minimum:
        raise ProblemDataError(
            _("« %(name)s » doit être un nombre positif.") % {"name": name}, code="number"
        )
    return parsed


def _md(text: str) -> str:
    return markdown_to_html(text, under_title=True) if text.strip() else ""


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    prompt = forms.CharField(
        label=_("Énoncé (Markdown)"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000
    )
    assessment_type = forms.CharField(
        label=_("Type d'évaluation (barème)"),
        max_length=60,
        required=False,
        help_text=_("Par exemple Quiz ou Examen ; vide : exercice d'entraînement non noté."),
    )
    points = forms.DecimalField(
        label=_("Points"), min_value=0, max_digits=6, decimal_places=2, initial=1
    )
    max_attempts = forms.IntegerField(
        label=_("Nombre maximal de tentatives"), min_value=1, max_value=100, required=False,
        help_text=_("Vide : illimité."),
    )  # fmt: skip
    hints = forms.CharField(
        label=_("Indices"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text=_("Un indice par ligne."), max_length=5_000,
    )  # fmt: skip
    explanation = forms.CharField(
        label=_("Explication (après la dernière tentative)"),
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20_000,
    )  # fmt: skip


class ProblemType(BlockType):
    """What every problem shares: a prompt, points, an assessment type, attempts, hints and
    an explanation; subclasses say how an answer is read and graded."""

    completion = Completion.SUBMIT
    input_kind = ""

    def common(self, data: Mapping[str, Any]) -> dict[str, Any]:
        prompt = str(data.get("prompt") or "").strip()
        if not prompt:
            raise ProblemDataError(_("L'énoncé est vide."), code="prompt_empty")
        attempts = data.get("max_attempts")
        try:
            max_attempts = int(attempts) if attempts not in (None, "") else None
        except (TypeError, ValueError) as error:
            raise ProblemDataError(
                _("Le nombre de tentatives doit être un entier."), code="attempts"
            ) from error
        if max_attempts is not None and not 1 <= max_attempts <= 100:
            raise ProblemDataError(_("Le nombre de tentatives va de 1 à 100."), code="attempts")
        hints = data.get("hints") or []
        if isinstance(hints, str):
            hints = [line.strip() for line in hints.splitlines() if line.strip()]
        return {
            "prompt": prompt,
            "assessment_type": str(data.get("assessment_type") or "").strip()[:60],
            "points": str(_decimal(data.get("points", "1"), name=str(_("Points")))),
            "max_attempts": max_attempts,
            "hints": [str(hint) for hint in hints][:10],
            "explanation": str(data.get("explanation") or "").strip(),
        }

    def initial(self, data: Mapping[str, Any]) -> dict[str, Any]:
        values = dict(data)
        values["hints"] = "\n".join(data.get("hints", []))
        return values

    def outline_extra(self, data: Mapping[str, Any]) -> dict[str, Any]:
        if not data.get("assessment_type"):
            return {"graded": None}
        return {"graded": {"type": data["assessment_type"], "points": data.get("points", "1")}}

    def publish_common(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "input": self.input_kind,
            "prompt_html": _md(str(data["prompt"])),
            "hints_html": [_md(hint) for hint in data.get("hints", [])],
            "points": data.get("points", "1"),
            "max_attempts": data.get("max_attempts"),
            "assessment_type": data.get("assessment_type", ""),
        }

    def grading_common(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {"explanation_html": _md(str(data.get("explanation") or ""))}

    @abstractmethod
    def answer_parse(self, post: QueryDict, content: Mapping[str, Any]) -> Any:
        """The learner's answer read from the form; ``AnswerError`` when it cannot be."""

    @abstractmethod
    def answer_grade(self, answer: Any, grading: Mapping[str, Any]) -> GradeResult:
        """The score of an answer against what the server kept to grade it."""


class ChoiceForm(ProblemForm):
    multiple = forms.BooleanField(label=_("Plusieurs réponses possibles"), required=False)
    partial_credit = forms.BooleanField(label=_("Crédit partiel"), required=False)
    shuffle = forms.BooleanField(label=_("Mélanger les choix"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Choix"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
        help_text=_(
            "Un choix par ligne : « [x] bonne réponse » ou « [ ] mauvaise réponse », suivi si "
            "besoin de « // commentaire montré à qui le choisit »."
        ),
    )


class ChoiceProblem(ProblemType):
    kind = "choice"
    label = _("Question à choix")
    learner_template = "assessments/blocks/problem.html"
    input_kind = "choice"

    def form_class(self) -> type[forms.Form]:
        return ChoiceForm

    def initial(self, data: Mapping[str, Any]) -> dict[str, Any]:
        values = super().initial(data)
        values["choices"] = "\n".join(
            f"[{'x' if choice['correct'] else ' '}] {choice['text']}"
            + (f" // {choice['feedback']}" if choice.get("feedback") else "")
            for choice in data.get("choices", [])
        )
        return values

    def clean(self, *, data: Mapping[str, Any], course_id: int) -> dict[str, Any]:
        cleaned = self.common(data)
        raw = data.get("choices") or []
        if isinstance(raw, str):
            raw = self._parse_lines(raw)
        choices = []
        for number, choice in enumerate(raw[:MAX_CHOICES]):
            text = str(choice.get("text") or "").strip()
            if text:
                choices.append(
                    {
                        "id": str(choice.get("id") or f"c{number + 1}")[:16],
                        "text": text[:2000],
                        "correct": bool(choice.get("correct")),
                        "feedback": str(choice.get("feedback") or "").strip()[:2000],
                    }
                )
        if len(choices) < 2:
            raise ProblemDataError(_("Proposez au moins deux choix."), code="choices")
        if len({choice["id"] for choice in choices}) != len(choices):
            raise ProblemDataError(_("Deux choix portent le même identifiant."), code="choices")
        correct = sum(1 for choice in choices if choice["correct"])
        multiple = bool(data.get("multiple"))
        if correct == 0 or (not multiple and correct != 1):
            raise ProblemDataError(
                _("Une question à réponse unique a exactement une bonne réponse ; une question "
                  "à réponses multiples en a au moins une."),
                code="choices",
            )  # fmt: skip
        cleaned.update(
            multiple=multiple,
            partial_credit=bool(data.get("partial_credit")) and multiple,
            shuffle=bool(data.get("shuffle")),
            choices=choices,
        )
        return cleaned

    @staticmethod
    def _parse_lines(text: str) -> list[dict[str, Any]]:
        parsed = []
        for line in text.splitlines():
            match = _CHOICE_LINE.match(line.strip())
            if match is None:
                if line.strip():
                    raise ProblemDataError(
                        _("Ligne de choix illisible : « %(line)s » (commencez par [x] ou [ ]).")
                        % {"line": line.strip()[:80]},
                        code="choices",
                    )
                continue
            parsed.append(
                {
                    "text": match.group("text"),
                    "correct": match.group("mark") in "xX",
                    "feedback": match.group("feedback") or "",
                }
            )
        return parsed

    def publish(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        return {
            **self.publish_common(data),
            "multiple": data["multiple"],
            "shuffle": data["shuffle"],
            "choices": [{"id": c["id"], "html": _md(c["text"])} for c in data["choices"]],
        }

    def grading(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        return {
            **self.grading_common(data),
            "correct": [c["id"] for c in data["choices"] if c["correct"]],
            "all": [c["id"] for c in data["choices"]],
            "partial_credit": data["partial_credit"],
            "feedback": {c["id"]: _md(c["feedback"]) for c in data["choices"] if c["feedback"]},
        }

    def answer_parse(self, post: QueryDict, content: Mapping[str, Any]) -> list[str]:
        known = {choice["id"] for choice in content["choices"]}
        selected = [value for value in post.getlist("choice") if value in known]
        if len(selected) != len(post.getlist("choice")):
            raise AnswerError(_("Ce choix n'existe pas dans la question."), code="unknown_choice")
        if not selected:
            raise AnswerError(_("Choisissez une réponse."), code="empty_answer")
        if not content["multiple"] and len(selected) != 1:
            raise AnswerError(_("Une seule réponse est attendue."), code="one_answer")
        return sorted(set(selected))

    def answer_grade(self, answer: Any, grading: Mapping[str, Any]) -> GradeResult:
        selected = set(answer)
        score = arithmetic.choices_score(
            selected,
            correct=set(grading["correct"]),
            all_choices=set(grading["all"]),
            partial_credit=grading["partial_credit"],
        )
        feedback = [grading["feedback"][c] for c in answer if c in grading.get("feedback", {})]
        return GradeResult(score=score, correct=score == 1, feedback=feedback)


class NumericForm(ProblemForm):
    answer = forms.CharField(label=_("Réponse attendue"), max_length=64)
    tolerance = forms.CharField(label=_("Tolérance"), max_length=64, required=False, initial="0")
    relative = forms.BooleanField(label=_("Tolérance relative (0,05 = 5 %)"), required=False)


class NumericProblem(ProblemType):
    kind = "numeric"
    label = _("Réponse numérique")
    learner_template = "assessments/blocks/problem.html"
    input_kind = "number"

    def form_class(self) -> type[forms.Form]:
        return NumericForm

    def clean(self, *, data: Mapping[str, Any], course_id: int) -> dict[str, Any]:
        cleaned = self.common(data)
        expected = arithmetic.number_parse(str(data.get("answer") or ""))
        if expected is None:
            raise ProblemDataError(_("La réponse attendue doit être un nombre."), code="number")
        tolerance = _decimal(data.get("tolerance") or "0", name=str(_("Tolérance")))
        cleaned.update(
            answer=str(expected), tolerance=str(tolerance), relative=bool(data.get("relative"))
        )
        return cleaned

    def publish(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        return self.publish_common(data)

    def grading(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        return {
            **self.grading_common(data),
            "answer": data["answer"],
            "tolerance": data["tolerance"],
            "relative": data["relative"],
        }

    def answer_parse(self, post: QueryDict, content: Mapping[str, Any]) -> str:
        typed = str(post.get("answer", "")).strip()
        if not typed:
            raise AnswerError(_("Saisissez un nombre."), code="empty_answer")
        value = arithmetic.number_parse(typed)
        if value is None:
            raise AnswerError(
                _("« %(typed)s » n'est pas un nombre (exemple : 3,14).") % {"typed": typed[:30]},
                code="not_a_number",
            )
        return str(value)

    def answer_grade(self, answer: Any, grading: Mapping[str, Any]) -> GradeResult:
        try:
            given = Decimal(str(answer))
        except InvalidOperation:
            return GradeResult(score=Decimal(0), correct=False)
        correct = arithmetic.number_matches(
            given,
            Decimal(grading["answer"]),
            tolerance=Decimal(grading["tolerance"]),
            relative=grading["relative"],
        )
        return GradeResult(score=Decimal(int(correct)), correct=correct)


class TextForm(ProblemForm):
    accepted = forms.CharField(
        label=_("Réponses acceptées"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Une par ligne ; majuscules, accents et espaces ne comptent pas."),
        max_length=5_000,
    )
    pattern = forms.CharField(
        label=_("Ou une expression régulière"), max_length=500, required=False,
        help_text=_("Appliquée à la réponse sans accents ni majuscules."),
    )  # fmt: skip


class TextProblem(ProblemType):
    kind = "short_text"
    label = _("Réponse courte")
    learner_template = "assessments/blocks/problem.html"
    input_kind = "text"

    def form_class(self) -> type[forms.Form]:
        return TextForm

    def initial(self, data: Mapping[str, Any]) -> dict[str, Any]:
        values = super().initial(data)
        values["accepted"] = "\n".join(data.get("accepted", []))
        return values

    def clean(self, *, data: Mapping[str, Any], course_id: int) -> dict[str, Any]:
        cleaned = self.common(data)
        accepted = data.get("accepted") or []
        if isinstance(accepted, str):
            accepted = [line.strip() for line in accepted.splitlines() if line.strip()]
        pattern = str(data.get("pattern") or "").strip()
        if pattern:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ProblemDataError(
                    _("Expression régulière invalide : %(error)s") % {"error": error},
                    code="pattern",
                ) from error
        if not accepted and not pattern:
            raise ProblemDataError(
                _("Donnez au moins une réponse acceptée ou une expression régulière."),
                code="accepted",
            )
        cleaned.update(accepted=[str(a)[:200] for a in accepted][:50], pattern=pattern)
        return cleaned

    def publish(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        return self.publish_common(data)

    def grading(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        return {
            **self.grading_common(data),
            "accepted": data["accepted"],
            "pattern": data["pattern"],
        }

    def answer_parse(self, post: QueryDict, content: Mapping[str, Any]) -> str:
        typed = str(post.get("answer", "")).strip()
        if not typed:
            raise AnswerError(_("Saisissez une réponse."), code="empty_answer")
        if len(typed) > MAX_TEXT_ANSWER:
            raise AnswerError(
                _("La réponse dépasse %(count)s caractères.") % {"count": MAX_TEXT_ANSWER},
                code="answer_too_long",
            )
        return typed

    def answer_grade(self, answer: Any, grading: Mapping[str, Any]) -> GradeResult:
        correct = arithmetic.text_matches(
            str(answer), accepted=grading["accepted"], pattern=grading["pattern"]
        )
        return GradeResult(score=Decimal(int(correct)), correct=correct)


class OrderingForm(ProblemForm):
    items = forms.CharField(
        label=_("Éléments, dans le bon ordre"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text=_("Un par ligne ; les apprenants les verront mélangés."),
    )


class OrderingProblem(ProblemType):
    kind = "ordering"
    label = _("Remise en ordre")
    learner_template = "assessments/blocks/problem.html"
    input_kind = "ordering"

    def form_class(self) -> type[forms.Form]:
        return OrderingForm

    def initial(self, data: Mapping[str, Any]) -> dict[str, Any]:
        values = super().initial(data)
        values["items"] = "\n".join(item["text"] for item in data.get("items", []))
        return values

    def clean(self, *, data: Mapping[str, Any], course_id: int) -> dict[str, Any]:
        cleaned = self.common(data)
        raw = data.get("items") or []
        if isinstance(raw, str):
            raw = [{"text": line.strip()} for line in raw.splitlines() if line.strip()]
        items = [
            {"id": str(item.get("id") or f"i{number + 1}")[:16], "text": str(item["text"])[:500]}
            for number, item in enumerate(raw[:MAX_CHOICES])
        ]
        if len(items) < 2:
            raise ProblemDataError(_("Proposez au moins deux éléments à ordonner."), code="items")
        cleaned["items"] = items
        return cleaned

    def publish(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        return {
            **self.publish_common(data),
            "shuffle": True,
            "choices": [{"id": item["id"], "html": _md(item["text"])} for item in data["items"]],
        }

    def grading(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        return {**self.grading_common(data), "order": [item["id"] for item in data["items"]]}

    def answer_parse(self, post: QueryDict, content: Mapping[str, Any]) -> list[str]:
        ids = [choice["id"] for choice in content["choices"]]
        positions: dict[str, int] = {}
        for item_id in ids:
            value = str(post.get(f"position-{item_id}", "")).strip()
            # ``isdecimal``, not ``isdigit``: « ² » is a digit ``int`` refuses, as it refuses
            # thousands of digits; a position has a few.
            if not value.isdecimal() or len(value) > 6:
                raise AnswerError(_("Donnez une place à chaque élément."), code="empty_answer")
            positions[item_id] = int(value)
        if sorted(positions.values()) != list(range(1, len(ids) + 1)):
            raise AnswerError(
                _("Chaque place, de 1 à %(count)s, sert une seule fois.") % {"count": len(ids)},
                code="not_a_permutation",
            )
        return sorted(ids, key=positions.__getitem__)

    def answer_grade(self, answer: Any, grading: Mapping[str, Any]) -> GradeResult:
        score = arithmetic.ordering_score(list(answer), expected=grading["order"])
        return GradeResult(score=score, correct=score == 1)


class MatchingForm(ProblemForm):
    pairs = forms.CharField(
        label=_("Paires"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text=_("Une paire par ligne : « élément = son associé »."),
    )


class MatchingProblem(ProblemType):
    kind = "matching"
    label = _("Association")
    learner_template = "assessments/blocks/problem.html"
    input_kind = "matching"

    def form_class(self) -> type[forms.Form]:
        return MatchingForm

    def initial(self, data: Mapping[str, Any]) -> dict[str, Any]:
        values = super().initial(data)
        values["pairs"] = "\n".join(f"{p['left']} = {p['right']}" for p in data.get("pairs", []))
        return values

    def clean(self, *, data: Mapping[str, Any], course_id: int) -> dict[str, Any]:
        cleaned = self.common(data)
        raw = data.get("pairs") or []
        if isinstance(raw, str):
            parsed = []
            for line in raw.splitlines():
                if not line.strip():
                    continue
                left, equal, right = line.partition("=")
                if not equal or not left.strip() or not right.strip():
                    raise ProblemDataError(
                        _("Ligne illisible : « %(line)s » (attendu : élément = associé).")
                        % {"line": line.strip()[:80]},
                        code="pairs",
                    )
                parsed.append({"left": left.strip(), "right": right.strip()})
            raw = parsed
        pairs = [
            {"id": str(pair.get("id") or f"p{number + 1}")[:16],
             "left": str(pair["left"])[:300], "right": str(pair["right"])[:300]}
            for number, pair in enumerate(raw[:MAX_CHOICES])
        ]  # fmt: skip
        if len(pairs) < 2:
            raise ProblemDataError(_("Proposez au moins deux paires."), code="pairs")
        cleaned["pairs"] = pairs
        return cleaned

    def publish(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        return {
            **self.publish_common(data),
            "lefts": [{"id": pair["id"], "html": _md(pair["left"])} for pair in data["pairs"]],
            # The right-hand side under ids of its own, so its order tells nothing.
            "shuffle": True,
            "choices": [
                {"id": _right_id(pair), "html": _md(pair["right"])} for pair in data["pairs"]
            ],
        }

    def grading(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        return {
            **self.grading_common(data),
            "pairs": {pair["id"]: _right_id(pair) for pair in data["pairs"]},
        }

    def answer_parse(self, post: QueryDict, content: Mapping[str, Any]) -> dict[str, str]:
        rights = {choice["id"] for choice in content["choices"]}
        answer = {}
        for left in content["lefts"]:
            value = str(post.get(f"match-{left['id']}", ""))
            if value not in rights:
                raise AnswerError(_("Associez chaque élément."), code="empty_answer")
            answer[left["id"]] = value
        return answer

    def answer_grade(self, answer: Any, grading: Mapping[str, Any]) -> GradeResult:
        score = arithmetic.matching_score(dict(answer), expected=grading["pairs"])
        return GradeResult(score=score, correct=score == 1)


def _right_id(pair: Mapping[str, Any]) -> str:
    # Keyed with the site's secret: a learner cannot recompute which left it belongs to.
    digest = salted_hmac("sankore.assessments.matching", f"{pair['id']}:{pair['right']}")
    return "r" + digest.hexdigest()[:12]


def choice_order(
    *, content: Mapping[str, Any], user_id: int, block_key: str
) -> list[dict[str, Any]]:
    """The choices as this learner sees them: shuffled if the author asked, the same order at
    every reload (a hash of learner, problem and choice, not a random draw)."""
    choices = list(content.get("choices", []))
    if not content.get("shuffle"):
        return choices

    def rank(choice: Mapping[str, Any]) -> str:
        return hashlib.sha256(f"{user_id}:{block_key}:{choice['id']}".encode()).hexdigest()

    return sorted(choices, key=rank)


block_type_register(ChoiceProblem())
block_type_register(NumericProblem())
block_type_register(TextProblem())
block_type_register(OrderingProblem())
block_type_register(MatchingProblem())
