"""Review: numbers typed where ``str.isdigit`` was the check. « ² » and « ① » are digits to
``isdigit`` but ``int`` refuses them, and so does it past 4 300 digits (Python's limit): the
check let through a text that then crashed."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from sankore.assessments import services
from sankore.assessments.block_types import AnswerError, OrderingProblem
from sankore.core.errors import ServiceError

CONTENT = {"choices": [{"id": "i1", "html": "Niamey"}, {"id": "i2", "html": "Bamako"}]}


@pytest.mark.parametrize("position", ["²", "①", "1e3", "", "9" * 5000])
def test_an_ordering_answer_with_a_strange_position_is_refused_not_a_500(position: str) -> None:
    post = QueryDict(mutable=True)
    post.update({"position-i1": position, "position-i2": "2"})

    with pytest.raises(AnswerError):
        OrderingProblem().answer_parse(post, CONTENT)


def test_an_ordering_answer_in_arabic_indic_digits_reads_as_its_number() -> None:
    post = QueryDict(mutable=True)
    post.update({"position-i1": "٢", "position-i2": "١"})

    assert OrderingProblem().answer_parse(post, CONTENT) == ["i2", "i1"]


@pytest.mark.parametrize("drop", ["²", "①", "9" * 5000])
def test_a_policy_line_with_a_strange_number_dropped_is_refused(drop: str) -> None:
    with pytest.raises(ServiceError):
        services.policy_lines_parse(f"Quiz ; 30 ; {drop}")
