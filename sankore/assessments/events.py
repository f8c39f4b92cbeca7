"""Events of the assessments for the apps above them (credentials), without Django signals:
an app registers a listener in its ``ready`` and is called when learners pass a session.

Listeners are called inside the transaction that wrote the grades; one that has work to do
defers it with ``transaction.on_commit`` (a rolled-back grade issues nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

# (course_run_id, user_ids): the learners who just passed; ``None`` means "any learner of the
# session may have" (a whole-session recomputation), so the listener looks for itself.
PassedListener = Callable[[int, Sequence[int] | None], None]

_passed_listeners: list[PassedListener] = []


def passed_listener_register(listener: PassedListener) -> PassedListener:
    if listener not in _passed_listeners:
        _passed_listeners.append(listener)
    return listener


def learners_passed(*, course_run_id: int, user_ids: Sequence[int] | None) -> None:
    for listener in list(_passed_listeners):
        listener(course_run_id, user_ids)
