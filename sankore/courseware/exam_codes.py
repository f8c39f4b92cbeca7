"""Access codes of supervised exams: a publication (or an exam centre's sitting) keeps a keyed
digest of the code, never the code itself, and a code typed by a candidate is compared with
it in constant time."""

from __future__ import annotations

import secrets

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


# Codes drawn for an exam centre's sitting, read aloud in the room and typed on phones and
# old keyboards: capitals and digits that no one confuses (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G).
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 6
_SITTING_SALT = "sankore.exams.sitting-code"


def exam_code_draw() -> str:
    """A fresh random code, six characters (« K7M 3XR »: shown in two groups of three, the
    space does not count when typed)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def exam_sitting_code_digest(*, code: str, sitting_id: int) -> str:
    """Keyed with the project's secret key and bound to the sitting: another centre's code,
    or another sitting's, never matches."""
    value = f"sitting:{sitting_id}:{exam_code_normalise(code)}"
    return salted_hmac(_SITTING_SALT, value).hexdigest()


def exam_sitting_code_matches(*, code: str, digest: str, sitting_id: int) -> bool:
    if not code.strip() or not digest:
        return False
    return constant_time_compare(exam_sitting_code_digest(code=code, sitting_id=sitting_id), digest)
