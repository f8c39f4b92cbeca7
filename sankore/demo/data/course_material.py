"""Prose the course builder composes descriptions, outcomes and teacher bios from.

Per top-level discipline: a context sentence, the audience, a pool of learning outcomes,
prerequisites and research topics (for teacher bios). Plus, per teaching language, the
sentences on the course format that every discipline shares.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DisciplineMaterial:
    context: str
    audience: str
    outcomes: tuple[str, ...]
    # (for an introductory course, for an intermediate or advanced one)
    prerequisites: tuple[str, str]
    research_topics: tuple[str, ...]


MATERIAL: dict[str, DisciplineMaterial] = {
    "sciences-education": DisciplineMaterial(
        context=(
            "Chaque séquence part d'une situation de classe réelle, filmée dans des écoles et "
            "des universités du réseau, et propose des outils directement réutilisables."
        ),
        audience=(
            "Il s'adresse aux enseignants du primaire au supérieur, aux conseillers "
            "pédagogiques et aux étudiants des écoles normales."
        ),
        outcomes=(
            "Formuler des objectifs d'apprentissage observables",
            "Aligner activités, évaluations et objectifs d'un cours",
            "Concevoir une activité collaborative en ligne",
            "Construire une grille d'évaluation critériée",
            "Adapter une séquence à des apprenants aux profils variés",
            "Analyser sa pratique à partir de traces d'apprentissage",
            "Choisir un outil numérique en fonction d'une intention pédagogique",
        ),
        prerequisites=(
            "Aucun prérequis : une première expérience d'enseignement est un plus.",
            "Avoir déjà conçu ou donné un cours, en présentiel ou à distance.",
        ),
        research_topics=(
            "l'évaluation des apprentissages dans l'enseignement supérieur",
            "la formation continue des enseignants en Afrique subsaharienne",
            "les usages du numérique dans les écoles rurales",
            "le tutorat dans les formations à distance",
        ),
    ),
    "sante-publique": DisciplineMaterial(
        context=(
            "Les études de cas viennent de districts sanitaires du Bénin, du Burkina Faso, de "
            "Madagascar et d'Haïti, et sont commentées par les équipes qui les ont vécues."
        ),
        audience=(
            "Il s'adresse aux médecins, infirmiers, sages-femmes et agents de santé "
            "communautaire, ainsi qu'aux étudiants en santé."
        ),
        outcomes=(
            "Calculer et interpréter les principaux indicateurs de santé",
            "Décrire le fonctionnement d'un système de surveillance épidémiologique",
            "Identifier les déterminants sociaux d'un problème de santé",
            "Planifier une intervention de santé communautaire",
            "Critiquer une étude publiée en santé publique",
            "Organiser la collecte de données dans un centre de santé",
            "Communiquer un message de prévention adapté à une communauté",
        ),
        prerequisites=(
            "Aucun prérequis : des notions de biologie facilitent le suivi.",
            "Une formation initiale en santé ou une expérience de terrain.",
        ),
        research_topics=(
            "la surveillance du paludisme en milieu rural",
            "le financement de la santé et les mutuelles communautaires",
            "la santé de la mère et de l'enfant",
            "les maladies tropicales négligées",
        ),
    ),
    "agronomie-environnement": DisciplineMaterial(
        context=(
            "Les vidéos ont été tournées dans des exploitations familiales et des stations de "
            "recherche, du Sahel aux hautes terres malgaches."
        ),
        audience=(
            "Il s'adresse aux étudiants en agronomie, aux conseillers agricoles, aux agents des "
            "services techniques et aux responsables d'organisations paysannes."
        ),
        outcomes=(
            "Diagnostiquer la fertilité d'un sol à partir d'observations de terrain",
            "Comparer des systèmes de culture selon leur durabilité",
            "Dimensionner un dispositif simple de gestion de l'eau",
            "Concevoir un essai au champ avec des producteurs",
            "Estimer l'effet d'une pratique sur le revenu d'une exploitation",
            "Cartographier les ressources naturelles d'un terroir",
            "Animer un échange de savoirs entre agriculteurs",
        ),
        prerequisites=(
            "Aucun prérequis particulier.",
            "Des bases en biologie végétale ou une expérience agricole.",
        ),
        research_topics=(
            "la restauration des sols dégradés au Sahel",
            "la gestion communautaire de l'eau",
            "l'agroforesterie à base de karité et de néré",
            "la conservation des forêts humides",
        ),
    ),
    "informatique-numerique": DisciplineMaterial(
        context=(
            "Tous les exercices se font avec des logiciels libres et fonctionnent sur un "
            "ordinateur modeste ; les environnements en ligne sont proposés en option."
        ),
        audience=(
            "Il s'adresse aux étudiants, aux techniciens et aux professionnels en "
            "reconversion qui veulent acquérir des compétences numériques solides."
        ),
        outcomes=(
            "Écrire un programme lisible, commenté et testé",
            "Décomposer un problème en sous-problèmes simples",
            "Concevoir le schéma d'une base de données",
            "Mettre en œuvre les règles de base de la sécurité informatique",
            "Utiliser un gestionnaire de versions pour travailler à plusieurs",
            "Évaluer les limites et les biais d'un système automatisé",
            "Publier un service web accessible et léger",
        ),
        prerequisites=(
            "Aucun prérequis : savoir utiliser un ordinateur suffit.",
            "Avoir déjà écrit quelques programmes, dans n'importe quel langage.",
        ),
        research_topics=(
            "le traitement automatique des langues africaines",
            "les réseaux communautaires en zone rurale",
            "la sécurité des systèmes d'information",
            "les données ouvertes au service du développement",
        ),
    ),
    "economie-gestion": DisciplineMaterial(
        context=(
            "Les notions sont illustrées par des données de la BCEAO, de la BEAC et des "
            "instituts nationaux de statistique, et par des entreprises de la région."
        ),
        audience=(
            "Il s'adresse aux étudiants en économie et en gestion, aux cadres des "
            "administrations et aux responsables de PME."
        ),
        outcomes=(
            "Lire et interpréter des états financiers",
            "Analyser un marché à l'aide d'outils économiques simples",
            "Construire le budget prévisionnel d'un projet",
            "Évaluer la rentabilité d'un investissement",
            "Expliquer les effets d'une politique économique",
            "Mettre en place des indicateurs de suivi d'une activité",
            "Argumenter une recommandation à partir de données",
        ),
        prerequisites=(
            "Aucun prérequis : des notions de calcul de pourcentages suffisent.",
            "Des bases en économie générale ou en comptabilité.",
        ),
        research_topics=(
            "l'intégration monétaire en Afrique de l'Ouest",
            "l'inclusion financière par le paiement mobile",
            "l'économie informelle urbaine",
            "la gouvernance des entreprises familiales",
        ),
    ),
    "droit": DisciplineMaterial(
        context=(
            "Le cours s'appuie sur la jurisprudence des juridictions nationales et régionales "
            "et sur des cas pratiques corrigés pas à pas."
        ),
        audience=(
            "Il s'adresse aux étudiants en droit, aux juristes d'entreprise, aux praticiens "
            "du droit et aux membres d'associations."
        ),
        outcomes=(
            "Identifier la règle de droit applicable à une situation",
            "Rédiger une consultation juridique structurée",
            "Commenter une décision de justice",
            "Distinguer les sources nationales, régionales et internationales du droit",
            "Analyser les clauses essentielles d'un contrat",
            "Mobiliser un mécanisme de protection des droits",
            "Conseiller une organisation sur ses obligations légales",
        ),
        prerequisites=(
            "Aucun prérequis juridique.",
            "Une première année de droit ou une pratique professionnelle équivalente.",
        ),
        research_topics=(
            "le droit uniforme OHADA",
            "la protection régionale des droits humains",
            "le droit du numérique en Afrique",
            "le droit foncier coutumier",
        ),
    ),
    "mathematiques": DisciplineMaterial(
        context=(
            "Chaque notion est introduite par un problème concret, puis travaillée avec des "
            "exercices corrigés et des quiz à rétroaction immédiate."
        ),
        audience=(
            "Il s'adresse aux bacheliers, aux étudiants de licence et à tous ceux qui "
            "reprennent des études scientifiques."
        ),
        outcomes=(
            "Mener un raisonnement mathématique rigoureux",
            "Modéliser une situation concrète par des équations",
            "Résoudre des exercices types avec méthode",
            "Interpréter un résultat statistique avec prudence",
            "Utiliser un logiciel de calcul pour vérifier ses résultats",
            "Rédiger une démonstration claire",
            "Choisir une méthode adaptée à un problème donné",
        ),
        prerequisites=(
            "Le niveau de mathématiques de fin de lycée.",
            "Une première année de licence scientifique.",
        ),
        research_topics=(
            "la modélisation des épidémies",
            "les statistiques d'enquêtes de ménages",
            "l'optimisation des réseaux de transport",
            "la didactique des mathématiques",
        ),
    ),
    "langues-lettres": DisciplineMaterial(
        context=(
            "Les textes étudiés viennent de toute la Francophonie et sont lus à voix haute par "
            "des comédiens et des auteurs du réseau."
        ),
        audience=(
            "Il s'adresse aux étudiants de lettres et de langues, aux enseignants de français "
            "et à tous les amoureux des textes."
        ),
        outcomes=(
            "Analyser un texte littéraire avec méthode",
            "Situer une œuvre dans son contexte historique et culturel",
            "Rédiger un texte argumenté en français",
            "Décrire les variations du français dans l'espace francophone",
            "Concevoir une activité de classe de langue",
            "Comparer des œuvres de différentes aires francophones",
            "Améliorer sa compréhension et son expression orales",
        ),
        prerequisites=(
            "Aucun prérequis.",
            "Un niveau B2 en français ou des études de lettres.",
        ),
        research_topics=(
            "les littératures africaines contemporaines",
            "le français en contact avec les langues africaines",
            "la didactique du français langue étrangère",
            "la poésie caribéenne",
        ),
    ),
    "sciences-politiques": DisciplineMaterial(
        context=(
            "Les séquences croisent les regards de chercheurs, de diplomates et d'élus locaux "
            "de plusieurs régions de la Francophonie."
        ),
        audience=(
            "Il s'adresse aux étudiants en science politique, aux agents publics, aux élus et "
            "aux membres de la société civile."
        ),
        outcomes=(
            "Analyser le cycle d'une politique publique",
            "Identifier les acteurs d'une décision et leurs intérêts",
            "Comparer des systèmes politiques",
            "Évaluer un dispositif de participation citoyenne",
            "Rédiger une note de synthèse pour un décideur",
            "Expliquer le fonctionnement des organisations régionales",
            "Analyser une crise à partir de sources variées",
        ),
        prerequisites=(
            "Aucun prérequis.",
            "Des bases en droit public ou en science politique.",
        ),
        research_topics=(
            "la décentralisation en Afrique de l'Ouest",
            "les organisations régionales africaines",
            "les processus électoraux",
            "la sécurité au Sahel",
        ),
    ),
    "energie-climat": DisciplineMaterial(
        context=(
            "Les projets présentés ont été réalisés dans des villages, des écoles et des "
            "centres de santé ; leurs données de fonctionnement sont fournies."
        ),
        audience=(
            "Il s'adresse aux ingénieurs, aux techniciens, aux agents des collectivités et aux "
            "porteurs de projets énergétiques ou climatiques."
        ),
        outcomes=(
            "Estimer les besoins énergétiques d'un site",
            "Dimensionner une installation d'énergie renouvelable",
            "Évaluer la vulnérabilité d'un territoire aux aléas climatiques",
            "Calculer un bilan de gaz à effet de serre simplifié",
            "Monter le dossier de financement d'un projet climat",
            "Comparer des options techniques selon leur coût complet",
            "Planifier la maintenance d'un équipement",
        ),
        prerequisites=(
            "Aucun prérequis : des notions de physique de lycée aident.",
            "Des bases en électricité ou en sciences de l'environnement.",
        ),
        research_topics=(
            "l'électrification rurale décentralisée",
            "l'adaptation au changement climatique dans les deltas",
            "la performance des systèmes photovoltaïques en climat chaud",
            "l'architecture bioclimatique",
        ),
    ),
    "entrepreneuriat": DisciplineMaterial(
        context=(
            "Des entrepreneurs de Dakar, d'Abidjan, de Tunis et de Port-au-Prince racontent "
            "leurs réussites et leurs échecs, et les exercices suivent votre propre projet."
        ),
        audience=(
            "Il s'adresse aux étudiants, aux jeunes diplômés, aux porteurs de projet et aux "
            "accompagnateurs d'entreprises."
        ),
        outcomes=(
            "Formuler une proposition de valeur",
            "Tester une hypothèse de marché auprès de clients",
            "Construire un modèle économique cohérent",
            "Établir un plan de financement",
            "Présenter son projet à des partenaires",
            "Choisir une forme juridique adaptée",
            "Mesurer l'impact social d'une activité",
        ),
        prerequisites=(
            "Aucun prérequis : une idée de projet, même vague, suffit.",
            "Avoir un projet d'entreprise en cours de définition.",
        ),
        research_topics=(
            "l'entrepreneuriat des jeunes diplômés",
            "les coopératives et l'économie sociale",
            "l'innovation frugale",
            "le financement des très petites entreprises",
        ),
    ),
    "histoire-patrimoine": DisciplineMaterial(
        context=(
            "Le cours mobilise archives, cartes, objets de musée et témoignages, présentés par "
            "les historiens et les conservateurs qui les étudient."
        ),
        audience=(
            "Il s'adresse aux étudiants en histoire, aux professionnels de la culture et du "
            "tourisme, aux enseignants et au grand public curieux."
        ),
        outcomes=(
            "Analyser une source historique avec esprit critique",
            "Situer un événement dans une chronologie longue",
            "Présenter un site ou un objet patrimonial à un public",
            "Élaborer un plan de conservation simple",
            "Comparer des interprétations historiques",
            "Recueillir et archiver un témoignage oral",
            "Décrire un document selon les normes archivistiques",
        ),
        prerequisites=(
            "Aucun prérequis.",
            "Des bases en histoire ou une pratique professionnelle du patrimoine.",
        ),
        research_topics=(
            "l'histoire des empires sahéliens",
            "la conservation du patrimoine bâti en terre",
            "les archives coloniales et leur accès",
            "l'histoire orale des indépendances",
        ),
    ),
    "physique-chimie": DisciplineMaterial(
        context=(
            "Les expériences sont filmées au laboratoire et reproductibles avec du matériel "
            "simple ; des simulations libres complètent les travaux pratiques."
        ),
        audience=(
            "Il s'adresse aux étudiants de licence scientifique, aux élèves ingénieurs et aux "
            "enseignants de physique-chimie du secondaire."
        ),
        outcomes=(
            "Appliquer les lois fondamentales à des situations concrètes",
            "Conduire une expérience et en exploiter les mesures",
            "Estimer les incertitudes d'une mesure",
            "Relier la structure d'un matériau à ses propriétés",
            "Respecter les règles de sécurité au laboratoire",
            "Résoudre un problème par une démarche scientifique",
            "Présenter des résultats expérimentaux",
        ),
        prerequisites=(
            "Le niveau de physique-chimie de fin de lycée.",
            "Une première année de licence scientifique.",
        ),
        research_topics=(
            "les matériaux de construction biosourcés",
            "la qualité des eaux de surface",
            "la physique des semi-conducteurs",
            "la chimie des plantes médicinales",
        ),
    ),
    "sciences-sociales": DisciplineMaterial(
        context=(
            "Les enquêtes présentées ont été menées dans des villes et des villages de la "
            "Francophonie, et leurs chercheurs expliquent leurs choix de méthode."
        ),
        audience=(
            "Il s'adresse aux étudiants en sciences sociales, aux travailleurs sociaux, aux "
            "agents de développement et aux journalistes."
        ),
        outcomes=(
            "Construire une question de recherche",
            "Mener un entretien semi-directif",
            "Analyser des données démographiques simples",
            "Identifier les inégalités dans un contexte donné",
            "Rédiger un rapport d'enquête",
            "Mobiliser les concepts de base de la sociologie",
            "Intégrer l'analyse de genre dans un projet",
        ),
        prerequisites=(
            "Aucun prérequis.",
            "Des bases en sciences sociales ou une expérience de terrain.",
        ),
        research_topics=(
            "la jeunesse urbaine et l'emploi",
            "les dynamiques démographiques en Afrique",
            "les rapports de genre dans l'agriculture",
            "les migrations de travail",
        ),
    ),
}

# Sentences on the course format, by teaching language; one is picked per course.
FORMAT_SENTENCES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Chaque semaine alterne courtes vidéos, lectures, quiz et échanges sur le forum.",
        "Le cours combine vidéos sous-titrées, fiches à télécharger et un devoir évalué par "
        "les pairs.",
        "Les ressources sont légères et téléchargeables, pour suivre le cours même avec une "
        "connexion lente.",
        "Une étude de cas guide chaque semaine ; un projet final permet de mettre en pratique "
        "l'ensemble du cours.",
        "Des classes virtuelles en direct, enregistrées, complètent les vidéos et les "
        "exercices autocorrigés.",
    ),
    "en": (
        "Each week mixes short videos, readings, quizzes and forum discussions.",
        "Videos are subtitled and every resource can be downloaded for offline study.",
        "A case study runs through each week, and a final project brings it all together.",
    ),
    "ar": (
        "يتضمن كل أسبوع مقاطع فيديو قصيرة وقراءات واختبارات ونقاشات في المنتدى.",
        "جميع الموارد قابلة للتنزيل لمتابعة المساق حتى مع اتصال بطيء بالإنترنت.",
    ),
}

AUDIENCE: dict[str, str] = {
    "en": (
        "It is open to students, professionals and anyone across the French-speaking world "
        "who is comfortable reading in English."
    ),
    "ar": "يتوجه المساق إلى الطلاب والمهنيين وكل من يرغب في تطوير معارفه في هذا المجال.",
}

PREREQUISITES: dict[str, tuple[str, str]] = {
    "en": ("None.", "An introductory course in the field, or equivalent experience."),
    "ar": ("لا توجد متطلبات مسبقة.", "معرفة أساسية بالمجال أو خبرة مهنية مماثلة."),
}
