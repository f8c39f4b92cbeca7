"""People of the demo network: name pools, teacher titles, learner countries, demo accounts.

Every person is invented: names are drawn from pools of common given names and family names of
each cultural area of the Francophonie and combined at random, so no row describes a real
person. Email addresses use reserved domains only (``sankore.example``, ``example.org``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sankore.accounts.models import Role


@dataclass(frozen=True)
class NamePool:
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    family_first: bool = False  # "Nguyen Thi Lan", not "Thi Lan Nguyen"


def _names(names: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in names.split(","))


NAME_POOLS: dict[str, NamePool] = {
    "afrique-ouest": NamePool(
        female=_names(
            "Aminata, Fatou, Awa, Mariam, Aïssatou, Khady, Adjoa, Rokia, Salimata, Ramatou, "
            "Nafissatou, Coumba, Edwige, Estelle, Akossiwa"
        ),
        male=_names(
            "Moussa, Ibrahima, Abdoulaye, Souleymane, Ousmane, Cheikh, Mamadou, Boubacar, "
            "Kofi, Issa, Serge, Koffi, Yao, Ismaël, Lassina"
        ),
        family=_names(
            "Diop, Ndiaye, Sow, Fall, Traoré, Coulibaly, Ouédraogo, Kaboré, Sawadogo, Konaté, "
            "Diallo, Touré, Kouassi, Koné, Adjovi, Hounkpè, Agbodjan, Mensah, Issoufou, Maïga, "
            "Zongo, Sanou, Gbaguidi"
        ),
    ),
    "afrique-centrale": NamePool(
        female=_names(
            "Chantal, Grâce, Nadège, Clarisse, Esther, Béatrice, Mireille, Solange, Prisca, Divine"
        ),
        male=_names(
            "Jean-Pierre, Patrice, Blaise, Hervé, Didier, Fabrice, Jules, Armel, Landry, Guy-Roger"
        ),
        family=_names(
            "Mukendi, Kabongo, Tshibanda, Ilunga, Nkoulou, Mballa, Ngono, Essomba, Mbarga, "
            "Moukouri, Ndayishimiye, Niyonzima, Nzamba, Makaya, Okemba, Bitsindou, Mavoungou, "
            "Kalala"
        ),
    ),
    "maghreb": NamePool(
        female=_names(
            "Fatima-Zahra, Salma, Imane, Yasmine, Leïla, Amel, Nour, Sonia, Meriem, Khadija"
        ),
        male=_names("Youssef, Mehdi, Karim, Hamza, Anis, Sofiane, Rachid, Nabil, Omar, Amine"),
        family=_names(
            "Benali, El Amrani, Bennani, Tazi, Alaoui, Trabelsi, Ben Salah, Gharbi, Jaziri, "
            "Boudiaf, Haddad, Khelifi, Mansouri, Cherif"
        ),
    ),
    "moyen-orient": NamePool(
        female=_names("Rania, Maya, Carla, Nada, Hala, Dina, Yara, Rima"),
        male=_names("Élie, Georges, Ziad, Tarek, Sami, Walid, Fadi, Ahmed"),
        family=_names(
            "Khoury, Saadé, Nassar, Aoun, Farah, Abdel-Malek, Mansour, Salem, El-Sayed, "
            "Chamoun, Haddad"
        ),
    ),
    "ocean-indien": NamePool(
        female=_names("Hanitra, Voahangy, Fara, Lalao, Nirina, Anjara, Zaïnaba, Hasina"),
        male=_names("Hery, Tiana, Rija, Andry, Mamy, Faly, Naina, Saïd"),
        family=_names(
            "Rakotomalala, Randrianarivelo, Rasoanaivo, Andrianjafy, Ramanantsoa, "
            "Razafindrakoto, Rakotondrabe, Andriamanalina, Razafimahefa, Ahamada, Madi, "
            "Soilihi, Houssein"
        ),
    ),
    "caraibe": NamePool(
        female=_names(
            "Widline, Fabiola, Guerline, Marie-Lourdes, Stéphanie, Roseline, Nathalie, Darline"
        ),
        male=_names("Wilson, Jean-Robert, Frantz, Réginald, Kervens, Jean-Marc, Evens, Ricardo"),
        family=_names(
            "Jean-Baptiste, Pierre-Louis, Desrosiers, Joseph, Charles, Étienne, Théodore, "
            "Auguste, Célestin, Delva, Saint-Fleur, Louis-Jeune"
        ),
    ),
    "ameriques": NamePool(
        female=_names("Geneviève, Marie-Ève, Isabelle, Catherine, Mélanie, Émilie, Annie, Josée"),
        male=_names(
            "Marc-André, Jean-François, Simon, Mathieu, Olivier, Étienne, François, Sébastien"
        ),
        family=_names(
            "Tremblay, Gagnon, Bouchard, Côté, Lavoie, Gauthier, Bélanger, Pelletier, "
            "Lévesque, Boucher, Ouellet, LeBlanc, Cormier"
        ),
    ),
    "europe-ouest": NamePool(
        female=_names(
            "Claire, Sophie, Camille, Hélène, Julie, Céline, Anne-Laure, Élise, Margaux, Laetitia"
        ),
        male=_names(
            "Thomas, Nicolas, Julien, Laurent, Pierre, Vincent, Benoît, Antoine, Mathias, Cédric"
        ),
        family=_names(
            "Martin, Bernard, Dubois, Lefèvre, Moreau, Fournier, Girard, Lambert, Dupont, "
            "Peeters, Renard, Meyer, Favre, Rochat, Jacquet"
        ),
    ),
    "europe-est": NamePool(
        female=_names("Ioana, Elena, Mihaela, Andreea, Irina, Maria, Daniela, Cristina"),
        male=_names("Andrei, Mihai, Alexandru, Ion, Radu, Vlad, Stefan, Bogdan"),
        family=_names(
            "Popescu, Ionescu, Munteanu, Rusu, Ceban, Dumitrescu, Stoica, Lungu, Cojocaru, "
            "Moraru, Ciobanu"
        ),
    ),
    "asie": NamePool(
        female=_names("Thi Lan, Thu Ha, Mai Anh, Ngoc Anh, Thanh Huong"),
        male=_names("Van Minh, Duc Anh, Quang Huy, Minh Tuan, Van Long"),
        family=_names("Nguyen, Tran, Le, Pham, Hoang, Vu, Dang"),
        family_first=True,
    ),
    "asie-mekong": NamePool(
        female=_names("Sophea, Channary, Bopha, Sreymom, Souphaphone, Manivone"),
        male=_names("Sokha, Vannak, Dara, Khamphone, Bounthavy, Somphone"),
        family=_names("Sok, Chea, Heng, Phommachanh, Vongsa, Keomany, Sysavath"),
    ),
}

# The name pool of each country of the demo network.
CULTURE_BY_COUNTRY: dict[str, str] = {
    **dict.fromkeys(("SN", "CI", "BF", "BJ", "NE", "TG", "ML", "GN"), "afrique-ouest"),
    **dict.fromkeys(("CD", "CM", "CG", "GA", "BI", "RW", "TD"), "afrique-centrale"),
    **dict.fromkeys(("MA", "TN", "DZ"), "maghreb"),
    **dict.fromkeys(("LB", "EG"), "moyen-orient"),
    **dict.fromkeys(("MG", "MU", "KM", "DJ"), "ocean-indien"),
    **dict.fromkeys(("HT", "DO"), "caraibe"),
    "CA": "ameriques",
    **dict.fromkeys(("FR", "BE", "CH", "LU"), "europe-ouest"),
    **dict.fromkeys(("RO", "MD", "BG"), "europe-est"),
    "VN": "asie",
    **dict.fromkeys(("KH", "LA"), "asie-mekong"),
}

# Where learners live, with weights close to the audience of francophone MOOCs.
LEARNER_COUNTRIES: dict[str, int] = {
    "SN": 12,
    "CI": 10,
    "CM": 10,
    "CD": 9,
    "BF": 7,
    "MA": 7,
    "BJ": 6,
    "TN": 5,
    "MG": 5,
    "HT": 5,
    "FR": 5,
    "TG": 4,
    "ML": 4,
    "NE": 3,
    "GA": 3,
    "CG": 3,
    "DZ": 3,
    "GN": 3,
    "CA": 3,
    "BE": 2,
    "LB": 2,
    "BI": 2,
    "KM": 1,
    "DJ": 1,
    "VN": 1,
    "KH": 1,
    "LA": 1,
    "MD": 1,
    "RO": 1,
    "CH": 1,
    "EG": 1,
    "MU": 1,
}

# (female form, male form) of teacher titles, with a weight.
TEACHER_TITLES: tuple[tuple[str, str, int], ...] = (
    ("Professeure titulaire", "Professeur titulaire", 3),
    ("Maîtresse de conférences", "Maître de conférences", 4),
    ("Maître-assistante", "Maître-assistant", 3),
    ("Chargée de cours", "Chargé de cours", 2),
    ("Ingénieure pédagogique", "Ingénieur pédagogique", 1),
    ("Chercheuse associée", "Chercheur associé", 1),
)

# A teacher's title reads "Maître de conférences en droit"; the bio names the institution
# ("à l'Université de Lomé") and a research topic of the discipline.
TEACHER_TITLE = "{title} en {discipline}"
TEACHER_BIO = (
    "{pronoun} {works} {at_institution} et consacre ses recherches {to_topic}. {pronoun} "
    "coordonne plusieurs cours en ligne du programme."
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    country: str
    role: Role | None = None
    institution: str = ""  # slug of the institution a scoped role applies to
    is_staff: bool = False
    label: str = ""  # what the account is for, printed with the credentials


DEMO_PASSWORD = "sankore-demo"  # noqa: S105 — a published demo password, documented in the README

PROGRAMME_STAFF_EMAIL = "programme@sankore.example"
TEACHER_EMAIL = "enseignant@sankore.example"
LEARNER_EMAIL = "apprenant@sankore.example"
INSTITUTION_STAFF_EMAIL = "etablissement@sankore.example"
NORTHERN_STAFF_EMAIL = "bordeaux@sankore.example"
DEMO_TEACHER_NAME = "Nadia Benkirane-Sy"

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        PROGRAMME_STAFF_EMAIL,
        "Odile Kpadonou",
        "CA",
        Role.PROGRAMME_STAFF,
        is_staff=True,
        label="équipe du programme (administration)",
    ),
    DemoAccount(
        INSTITUTION_STAFF_EMAIL,
        "Babacar Ndour",
        "SN",
        Role.INSTITUTION_STAFF,
        institution="ucad",
        label="personnel et signataire (UCAD)",
    ),
    DemoAccount(
        "campus@sankore.example",
        "Clémence Yaméogo",
        "BF",
        Role.CAMPUS_STAFF,
        institution="cnf-ouagadougou",
        label="personnel de campus (CNF Ouagadougou)",
    ),
    DemoAccount(
        "expert@sankore.example",
        "Hugues Lemaire-Tchouta",
        "BE",
        Role.EXPERT_REVIEWER,
        label="expert évaluateur",
    ),
    DemoAccount(
        TEACHER_EMAIL,
        DEMO_TEACHER_NAME,
        "SN",
        institution="ucad",
        label="enseignante (équipe pédagogique de plusieurs cours)",
    ),
    DemoAccount(LEARNER_EMAIL, "Yacouba Tiendrébéogo", "BF", label="apprenant"),
    DemoAccount(
        NORTHERN_STAFF_EMAIL,
        "Claire Martin-Diallo",
        "FR",
        Role.INSTITUTION_STAFF,
        institution="u-bordeaux",
        label="personnel et signataire (Université de Bordeaux)",
    ),
)


@dataclass(frozen=True)
class DemoTeacher:
    full_name: str
    title: str
    bio: str
    institution: str


# The demo teacher's profile on the course pages, linked to the teacher's account.
DEMO_TEACHER = DemoTeacher(
    DEMO_TEACHER_NAME,
    "Maîtresse de conférences en sciences de l'éducation",
    "Enseignante-chercheuse à l'Université Cheikh Anta Diop de Dakar, elle accompagne depuis "
    "dix ans les équipes qui conçoivent des cours en ligne et forme les tuteurs du réseau.",
    "ucad",
)
