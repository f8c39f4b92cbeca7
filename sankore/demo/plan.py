"""The demo network as a plan: every random choice made up front, before the database is read.

``network_plan(now)`` is a pure function of the data modules, the fixed seed and ``now``: the
random stream never depends on what the database already holds, so a second run plans exactly
the same network and the builder only has to skip what exists.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify

from sankore.catalog.models import CourseTeamRole, Level, Licence, Pacing, RunState
from sankore.demo.data.course_material import MATERIAL
from sankore.demo.data.courses import COURSES, FLAGSHIP, FLAGSHIP_CODE, CourseText
from sankore.demo.data.disciplines import DISCIPLINES
from sankore.demo.data.institutions import AGENCY_SLUG, INSTITUTIONS, InstitutionSeed
from sankore.demo.data.people import (
    DEMO_TEACHER,
    LEARNER_COUNTRIES,
    LEARNER_EMAIL,
    TEACHER_BIO,
    TEACHER_EMAIL,
    TEACHER_TITLE,
    TEACHER_TITLES,
)
from sankore.demo.texts import (
    DAY,
    DURATIONS,
    EFFORTS,
    LEVEL_WEIGHTS,
    LICENCE_WEIGHTS,
    START_HOUR,
    at_institution,
    course_words,
    person_name,
    run_dates,
    run_title,
    session_day,
    to_topic,
    weighted,
)
from sankore.institutions.geography import Hemisphere, hemisphere_for_country
from sankore.institutions.models import InstitutionKind

SEED = 2026
LEARNER_COUNT = 300

# Institutions that carry courses; campuses relay them, foundations and companies partner.
RESEARCH = InstitutionKind.RESEARCH
OWNER_KINDS = {InstitutionKind.UNIVERSITY, InstitutionKind.SCHOOL, RESEARCH}
TEACHING_KINDS = OWNER_KINDS | {InstitutionKind.AGENCY}
# Arabic-taught courses come from the Maghreb and the Middle East.
ARABIC_OWNERS = ("um5", "uca", "utunis", "univ-alger1", "usj", "univ-libanaise", "usenghor")
SUBTITLES_BY_COUNTRY = {"SN": "wo", "CD": "ln", "CG": "ln", "MG": "mg", "HT": "ht"}
STATE_WEIGHTS = {
    RunState.OPEN: 40,
    RunState.ONGOING: 22,
    RunState.UPCOMING: 15,
    RunState.ARCHIVED: 23,
}
DRAFT_COUNT = 5
# The one session that is nearly full: a small capacity with a single seat left.
NEARLY_FULL_CAPACITY = 25


@dataclass(frozen=True)
class TeacherPlan:
    full_name: str
    title: str
    bio: str
    institution: str
    discipline: str


@dataclass(frozen=True)
class LearnerPlan:
    email: str
    full_name: str
    country: str
    preferred_language: str
    date_joined: datetime.datetime


@dataclass(frozen=True)
class EnrolmentPlan:
    email: str
    created_at: datetime.datetime
    is_active: bool = True


@dataclass
class RunPlan:
    title: str
    state: RunState
    pacing: Pacing
    start: datetime.datetime
    end: datetime.datetime
    enrolment_start: datetime.datetime
    enrolment_end: datetime.datetime | None
    capacity: int | None = None
    enrolments: list[EnrolmentPlan] = field(default_factory=list)

    @property
    def active_count(self) -> int:
        return sum(enrolment.is_active for enrolment in self.enrolments)


@dataclass
class CoursePlan:
    code: str
    slug: str
    title: str
    summary: str
    description: str
    learning_outcomes: str
    prerequisites: str
    language: str
    languages: tuple[str, ...]
    subtitle_languages: tuple[str, ...]
    disciplines: tuple[str, ...]
    owners: tuple[str, ...]
    partners: tuple[str, ...]
    teachers: tuple[str, ...]
    level: str
    effort_hours_per_week: Decimal
    duration_weeks: int
    licence: str
    offers_attestation: bool
    offers_certificate: bool
    ects_credits: int | None
    is_published: bool
    runs: list[RunPlan] = field(default_factory=list)
    team: list[tuple[str, str]] = field(default_factory=list)  # (email, CourseTeamRole)


@dataclass(frozen=True)
class NetworkPlan:
    teachers: tuple[TeacherPlan, ...]
    learners: tuple[LearnerPlan, ...]
    courses: tuple[CoursePlan, ...]


def top_level_of() -> dict[str, str]:
    """Each discipline slug mapped to its top-level discipline's slug."""
    tops = {}
    for top in DISCIPLINES:
        tops[top.slug] = top.slug
        tops.update(dict.fromkeys((child.slug for child in top.children), top.slug))
    return tops


