"""Reading a results file as the course team's spreadsheets write it: UTF-8 (with or without
its byte-order mark) or Windows-1252 (Excel's « CSV (séparateur : point-virgule) » on a
French Windows), ``;`` or ``,`` between cells, headers in any case and with or without
accents. Nothing here writes: every line becomes an entry or an error with its line number,
and the service decides.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sankore.assessments.grading import number_parse
from sankore.exams.models import ExamRegistration, ExamSitting, RegistrationStatus

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
SEAT_DIGITS_MAX = 9

# Header names once normalised (no case, accents, spaces nor punctuation).
EMAIL_HEADERS = {"email", "courriel", "mail", "adresse", "adressecourriel", "adresseelectronique"}
SEAT_HEADERS = {
    "place", "seat", "siege", "noplace", "nplace", "ndeplace", "nodeplace", "numerodeplace",
    "numeroplace", "seatnumber",
}  # fmt: skip
SCORE_HEADERS = {"note", "score", "resultat", "grade", "mark"}
ABSENT_WORDS = {"abs", "absent", "absente", "absence"}


class CsvError(Exception):
    """The file as a whole cannot be read (its encoding, its size, its columns)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ParsedScore:
    score: Decimal | None  # None when absent
    absent: bool


@dataclass(frozen=True)
class CsvEntry:
    line: int
    registration: ExamRegistration
    score_text: str


@dataclass
class CsvRead:
    entries: list[CsvEntry] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


def _header_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]", "", bare)


def csv_decode(data: bytes) -> str:
    """The file's text: UTF-8 first (a Windows-1252 accent is never valid UTF-8, so the
    order cannot mistake one for the other), Windows-1252 next; anything else (UTF-16,
    a spreadsheet's binary, an image) is refused rather than read as nonsense."""
    refused = CsvError(
        gettext(
            "Ce fichier n'est pas un fichier CSV lisible : enregistrez-le au format « CSV "
            "UTF-8 » ou « CSV (séparateur : point-virgule) » depuis votre tableur."
        ),
        code="csv_encoding",
    )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        raise refused  # UTF-16 and binary files have NUL bytes; no text file does
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise refused from None
    # Windows-1252 gives a character to nearly every byte: control characters are the sign
    # of a binary file read as text.
    if any(unicodedata.category(c) == "Cc" and c not in "\r\n\t" for c in text):
        raise refused
    return text


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def score_parse(text: str) -> ParsedScore | None:
    """A score as the team types it (« 12,5 », « 12.5 », « 14 »), or absent (« ABS »,
    « absent », empty); ``None`` when it is neither."""
    cleaned = text.strip()
    if not cleaned or _header_key(cleaned) in ABSENT_WORDS:
        return ParsedScore(score=None, absent=True)
    number = number_parse(cleaned)
    if number is None:
        return None
    return ParsedScore(score=number, absent=False)


def _columns(header: list[str]) -> tuple[int | None, int | None, int]:
    keys = [_header_key(cell) for cell in header]

    def find(names: set[str]) -> int | None:
        return next((i for i, key in enumerate(keys) if key in names), None)

    email, seat, score = find(EMAIL_HEADERS), find(SEAT_HEADERS), find(SCORE_HEADERS)
    if score is None or (email is None and seat is None):
        raise CsvError(
            gettext(
                "La première ligne doit nommer les colonnes : « email » (ou « place ») et "
                "« note ». Colonnes trouvées : %(found)s."
            )
            % {"found": ", ".join(f"« {cell.strip()} »" for cell in header if cell.strip())
               or gettext("aucune")},
            code="csv_columns",
        )  # fmt: skip
    return email, seat, score


def _cell(row: list[str], index: int | None) -> str | None:
    if index is None or index >= len(row):
        return None
    return row[index].strip()


