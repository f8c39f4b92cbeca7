"""Access codes of supervised exams: a publication keeps a keyed digest of the code, never
the code itself, and a code typed by a candidate is compared with it in constant time."""

from __future__ import annotations

from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "sankore.courseware.exam-code"


def exam_code_normalise(code: str) -> str:
    """What counts of a typed code: no spaces, capitals (« ab12 cd » is « AB12CD »)."""
    return "".join(code.split()).upper()


def exam_code_digest(*, code: str, course_run_id: int, unit_key: str) -> str:
    value = f"{course_run_id}:{unit_key}:{exam_code_normalise(code)}"
    return salted_hmac(_SALT, value).hexdigest()


def exam_code_matches(*, code: str, digest: str, course_run_id: int, unit_key: str) -> bool:
    if not code.strip() or not digest:
        return False
    typed = exam_code_digest(code=code, course_run_id=course_run_id, unit_key=unit_key)
    return constant_time_compare(typed, digest)
