"""The learner's journey, end to end in a real chromium.

Issue: « search an unaccented word, open the course, register, confirm the email from the
outbox, enrol, find the course on the dashboard ».

What the pages must offer (accessible names, so the test reads as a screen-reader user would):

- ``/cours/``: a search box (``<input type="search" name="q">``) labelled « Rechercher un cours »;
  submitting it lands on ``/cours/?q=economie`` and lists the course as a link named by its title.
- ``/cours/<slug>/``: the course title as the page's ``<h1>``; signed out, a link « Créer un
  compte » in ``<main>``; signed in, a button « S'inscrire à cette session » (a POST form);
  after enrolling, a ``role="status"`` message « Vous êtes inscrit à « <title> ». ».
- The header navigation « Navigation principale », signed in: a button « Se déconnecter » and
  a link « Mes cours ».
- ``/comptes/signup/``: fields labelled e-mail, « Nom complet », « Pays » (a select of country
  codes), « Mot de passe » and its confirmation; a submit button whose name says « créer » or
  « inscription ». It sends one email to the address, holding a ``/comptes/confirm-email/<key>/``
  link; that page has a « Confirmer » button that verifies the address (and, with
  ``ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION``, signs the learner in).
- ``/mes-cours/``: an ``<h1>`` « Mes cours »; a section (region) named « À venir … » listing
  the course, whose session starts in a week, as a link named by its title.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMessage
from playwright.sync_api import Page, expect

from e2e.watch import PageWatch
from sankore.accounts.models import User
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory
from sankore.learning.models import Enrolment

COURSE_TITLE = "Introduction à l'économie du développement"
OTHER_TITLE = "Santé publique et épidémiologie de terrain"
LEARNER_EMAIL = "aminata.diallo@example.org"
LEARNER_NAME = "Aminata Diallo"
PASSWORD = "savane-Baobab-2025"


def text(label: str, *, whole: bool = True) -> re.Pattern[str]:
    """An accessible name that accepts either apostrophe (' or ’): French copy may use both."""
    pattern = re.escape(label).replace("'", "['’]")
    return re.compile(rf"^\s*{pattern}\s*$" if whole else pattern, re.IGNORECASE)


# allauth's French labels, or the project's own: the test pins the meaning, not the wording.
EMAIL_LABEL = re.compile(r"e-?mail|courriel|adresse électronique", re.IGNORECASE)
FULL_NAME_LABEL = re.compile(r"nom complet", re.IGNORECASE)
COUNTRY_LABEL = re.compile(r"^\s*pays\b", re.IGNORECASE)
# Django may add its label suffix (« : ») and a required marker (« * »).
PASSWORD_LABEL = re.compile(r"^\s*mot de passe\s*:?\s*\*?\s*$", re.IGNORECASE)
PASSWORD_AGAIN_LABEL = re.compile(
    r"^\s*mot de passe\s*\((confirmation|de nouveau|à nouveau)\)"
    r"|confirm\w* (le |du |votre )?mot de passe",
    re.IGNORECASE,
)
SIGNUP_BUTTON = re.compile(r"cré|inscription|inscrire", re.IGNORECASE)
LOGIN_BUTTON = re.compile(r"^\s*(se connecter|connexion)\s*$", re.IGNORECASE)
CONFIRM_BUTTON = re.compile(r"^\s*confirmer", re.IGNORECASE)
CONFIRMATION_LINK = re.compile(r"https?://[^\s<>\"']+/comptes/confirm-email/[^\s<>\"']+")


def wait_for_email(page: Page, outbox: list[EmailMessage], *, to: str) -> EmailMessage:
    """The email sent to ``to``; the live server sends it from its own thread."""
    for _ in range(100):
        sent = [message for message in outbox if to in message.to]
        if sent:
            assert len(sent) == 1, [message.subject for message in sent]
            return sent[0]
        # Waiting through Playwright keeps its event loop (console, requests) running.
        page.wait_for_timeout(100)
    errors = page.locator(".errorlist, [role=alert]").all_inner_texts()
    pytest.fail(f"no email to {to} after signing up; page {page.url}, errors {errors}")


def confirmation_path(message: EmailMessage) -> str:
    """The path of the confirmation link, to open on the live server.

    The link's host is whatever the site believes its own (request host or ``SITE_URL``); the
    path and key are what this test checks.
    """
    match = CONFIRMATION_LINK.search(str(message.body))
    assert match, message.body
    link = urlsplit(match.group(0).rstrip(".,;)»"))
    return f"{link.path}?{link.query}" if link.query else link.path


@pytest.mark.e2e
def test_a_learner_finds_a_course_signs_up_enrols_and_finds_it_on_the_dashboard(
    live_server: object, page: Page, page_watch: PageWatch, mailoutbox: list[EmailMessage]
) -> None:
    base = str(live_server).rstrip("/")
    # Given a course with a session open for enrolment, and a course the search must not find
    course = CourseFactory(
        title=COURSE_TITLE,
        summary="Croissance, pauvreté et institutions dans les pays du Sud.",
    )
    run = CourseRunFactory(course=course)
    CourseRunFactory(course=CourseFactory(title=OTHER_TITLE))
    navigation = page.get_by_role("navigation", name="Navigation principale")

    # When a visitor searches the catalog for « economie », without the accent
    page.goto(f"{base}/cours/")
    search_box = page.get_by_role("searchbox", name="Rechercher un cours")
    search_box.fill("economie")
    search_box.press("Enter")

    # Then the accented course is found, and only it
    expect(page).to_have_url(re.compile(r"/cours/\?(.*&)?q=economie(&|$)"))
    expect(search_box).to_have_value("economie")
    results = page.get_by_role("main")
    expect(results.get_by_role("link", name=text(COURSE_TITLE)).first).to_be_visible()
    expect(results.get_by_role("link", name=text(OTHER_TITLE, whole=False))).to_have_count(0)

    # When they open it
    results.get_by_role("link", name=text(COURSE_TITLE)).first.click()

    # Then its page leads with its title
    expect(page).to_have_url(re.compile(rf"/cours/{course.slug}/(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(text(COURSE_TITLE))
    course_url = page.url

    # When they create an account from there
    page.get_by_role("main").get_by_role("link", name=text("Créer un compte")).click()
    expect(page).to_have_url(re.compile(r"/comptes/signup/"))
    signup = page.get_by_role("main")
    signup.get_by_label(EMAIL_LABEL).fill(LEARNER_EMAIL)
    signup.get_by_label(FULL_NAME_LABEL).fill(LEARNER_NAME)
    signup.get_by_label(COUNTRY_LABEL).select_option("SN")
    signup.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    signup.get_by_label(PASSWORD_AGAIN_LABEL).fill(PASSWORD)
    signup.get_by_role("button", name=SIGNUP_BUTTON).click()

    # Then one email asks them to confirm their address, and its link confirms it
    confirmation = wait_for_email(page, mailoutbox, to=LEARNER_EMAIL)
    page.goto(base + confirmation_path(confirmation))
    page.get_by_role("main").get_by_role("button", name=CONFIRM_BUTTON).click()
    logout = navigation.get_by_role("button", name="Se déconnecter")
    if settings.ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION:
        # Confirming in the browser that signed up signs the learner in.
        expect(logout).to_be_visible()
    else:
        page.goto(f"{base}/comptes/login/")
        login = page.get_by_role("main")
        login.get_by_label(EMAIL_LABEL).fill(LEARNER_EMAIL)
        login.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
        login.get_by_role("button", name=LOGIN_BUTTON).click()
        expect(logout).to_be_visible()

    # When, signed in, they enrol in the open session from the course page
    page.goto(course_url)
    page.get_by_role("button", name=text("S'inscrire à cette session")).click()

    # Then the page says so
    expect(
        page.get_by_role("status").filter(has_text=f"Vous êtes inscrit à « {COURSE_TITLE} »")
    ).to_be_visible()

    # And the course is on their dashboard « Mes cours »
    navigation.get_by_role("link", name=text("Mes cours")).click()
    expect(page).to_have_url(f"{base}/mes-cours/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Mes cours"))
    # The session starts in a week: the course is listed among the upcoming ones.
    upcoming = page.get_by_role("region", name=re.compile(r"^\s*À venir\b"))
    expect(upcoming.get_by_role("link", name=text(COURSE_TITLE))).to_be_visible()

    # And the database holds exactly that: a verified learner enrolled in that session
    learner = User.objects.get(email=LEARNER_EMAIL)
    assert (learner.full_name, learner.country.code) == (LEARNER_NAME, "SN")
    assert EmailAddress.objects.filter(user=learner, email=LEARNER_EMAIL, verified=True).exists()
    assert list(
        Enrolment.objects.filter(user=learner, is_active=True).values_list(
            "course_run_id", flat=True
        )
    ) == [run.pk]
    # And no page logged an error or called anything but the platform itself
    assert page_watch.console_errors == [], "\n".join(page_watch.console_errors)
    assert page_watch.foreign_requests == [], "\n".join(page_watch.foreign_requests)