def csv_read(*, sitting: ExamSitting, data: bytes) -> CsvRead:
    """Every line of the file matched to a confirmed candidate of ``sitting``, or an error
    with its line number (all of them, not the first only)."""
    if len(data) > MAX_BYTES:
        raise CsvError(
            gettext("Ce fichier dépasse %(size)s Mo : découpez-le.") % {"size": MAX_BYTES >> 20},
            code="csv_too_large",
        )
    text = csv_decode(data)
    first_line = text.lstrip().split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header: list[str] | None = None
    candidates = list(
        ExamRegistration.objects.filter(
            sitting=sitting, status=RegistrationStatus.CONFIRMED
        ).select_related("learner")
    )
    by_email = {r.learner.email.casefold(): r for r in candidates}
    by_seat = {r.seat_number: r for r in candidates}
    read = CsvRead()
    rows = 0
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = row
                email_at, seat_at, score_at = _columns(header)
                continue
            rows += 1
            if rows > MAX_ROWS:
                raise CsvError(
                    gettext("Ce fichier dépasse %(rows)s lignes : découpez-le.")
                    % {"rows": number_format(MAX_ROWS, force_grouping=True)},
                    code="csv_too_long",
                )
            line = reader.line_num
            outcome = _row_read(
                row, email_at=email_at, seat_at=seat_at, score_at=score_at,
                by_email=by_email, by_seat=by_seat,
            )  # fmt: skip
            if isinstance(outcome, str):
                read.errors.append((line, outcome))
            else:
                registration, score_text = outcome
                read.entries.append(CsvEntry(line, registration, score_text))
    except csv.Error as error:
        raise CsvError(
            gettext("Ligne %(line)s illisible : %(error)s.")
            % {"line": reader.line_num, "error": error},
            code="csv_syntax",
        ) from None
    if not rows:
        raise CsvError(
            gettext("Ce fichier ne contient aucune ligne de résultats sous ses en-têtes."),
            code="csv_empty",
        )
    return read


def _row_read(
    row: list[str],
    *,
    email_at: int | None,
    seat_at: int | None,
    score_at: int,
    by_email: dict[str, ExamRegistration],
    by_seat: dict[int | None, ExamRegistration],
) -> tuple[ExamRegistration, str] | str:
    """The row's candidate and score text, or the message saying what is wrong with it."""
    score_text = _cell(row, score_at)
    if score_text is None:
        return gettext("la colonne « note » manque sur cette ligne.")
    email, seat = _cell(row, email_at), _cell(row, seat_at)
    by_address = by_place = None
    if email:
        by_address = by_email.get(email.casefold())
        if by_address is None:
            return gettext("aucun candidat confirmé de cette session n'a l'adresse %(email)s.") % {
                "email": email
            }
    if seat:
        # ``isdecimal``, not ``isdigit``: « ² » and « ① » are digits that ``int`` refuses, as
        # it refuses more than 4 300 digits; no seat has more than nine.
        if not seat.isdecimal() or len(seat) > SEAT_DIGITS_MAX:
            return gettext("« %(seat)s » n'est pas un numéro de place.") % {"seat": seat}
        by_place = by_seat.get(int(seat))
        if by_place is None:
            return gettext("aucun candidat confirmé n'occupe la place n° %(seat)s.") % {
                "seat": seat
            }
    if by_address is not None and by_place is not None and by_address != by_place:
        return gettext(
            "l'adresse %(email)s et la place n° %(seat)s désignent deux candidats différents."
        ) % {"email": email, "seat": seat}
    registration = by_address or by_place
    if registration is None:
        return gettext("indiquez l'adresse du candidat ou son numéro de place.")
    return registration, score_text


# The lazy form of a message the page shows next to the import form.
FORMAT_HELP = _(
    "Un fichier CSV avec une ligne d'en-têtes : « email » (ou « place ») et « note ». Une note "
    "vide, « ABS » ou « absent » : candidat absent. Séparateur « ; » ou « , », encodage UTF-8 "
    "ou Windows-1252, 2 Mo et 5 000 lignes au plus."
)