def course_catalog() -> list[tuple[str, CourseText]]:
    """Every catalog entry with its code, flagship first."""
    prefixes = {top.slug: top.code for top in DISCIPLINES}
    entries = [(FLAGSHIP_CODE, FLAGSHIP)]
    for top, texts in COURSES.items():
        entries += [(f"{prefixes[top]}-{101 + i}", text) for i, text in enumerate(texts)]
    return entries


class _Planner:
    def __init__(self, now: datetime.datetime) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 — reproducible demo data, not security
        self.now = now
        self.today = session_day(now)
        self.tops = top_level_of()
        self.by_slug = {seed.slug: seed for seed in INSTITUTIONS}
        self.owners = [seed for seed in INSTITUTIONS if seed.kind in OWNER_KINDS]
        self.teachers: list[TeacherPlan] = []
        self.learner_emails: list[str] = []

    # People ---------------------------------------------------------------------------------

    def plan_teachers(self) -> tuple[TeacherPlan, ...]:
        names: set[str] = set()
        top_names = {top.slug: top.name_fr.lower() for top in DISCIPLINES}
        for seed in INSTITUTIONS:
            if seed.kind not in TEACHING_KINDS:
                continue
            for _ in range(3 if seed.kind == InstitutionKind.UNIVERSITY else 2):
                person = person_name(self.rng, seed.country)
                while person.full_name in names:
                    person = person_name(self.rng, seed.country)
                names.add(person.full_name)
                discipline = self.rng.choice(DISCIPLINES)
                female, male, _weight = self.rng.choices(
                    TEACHER_TITLES, weights=[t[2] for t in TEACHER_TITLES]
                )[0]
                title = TEACHER_TITLE.format(
                    title=female if person.is_female else male,
                    discipline=top_names[discipline.slug],
                )
                bio = TEACHER_BIO.format(
                    pronoun="Elle" if person.is_female else "Il",
                    works="enseigne" if seed.kind in OWNER_KINDS - {RESEARCH} else "travaille",
                    at_institution=at_institution(seed.name),
                    to_topic=to_topic(self.rng.choice(MATERIAL[discipline.slug].research_topics)),
                )
                self.teachers.append(
                    TeacherPlan(person.full_name, title, bio, seed.slug, discipline.slug)
                )
        return tuple(self.teachers)

    def plan_learners(self) -> tuple[LearnerPlan, ...]:
        learners = []
        emails: set[str] = {LEARNER_EMAIL}
        for _ in range(LEARNER_COUNT):
            country = weighted(self.rng, LEARNER_COUNTRIES)
            person = person_name(self.rng, country)
            local, suffix = person.email_local_part, 1
            while f"{local}@example.org" in emails:
                suffix += 1
                local = f"{person.email_local_part}{suffix}"
            email = f"{local}@example.org"
            emails.add(email)
            learners.append(
                LearnerPlan(
                    email=email,
                    full_name=person.full_name,
                    country=country,
                    preferred_language="en" if self.rng.random() < 0.08 else "fr",
                    date_joined=self.now - self.rng.randint(1, 900) * DAY,
                )
            )
        self.learner_emails = [learner.email for learner in learners]
        return tuple(learners)

    # Courses --------------------------------------------------------------------------------

    def plan_course(self, code: str, text: CourseText, *, is_published: bool) -> CoursePlan:
        rng = self.rng
        top = self.tops[text.discipline]
        level = weighted(rng, LEVEL_WEIGHTS)
        words = course_words(rng, text, top, level)
        owners = self._owners(text)
        partners = self._partners(owners)
        certificate = rng.random() < 0.22
        # A few French courses are taught in both French and English.
        bilingual = text.language == "fr" and rng.random() < 0.05
        languages = (text.language, "en") if bilingual else (text.language,)
        return CoursePlan(
            code=code,
            slug=text.slug or slugify(text.title)[:100],
            title=text.title,
            summary=text.summary,
            description=words.description,
            learning_outcomes=words.learning_outcomes,
            prerequisites=words.prerequisites,
            language=text.language,
            languages=languages,
            subtitle_languages=self._subtitles(languages, owners),
            disciplines=(top,) if top == text.discipline else (top, text.discipline),
            owners=owners,
            partners=partners,
            teachers=self._teachers(owners, partners, top),
            level=level,
            effort_hours_per_week=rng.choice(EFFORTS),
            duration_weeks=rng.choice(DURATIONS),
            licence=weighted(rng, LICENCE_WEIGHTS),
            offers_attestation=not certificate or rng.random() < 0.9,
            offers_certificate=certificate,
            ects_credits=rng.randint(2, 6) if certificate and rng.random() < 0.5 else None,
            is_published=is_published,
        )

    def _owners(self, text: CourseText) -> tuple[str, ...]:
        if text.language == "ar":
            return (self.rng.choice(ARABIC_OWNERS),)
        first = self.rng.choice(self.owners)
        if self.rng.random() < 0.25:
            second = self.rng.choice([o for o in self.owners if o.slug != first.slug])
            return (first.slug, second.slug)
        return (first.slug,)

    def _partners(self, owners: tuple[str, ...]) -> tuple[str, ...]:
        rng = self.rng
        partners: list[str] = []
        if rng.random() < 0.45:  # the programme's signature North–South pairing
            owner_side = _side(self.by_slug[owners[0]])
            across = [o for o in self.owners if _side(o) != owner_side]
            partners.append(rng.choice(across).slug)
        if rng.random() < 0.15:  # a campus that relays it, a foundation or a company
            others = [s for s in INSTITUTIONS if s.kind not in OWNER_KINDS and s.slug != "auf"]
            partners.append(rng.choice(others).slug)
        return tuple(p for p in partners if p not in owners)

    def _teachers(
        self, owners: tuple[str, ...], partners: tuple[str, ...], top: str
    ) -> tuple[str, ...]:
        """Teachers of the course's discipline: from its owners, else its partners, else
        guests from elsewhere in the network (every discipline has some)."""
        of_discipline = [t for t in self.teachers if t.discipline == top]
        pool = (
            [t for t in of_discipline if t.institution in owners]
            or [t for t in of_discipline if t.institution in partners]
            or of_discipline
        )
        count = min(len(pool), self.rng.choice((1, 1, 2, 2, 3)))
        return tuple(t.full_name for t in self.rng.sample(pool, count))

    def _subtitles(self, languages: tuple[str, ...], owners: tuple[str, ...]) -> tuple[str, ...]:
        subtitles = []
        local = SUBTITLES_BY_COUNTRY.get(self.by_slug[owners[0]].country)
        if local and self.rng.random() < 0.6:
            subtitles.append(local)
        if self.rng.random() < 0.25:
            subtitles.append("fr" if "fr" not in languages else "en")
        if self.rng.random() < 0.05:
            subtitles.append(self.rng.choice(("es", "pt")))
        return tuple(dict.fromkeys(s for s in subtitles if s not in languages))

    # Sessions and enrolments ----------------------------------------------------------------

    def plan_runs(self, course: CoursePlan) -> None:
        rng = self.rng
        if not course.is_published:
            # A draft being prepared: one future session, which nobody can enrol in yet.
            course.runs.append(self._run(course, RunState.UPCOMING, self_paced=False))
            return
        state = weighted(rng, STATE_WEIGHTS)
        current = self._run(course, state, self_paced=rng.random() < 0.3)
        runs = [current]
        if state != RunState.ARCHIVED and rng.random() < 0.45:
            for _ in range(rng.choice((1, 1, 2))):  # earlier editions of the course
                runs.insert(0, self._archived_before(course, runs[0].start))
        next_edition = current.pacing == Pacing.INSTRUCTOR_LED and rng.random() < 0.15
        if state == RunState.OPEN and next_edition:  # the following edition is announced
            runs.append(self._run(course, RunState.UPCOMING, self_paced=False))
        for run in runs:
            self._enrol(run)
        course.runs.extend(runs)

    def _run(self, course: CoursePlan, state: RunState, *, self_paced: bool) -> RunPlan:
        dates = run_dates(
            self.rng,
            state=state,
            today=self.today,
            weeks=course.duration_weeks,
            self_paced=self_paced,
        )
        return RunPlan(
            title=run_title(course.language, dates.start, self_paced=self_paced),
            state=state,
            pacing=Pacing.SELF_PACED if self_paced else Pacing.INSTRUCTOR_LED,
            start=dates.start,
            end=dates.end,
            enrolment_start=dates.enrolment_start,
            enrolment_end=dates.enrolment_end,
            capacity=self.rng.choice((40, 60, 100)) if self.rng.random() < 0.06 else None,
        )

    def _archived_before(self, course: CoursePlan, later: datetime.datetime) -> RunPlan:
        dates = run_dates(
            self.rng,
            state=RunState.ARCHIVED,
            today=self.today,
            weeks=course.duration_weeks,
            self_paced=False,
            ends_before=later,
        )
        return RunPlan(
            title=run_title(course.language, dates.start, self_paced=False),
            state=RunState.ARCHIVED,
            pacing=Pacing.INSTRUCTOR_LED,
            start=dates.start,
            end=dates.end,
            enrolment_start=dates.enrolment_start,
            enrolment_end=dates.enrolment_end,
        )

    def _enrol(self, run: RunPlan, *, count: int | None = None) -> None:
        rng = self.rng
        if run.state == RunState.UPCOMING:
            return
        if count is None:
            low, high = (4, 18) if run.state == RunState.OPEN else (6, 28)
            count = rng.randint(low, high)
        if run.capacity is not None:
            count = min(count, run.capacity)
        # Learners who left the session along the way (their row stays, inactive).
        dropped = rng.randint(0, 3) if run.state != RunState.OPEN else 0
        chosen = rng.sample(self.learner_emails, count + dropped)
        closes = min(run.enrolment_end or self.now, self.now)
        window = max((closes - run.enrolment_start).days, 1)
        for i, email in enumerate(chosen):
            created = run.enrolment_start + rng.randint(0, window - 1) * DAY
            run.enrolments.append(EnrolmentPlan(email, created, is_active=i < count))

    # Demo accounts on stage -----------------------------------------------------------------

    def feature_demo_accounts(self, courses: list[CoursePlan]) -> None:
        """Put the demo teacher and learner on courses that show each page at its best."""
        flagship = courses[0]
        education = [c for c in courses[1:] if c.disciplines[0] == "sciences-education"]
        for course in [flagship, *education[:3]]:
            course.team.append((TEACHER_EMAIL, CourseTeamRole.INSTRUCTOR))
            course.teachers = (DEMO_TEACHER.full_name, *course.teachers)
        published = [c for c in courses if c.is_published]
        for state in (RunState.OPEN, RunState.ONGOING, RunState.ARCHIVED):
            run = next(r for c in published[1:] for r in c.runs if r.state == state)
            if all(e.email != LEARNER_EMAIL for e in run.enrolments):
                created = min(run.enrolment_start + DAY, self.now)
                run.enrolments.append(EnrolmentPlan(LEARNER_EMAIL, created))
        flagship_open = next(r for r in flagship.runs if r.state == RunState.OPEN)
        flagship_open.enrolments.append(EnrolmentPlan(LEARNER_EMAIL, self.now))

    def plan_flagship(self) -> CoursePlan:
        """The agency's teacher-training course: two past editions and one open now."""
        course = self.plan_course(FLAGSHIP_CODE, FLAGSHIP, is_published=True)
        course.owners = (AGENCY_SLUG,)
        course.partners = ("umontreal", "ucad", "cnf-dakar")
        education = [t for t in self.teachers if t.discipline == "sciences-education"]
        course.teachers = tuple(t.full_name for t in education[:2])
        course.level = Level.INTERMEDIATE
        course.licence = Licence.CC_BY_SA
        course.offers_attestation, course.offers_certificate, course.ects_credits = True, True, 2
        current = self._run(course, RunState.OPEN, self_paced=False)
        current.capacity = None
        # Started nine days ago, still open for enrolment: its first two weekly chapters are
        # out, the next ones are not yet (the demo shows both).
        current.start = self.today + START_HOUR - 9 * DAY
        self._enrol(current, count=45)
        course.runs.append(current)
        for _ in range(2):
            earlier = self._archived_before(course, course.runs[0].start)
            self._enrol(earlier, count=self.rng.randint(40, 60))
            course.runs.insert(0, earlier)
        return course

    def make_one_run_nearly_full(self, courses: list[CoursePlan]) -> None:
        """The first open, instructor-led session of the catalog keeps a single seat free."""
        run = next(
            run
            for course in courses[1:]
            if course.is_published
            for run in course.runs
            if run.state == RunState.OPEN and run.pacing == Pacing.INSTRUCTOR_LED
        )
        run.capacity = NEARLY_FULL_CAPACITY
        enrolled = {enrolment.email for enrolment in run.enrolments}
        free = [email for email in self.learner_emails if email not in enrolled]
        for email in self.rng.sample(free, NEARLY_FULL_CAPACITY - 1 - run.active_count):
            run.enrolments.append(EnrolmentPlan(email, self.now))


def _side(seed: InstitutionSeed) -> Hemisphere:
    return hemisphere_for_country(seed.country)


def network_plan(now: datetime.datetime) -> NetworkPlan:
    planner = _Planner(now)
    teachers = planner.plan_teachers()
    learners = planner.plan_learners()
    catalog = course_catalog()
    drafts = set(planner.rng.sample(range(1, len(catalog)), DRAFT_COUNT))
    courses = [planner.plan_flagship()]
    for index, (code, text) in enumerate(catalog[1:], start=1):
        course = planner.plan_course(code, text, is_published=index not in drafts)
        planner.plan_runs(course)
        courses.append(course)
    planner.feature_demo_accounts(courses)
    planner.make_one_run_nearly_full(courses)
    return NetworkPlan(teachers=teachers, learners=learners, courses=tuple(courses))
