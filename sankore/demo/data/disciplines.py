"""The discipline taxonomy and the teaching languages of the demo catalog."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DisciplineSeed:
    slug: str
    name_fr: str
    name_en: str
    # Prefix of the course codes of this discipline ("EDU-101"), top-level disciplines only.
    code: str = ""
    children: tuple[DisciplineSeed, ...] = ()


def _child(slug: str, name_fr: str, name_en: str) -> DisciplineSeed:
    return DisciplineSeed(slug, name_fr, name_en)


DISCIPLINES: tuple[DisciplineSeed, ...] = (
    DisciplineSeed(
        "sciences-education",
        "Sciences de l'éducation",
        "Education sciences",
        "EDU",
        (
            _child("ingenierie-pedagogique", "Ingénierie pédagogique", "Instructional design"),
            _child("formation-enseignants", "Formation des enseignants", "Teacher training"),
            _child("numerique-educatif", "Numérique éducatif", "Educational technology"),
            _child("education-de-base", "Éducation de base et alphabétisation", "Basic education"),
        ),
    ),
    DisciplineSeed(
        "sante-publique",
        "Santé publique",
        "Public health",
        "SAN",
        (
            _child("epidemiologie", "Épidémiologie", "Epidemiology"),
            _child(
                "sante-mere-enfant", "Santé de la mère et de l'enfant", "Maternal and child health"
            ),
            _child("nutrition", "Nutrition", "Nutrition"),
            _child("systemes-de-sante", "Systèmes de santé", "Health systems"),
        ),
    ),
    DisciplineSeed(
        "agronomie-environnement",
        "Agronomie et environnement",
        "Agronomy and environment",
        "AGR",
        (
            _child("agroecologie", "Agroécologie", "Agroecology"),
            _child("gestion-eau", "Gestion de l'eau", "Water management"),
            _child("forets-biodiversite", "Forêts et biodiversité", "Forests and biodiversity"),
        ),
    ),
    DisciplineSeed(
        "informatique-numerique",
        "Informatique et numérique",
        "Computing and digital",
        "INF",
        (
            _child("programmation", "Programmation", "Programming"),
            _child("donnees-ia", "Données et intelligence artificielle", "Data and AI"),
            _child("reseaux-securite", "Réseaux et cybersécurité", "Networks and security"),
        ),
    ),
    DisciplineSeed(
        "economie-gestion",
        "Économie et gestion",
        "Economics and management",
        "ECO",
        (
            _child("economie-developpement", "Économie du développement", "Development economics"),
            _child("finance-microfinance", "Finance et microfinance", "Finance and microfinance"),
            _child("management", "Management des organisations", "Management"),
        ),
    ),
    DisciplineSeed(
        "droit",
        "Droit",
        "Law",
        "DRT",
        (
            _child("droit-ohada", "Droit des affaires OHADA", "OHADA business law"),
            _child("droits-humains", "Droits humains", "Human rights"),
            _child("droit-numerique", "Droit du numérique", "Digital law"),
        ),
    ),
    DisciplineSeed(
        "mathematiques",
        "Mathématiques",
        "Mathematics",
        "MAT",
        (
            _child("statistique", "Statistique", "Statistics"),
            _child("analyse-algebre", "Analyse et algèbre", "Analysis and algebra"),
            _child("maths-appliquees", "Mathématiques appliquées", "Applied mathematics"),
        ),
    ),
    DisciplineSeed(
        "langues-lettres",
        "Langues et lettres",
        "Languages and literature",
        "LET",
        (
            _child("fle", "Français langue étrangère", "French as a foreign language"),
            _child(
                "litteratures-francophones", "Littératures francophones", "Francophone literature"
            ),
            _child("linguistique", "Linguistique", "Linguistics"),
        ),
    ),
    DisciplineSeed(
        "sciences-politiques",
        "Sciences politiques",
        "Political science",
        "POL",
        (
            _child("gouvernance", "Gouvernance et politiques publiques", "Governance and policy"),
            _child(
                "relations-internationales", "Relations internationales", "International relations"
            ),
            _child("decentralisation", "Décentralisation et territoires", "Decentralisation"),
        ),
    ),
    DisciplineSeed(
        "energie-climat",
        "Énergie et climat",
        "Energy and climate",
        "ENE",
        (
            _child("energies-renouvelables", "Énergies renouvelables", "Renewable energy"),
            _child("changement-climatique", "Changement climatique", "Climate change"),
            _child("efficacite-energetique", "Efficacité énergétique", "Energy efficiency"),
        ),
    ),
    DisciplineSeed(
        "entrepreneuriat",
        "Entrepreneuriat",
        "Entrepreneurship",
        "ENT",
        (
            _child("creation-entreprise", "Création d'entreprise", "Starting a business"),
            _child("innovation-sociale", "Innovation sociale", "Social innovation"),
            _child("ess", "Économie sociale et solidaire", "Social and solidarity economy"),
        ),
    ),
    DisciplineSeed(
        "histoire-patrimoine",
        "Histoire et patrimoine",
        "History and heritage",
        "HIS",
        (
            _child("histoire-afrique", "Histoire de l'Afrique", "African history"),
            _child("patrimoine-culturel", "Patrimoine culturel", "Cultural heritage"),
            _child("archives-memoire", "Archives et mémoire", "Archives and memory"),
        ),
    ),
    DisciplineSeed(
        "physique-chimie",
        "Physique-chimie",
        "Physics and chemistry",
        "PHY",
        (
            _child("physique", "Physique", "Physics"),
            _child("chimie", "Chimie", "Chemistry"),
            _child("sciences-materiaux", "Sciences des matériaux", "Materials science"),
        ),
    ),
    DisciplineSeed(
        "sciences-sociales",
        "Sciences sociales",
        "Social sciences",
        "SOC",
        (
            _child("sociologie", "Sociologie", "Sociology"),
            _child("demographie", "Démographie", "Demography"),
            _child("genre-developpement", "Genre et développement", "Gender and development"),
        ),
    ),
)


@dataclass(frozen=True)
class LanguageSeed:
    code: str
    name_fr: str
    name_en: str


# Teaching languages first, then the subtitle languages of the network.
LANGUAGES: tuple[LanguageSeed, ...] = (
    LanguageSeed("fr", "Français", "French"),
    LanguageSeed("en", "Anglais", "English"),
    LanguageSeed("ar", "Arabe", "Arabic"),
    LanguageSeed("wo", "Wolof", "Wolof"),
    LanguageSeed("ln", "Lingala", "Lingala"),
    LanguageSeed("mg", "Malgache", "Malagasy"),
    LanguageSeed("ht", "Créole haïtien", "Haitian Creole"),
    LanguageSeed("es", "Espagnol", "Spanish"),
    LanguageSeed("pt", "Portugais", "Portuguese"),
)
