"""The courses of the demo catalog: title and summary per discipline, in teaching order.

Entries are append-only: a course's code is its discipline prefix and its position here
("SAN-103"), and codes are the idempotency key of ``seed_demo``. English and Arabic courses
carry their own learning outcomes; French ones draw theirs from ``course_material``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CourseText:
    discipline: str  # a sub-discipline's slug, or a top-level one's
    title: str
    summary: str
    language: str = "fr"
    outcomes: tuple[str, ...] = ()
    slug: str = ""  # only where the title does not slugify (Arabic)


def _en(discipline: str, title: str, summary: str, outcomes: tuple[str, ...]) -> CourseText:
    return CourseText(discipline, title, summary, "en", outcomes)


def _ar(
    discipline: str, slug: str, title: str, summary: str, outcomes: tuple[str, ...]
) -> CourseText:
    return CourseText(discipline, title, summary, "ar", outcomes, slug)


C = CourseText

# The programme's flagship teacher-training course, owned by the agency.
FLAGSHIP = CourseText(
    "ingenierie-pedagogique",
    "Concevoir et animer un CLOM",
    "De l'idée au premier jour de session : scénariser, produire, animer et évaluer un cours "
    "en ligne ouvert et massif, avec l'équipe d'accompagnement du programme.",
)
FLAGSHIP_CODE = "EDU-100"

COURSES: dict[str, tuple[CourseText, ...]] = {
    "sciences-education": (
        C(
            "ingenierie-pedagogique",
            "Scénariser un cours hybride",
            "Articuler présentiel et distance : scénarios, activités et calendrier d'un cours "
            "hybride réussi.",
        ),
        C(
            "ingenierie-pedagogique",
            "Évaluer les apprentissages en ligne",
            "Quiz, devoirs évalués par les pairs, portfolios : construire des évaluations "
            "fiables à distance.",
        ),
        C(
            "formation-enseignants",
            "Enseigner dans les classes à grands effectifs",
            "Des stratégies éprouvées pour faire apprendre 80 élèves et plus : organisation, "
            "travail en groupes, évaluation formative.",
        ),
        C(
            "formation-enseignants",
            "Gérer une classe multigrade dans les écoles rurales",
            "Planifier, différencier et évaluer quand plusieurs niveaux partagent la même "
            "salle et le même enseignant.",
        ),
        C(
            "formation-enseignants",
            "Pédagogie universitaire : premiers pas",
            "Préparer un cours, animer un amphithéâtre et accompagner les étudiants de "
            "première année.",
        ),
        C(
            "numerique-educatif",
            "Ressources éducatives libres : trouver, adapter, partager",
            "Licences Creative Commons, dépôts ouverts et bonnes pratiques pour réutiliser des "
            "ressources en toute légalité.",
        ),
        C(
            "numerique-educatif",
            "Enseigner avec le téléphone mobile",
            "Concevoir des activités d'apprentissage qui fonctionnent sur un téléphone modeste, "
            "avec une connexion intermittente.",
        ),
        C(
            "education-de-base",
            "Alphabétisation des adultes : méthodes et pratiques",
            "Les approches fonctionnelles de l'alphabétisation, du premier mot écrit à "
            "l'autonomie dans la vie quotidienne.",
        ),
        C(
            "education-de-base",
            "Éducation inclusive : accueillir tous les élèves",
            "Repérer les besoins particuliers et adapter l'école pour que chaque enfant, y "
            "compris en situation de handicap, apprenne.",
        ),
        C(
            "formation-enseignants",
            "Tutorat à distance : accompagner les apprenants",
            "Le rôle du tuteur en ligne : motiver, relancer, répondre sur le forum et repérer "
            "les décrochages.",
        ),
        _en(
            "numerique-educatif",
            "Designing Online Courses for Low-Bandwidth Contexts",
            "Build courses that work on slow, costly and intermittent connections: lightweight "
            "media, offline access and SMS follow-up.",
            (
                "Audit a course for bandwidth and device constraints",
                "Choose lightweight formats for video, audio and documents",
                "Plan offline and SMS-based learner support",
            ),
        ),
        _ar(
            "numerique-educatif",
            "talim-iliktroni-mabadi-wa-mumarasat",
            "التعليم الإلكتروني: المبادئ والممارسات",
            "يقدّم هذا المساق أسس تصميم التعليم عن بُعد واختيار الأدوات الرقمية المناسبة "
            "وتقييم تعلّم الطلاب عبر الإنترنت.",
            (
                "تصميم نشاط تعليمي عبر الإنترنت",
                "اختيار أدوات رقمية ملائمة للسياق",
                "بناء تقييم تكويني عن بُعد",
            ),
        ),
    ),
    "sante-publique": (
        C(
            "epidemiologie",
            "Introduction à l'épidémiologie",
            "Mesurer la santé d'une population : taux, risques, biais et grands types d'enquêtes.",
        ),
        C(
            "epidemiologie",
            "Surveillance des maladies à potentiel épidémique",
            "Organiser la remontée des cas, détecter une flambée et alerter à temps : "
            "l'exemple du choléra et de la rougeole.",
        ),
        C(
            "epidemiologie",
            "Le paludisme : de la biologie à la lutte",
            "Comprendre le parasite et son vecteur pour mieux prévenir, diagnostiquer et "
            "traiter le paludisme.",
        ),
        C(
            "sante-mere-enfant",
            "Santé maternelle et néonatale",
            "Suivi de la grossesse, accouchement assisté et soins au nouveau-né : ce qui sauve "
            "des vies dans les centres de santé.",
        ),
        C(
            "sante-mere-enfant",
            "Vaccination : organiser une campagne",
            "Chaîne du froid, micro-planification et dialogue avec les communautés pour une "
            "couverture vaccinale élevée.",
        ),
        C(
            "nutrition",
            "Nutrition et santé publique",
            "Malnutrition aiguë, carences en micronutriments et surpoids : dépister et agir à "
            "l'échelle d'un district.",
        ),
        C(
            "nutrition",
            "Sécurité alimentaire des ménages",
            "Mesurer l'accès à l'alimentation et concevoir des interventions adaptées aux "
            "périodes de soudure.",
        ),
        C(
            "systemes-de-sante",
            "Gérer un district sanitaire",
            "Planification, supervision, médicaments essentiels et information sanitaire : le "
            "métier de médecin-chef de district.",
        ),
        C(
            "systemes-de-sante",
            "Couverture santé universelle : enjeux et financements",
            "Mutuelles, assurance maladie et gratuités ciblées : comment les pays francophones "
            "financent l'accès aux soins.",
        ),
        C(
            "systemes-de-sante",
            "Une seule santé : humains, animaux, environnement",
            "Santé humaine, animale et environnementale sont liées : comprendre les zoonoses et "
            "travailler ensemble.",
        ),
        _en(
            "systemes-de-sante",
            "Global Health: Challenges and Actors",
            "Who shapes health worldwide, how global initiatives are funded, and what they "
            "change in French-speaking countries.",
            (
                "Describe the main actors of global health",
                "Analyse how a global health initiative is financed",
                "Discuss equity in North–South health partnerships",
            ),
        ),
        _ar(
            "epidemiologie",
            "mabadi-al-sihha-al-amma",
            "مبادئ الصحة العامة",
            "مدخل إلى مفاهيم الصحة العامة: قياس صحة السكان، والوقاية من الأمراض، وتنظيم "
            "الخدمات الصحية.",
            (
                "حساب المؤشرات الصحية الأساسية",
                "شرح مستويات الوقاية من الأمراض",
                "تحليل تنظيم نظام صحي وطني",
            ),
        ),
    ),
    "agronomie-environnement": (
        C(
            "agroecologie",
            "Agroécologie en zone sahélienne",
            "Zaï, demi-lunes, haies vives et associations de cultures : restaurer les sols et "
            "stabiliser les rendements.",
        ),
        C(
            "agroecologie",
            "Sols vivants : fertilité et compostage",
            "Comprendre la vie du sol et produire un compost de qualité pour nourrir les "
            "cultures sans épuiser la terre.",
        ),
        C(
            "agroecologie",
            "Gestion intégrée des ravageurs des cultures",
            "Observer, prévenir et lutter contre les ravageurs en limitant l'usage des "
            "pesticides de synthèse.",
        ),
        C(
            "gestion-eau",
            "Irrigation à petite échelle",
            "Goutte-à-goutte, pompage solaire et calendrier d'arrosage pour les maraîchers et "
            "les petits périmètres.",
        ),
        C(
            "gestion-eau",
            "Eau potable et assainissement en milieu rural",
            "Forages, latrines, gestion communautaire des points d'eau : concevoir des services "
            "durables.",
        ),
        C(
            "gestion-eau",
            "Gestion intégrée des ressources en eau",
            "Partager l'eau d'un bassin entre villes, agriculture et écosystèmes : outils et "
            "instances de gouvernance.",
        ),
        C(
            "forets-biodiversite",
            "Forêts tropicales : écologie et gestion durable",
            "Fonctionnement des forêts du bassin du Congo et de Madagascar, et pratiques "
            "d'exploitation responsable.",
        ),
        C(
            "forets-biodiversite",
            "Aires protégées et communautés locales",
            "Concilier conservation de la biodiversité et moyens d'existence des populations "
            "riveraines.",
        ),
        C(
            "agroecologie",
            "Élevage pastoral et transhumance",
            "Mobilité des troupeaux, santé animale et prévention des conflits entre "
            "agriculteurs et éleveurs.",
        ),
        C(
            "forets-biodiversite",
            "Agroforesterie : des arbres dans les champs",
            "Associer les arbres aux cultures pour diversifier les revenus, protéger les sols et "
            "stocker du carbone.",
        ),
        _en(
            "agroecologie",
            "Climate-Smart Agriculture",
            "Farming practices that raise yields, build resilience to drought and cut "
            "emissions, with field cases from the Sahel.",
            (
                "Explain the three pillars of climate-smart agriculture",
                "Select practices suited to a given farming system",
                "Assess the trade-offs of a climate-smart project",
            ),
        ),
    ),
    "informatique-numerique": (
        C(
            "programmation",
            "Initiation à la programmation avec Python",
            "Variables, boucles, fonctions : écrire ses premiers programmes pas à pas, sans "
            "prérequis.",
        ),
        C(
            "programmation",
            "Développement web : HTML, CSS et accessibilité",
            "Construire des pages web légères, lisibles sur mobile et accessibles à toutes et "
            "à tous.",
        ),
        C(
            "programmation",
            "Algorithmique et structures de données",
            "Tris, recherches, listes, arbres et graphes : raisonner sur l'efficacité d'un "
            "programme.",
        ),
        C(
            "donnees-ia",
            "Bases de données relationnelles et SQL",
            "Modéliser des données, écrire des requêtes SQL et garantir l'intégrité d'une base.",
        ),
        C(
            "donnees-ia",
            "Intelligence artificielle : comprendre pour décider",
            "Ce que l'apprentissage automatique sait faire, ses limites et ses biais, expliqués "
            "sans équations.",
        ),
        C(
            "donnees-ia",
            "Science des données pour le développement",
            "Collecter, nettoyer et visualiser des données ouvertes pour éclairer les "
            "politiques publiques.",
        ),
        C(
            "reseaux-securite",
            "Réseaux informatiques : les fondamentaux",
            "Adresses IP, routage, Wi-Fi : comprendre et dépanner le réseau d'un campus ou "
            "d'une école.",
        ),
        C(
            "reseaux-securite",
            "Cybersécurité : hygiène numérique",
            "Mots de passe, hameçonnage, sauvegardes : se protéger et protéger son organisation "
            "au quotidien.",
        ),
        C(
            "programmation",
            "Logiciels libres et communs numériques",
            "Licences, communautés et modèles économiques du logiciel libre, et comment y "
            "contribuer.",
        ),
        C(
            "reseaux-securite",
            "Administrer un serveur Linux",
            "Installer, sécuriser et maintenir un serveur pour héberger les services numériques "
            "d'un établissement.",
        ),
        _en(
            "donnees-ia",
            "Introduction to Machine Learning",
            "Supervised and unsupervised learning, model evaluation and responsible use, with "
            "hands-on Python notebooks.",
            (
                "Train and evaluate a simple classifier",
                "Recognise overfitting and data leakage",
                "Discuss bias and fairness in automated decisions",
            ),
        ),
        _en(
            "programmation",
            "Offline-First Mobile Apps",
            "Design and build mobile applications that keep working without a network and "
            "synchronise when it returns.",
            (
                "Design an offline-first data model",
                "Implement local storage and background synchronisation",
                "Test an app under poor network conditions",
            ),
        ),
        _ar(
            "programmation",
            "asasiyat-al-barmaja-bi-python",
            "أساسيات البرمجة بلغة بايثون",
            "تعلّم المتغيرات والحلقات والدوال لكتابة برامجك الأولى خطوة بخطوة، دون أي معرفة مسبقة.",
            (
                "كتابة برنامج بسيط بلغة بايثون",
                "استخدام الحلقات والشروط",
                "تقسيم المسألة إلى دوال",
            ),
        ),
    ),
    "economie-gestion": (
        C(
            "economie-developpement",
            "Introduction à l'économie du développement",
            "Croissance, pauvreté, inégalités : les grandes théories et ce que disent les "
            "données des pays francophones.",
        ),
        C(
            "economie-developpement",
            "Économie de l'Afrique de l'Ouest : l'intégration régionale",
            "UEMOA, CEDEAO, monnaie commune et zone de libre-échange continentale : les enjeux "
            "de l'intégration économique.",
        ),
        C(
            "economie-developpement",
            "Économie informelle : comprendre et accompagner",
            "Le secteur informel fait vivre la majorité des ménages ; comment le mesurer et "
            "soutenir ses entrepreneurs.",
        ),
        C(
            "finance-microfinance",
            "Microfinance et inclusion financière",
            "Tontines, institutions de microfinance et paiement mobile : l'accès au crédit et à "
            "l'épargne des ménages.",
        ),
        C(
            "finance-microfinance",
            "Comptabilité générale : les bases",
            "Bilan, compte de résultat et plan comptable SYSCOHADA expliqués à partir de cas "
            "concrets.",
        ),
        C(
            "finance-microfinance",
            "Finance d'entreprise",
            "Évaluer un projet d'investissement, choisir un financement et piloter la trésorerie.",
        ),
        C(
            "management",
            "Gestion de projet de développement",
            "Cadre logique, budget, suivi-évaluation : mener un projet financé par des "
            "bailleurs du début à la fin.",
        ),
        C(
            "management",
            "Gestion des ressources humaines",
            "Recruter, former, évaluer et fidéliser les équipes d'une organisation publique ou "
            "privée.",
        ),
        C(
            "management",
            "Marketing digital pour les PME",
            "Réseaux sociaux, référencement et commerce en ligne pour développer une petite "
            "entreprise.",
        ),
        C(
            "management",
            "Logistique et chaîne d'approvisionnement",
            "Transport, stockage et ports : organiser des flux de marchandises fiables et moins "
            "coûteux.",
        ),
        _en(
            "economie-developpement",
            "Impact Evaluation of Development Programmes",
            "Randomised trials, difference-in-differences and other methods to learn what "
            "works in development policy.",
            (
                "Formulate an evaluation question and a theory of change",
                "Choose an identification strategy",
                "Read and criticise an impact evaluation report",
            ),
        ),
        _ar(
            "finance-microfinance",
            "mabadi-al-muhasaba-al-maliya",
            "مبادئ المحاسبة المالية",
            "الميزانية وحساب النتائج والقيود المحاسبية، من خلال حالات عملية من المؤسسات "
            "الصغيرة والمتوسطة.",
            (
                "تسجيل العمليات في دفتر اليومية",
                "إعداد الميزانية وحساب النتائج",
                "تحليل الوضعية المالية لمؤسسة صغيرة",
            ),
        ),
    ),
    "droit": (
        C(
            "droit-ohada",
            "Droit des affaires OHADA",
            "Les actes uniformes de l'OHADA : sociétés commerciales, sûretés et procédures "
            "collectives.",
        ),
        C(
            "droit-ohada",
            "Droit des contrats commerciaux",
            "Formation, exécution et rupture des contrats entre commerçants dans l'espace OHADA.",
        ),
        C(
            "droit-ohada",
            "Arbitrage et modes alternatifs de règlement des différends",
            "Médiation, conciliation et arbitrage : régler un litige commercial sans aller au "
            "tribunal.",
        ),
        C(
            "droits-humains",
            "Droits humains : fondements et mécanismes de protection",
            "Des textes universels à la Commission africaine : comment les droits humains sont "
            "proclamés et défendus.",
        ),
        C(
            "droits-humains",
            "Droits de l'enfant",
            "La Convention relative aux droits de l'enfant et sa mise en œuvre : éducation, "
            "protection, justice des mineurs.",
        ),
        C(
            "droits-humains",
            "Droit international humanitaire",
            "Les règles qui protègent les civils et les combattants en temps de conflit armé.",
        ),
        C(
            "droit-numerique",
            "Protection des données personnelles",
            "Principes, droits des personnes et obligations des organismes : les lois "
            "africaines et le RGPD comparés.",
        ),
        C(
            "droit-numerique",
            "Droit d'auteur et ressources éducatives",
            "Ce que l'enseignant peut reproduire, adapter et diffuser, et comment placer ses "
            "propres cours sous licence.",
        ),
        C(
            "droit",
            "Droit foncier et accès à la terre",
            "Droit coutumier, titres fonciers et réformes : sécuriser les droits des "
            "agriculteurs et des communautés.",
        ),
        C(
            "droit-numerique",
            "Commerce électronique et signature numérique",
            "Contrats conclus en ligne, preuve électronique et paiement mobile : le cadre "
            "juridique.",
        ),
        _en(
            "droits-humains",
            "Human Rights Advocacy",
            "Document violations, use regional human rights mechanisms and run an advocacy "
            "campaign.",
            (
                "Document a human rights violation to evidentiary standards",
                "Bring a communication before a regional mechanism",
                "Plan an advocacy campaign with clear objectives",
            ),
        ),
        _ar(
            "droit",
            "madkhal-ila-al-qanun-al-dusturi",
            "مدخل إلى القانون الدستوري",
            "الدولة والدستور وفصل السلطات والرقابة على دستورية القوانين في الأنظمة المغاربية "
            "والعربية.",
            (
                "تعريف مفهوم الدستور وأنواعه",
                "شرح مبدأ الفصل بين السلطات",
                "مقارنة آليات الرقابة الدستورية",
            ),
        ),
    ),
    "mathematiques": (
        C(
            "analyse-algebre",
            "Analyse : suites et fonctions",
            "Limites, continuité, dérivées : les bases de l'analyse pour réussir la première "
            "année de licence.",
        ),
        C(
            "analyse-algebre",
            "Algèbre linéaire",
            "Vecteurs, matrices et systèmes d'équations, avec des applications à l'économie et "
            "à l'informatique.",
        ),
        C(
            "statistique",
            "Statistique descriptive",
            "Moyennes, dispersion, graphiques : résumer des données et éviter les pièges "
            "d'interprétation.",
        ),
        C(
            "statistique",
            "Probabilités et statistique inférentielle",
            "Lois de probabilité, estimation et tests : tirer des conclusions fiables d'un "
            "échantillon.",
        ),
        C(
            "statistique",
            "Enquêtes et sondages",
            "Construire un questionnaire, tirer un échantillon et redresser les résultats d'une "
            "enquête de terrain.",
        ),
        C(
            "maths-appliquees",
            "Modélisation mathématique des épidémies",
            "Des équations simples pour comprendre la propagation d'une épidémie et l'effet de "
            "la vaccination.",
        ),
        C(
            "maths-appliquees",
            "Recherche opérationnelle",
            "Programmation linéaire et optimisation pour planifier la production, les "
            "transports ou les horaires.",
        ),
        C(
            "maths-appliquees",
            "Mathématiques financières",
            "Intérêts, annuités, emprunts : les calculs qui fondent la banque et la microfinance.",
        ),
        C(
            "analyse-algebre",
            "Mise à niveau en mathématiques pour l'université",
            "Réviser les notions du lycée pour aborder sereinement les cours de sciences et "
            "d'économie.",
        ),
        C(
            "statistique",
            "Analyse de données avec R",
            "Importer, explorer et modéliser des données avec le logiciel libre R.",
        ),
        _en(
            "statistique",
            "Statistics for Public Health",
            "Descriptive statistics, confidence intervals and regression applied to real "
            "health survey data.",
            (
                "Summarise survey data with appropriate statistics",
                "Compute and interpret a confidence interval",
                "Fit and read a simple regression model",
            ),
        ),
    ),
    "langues-lettres": (
        C(
            "fle",
            "Français langue étrangère : niveau A1",
            "Se présenter, demander son chemin, faire des achats : les premiers pas en français.",
        ),
        C(
            "fle",
            "Français sur objectif universitaire",
            "Comprendre un cours magistral, prendre des notes et rédiger une dissertation en "
            "français.",
        ),
        C(
            "fle",
            "Enseigner le français langue étrangère",
            "Méthodologie de la classe de FLE : compétences, activités communicatives et "
            "évaluation selon le CECR.",
        ),
        C(
            "litteratures-francophones",
            "Littératures africaines francophones",
            "De la négritude aux écritures contemporaines : lire les grands romans et poèmes du "
            "continent.",
        ),
        C(
            "litteratures-francophones",
            "Littérature haïtienne et caribéenne",
            "Une traversée des œuvres d'Haïti, des Antilles et de la Guyane, entre créolité et "
            "exil.",
        ),
        C(
            "litteratures-francophones",
            "Écrire la nouvelle : atelier d'écriture",
            "Construire un personnage, une intrigue et une chute : écrire et réécrire une "
            "nouvelle en six semaines.",
        ),
        C(
            "linguistique",
            "Langues africaines et français en contact",
            "Emprunts, alternances de langues et français d'Afrique : la vie des langues dans "
            "les villes francophones.",
        ),
        C(
            "linguistique",
            "Introduction à la linguistique",
            "Sons, mots, phrases et sens : comment décrire scientifiquement une langue.",
        ),
        C(
            "linguistique",
            "Didactique du plurilinguisme",
            "Enseigner en langue nationale et en français : les approches bilingues dans les "
            "écoles.",
        ),
        C(
            "fle",
            "Rédaction administrative et professionnelle",
            "Lettres, comptes rendus et rapports : écrire clairement dans un cadre professionnel.",
        ),
        _en(
            "litteratures-francophones",
            "Francophone Literature in Translation",
            "Read major novels of the French-speaking world in English translation and discuss "
            "colonialism, exile and identity.",
            (
                "Situate a novel in its historical context",
                "Compare themes across Francophone literatures",
                "Write a short critical essay",
            ),
        ),
        _ar(
            "linguistique",
            "al-tarjama-bayna-al-arabiya-wal-faransiya",
            "الترجمة بين العربية والفرنسية",
            "تقنيات الترجمة ومشكلاتها بين اللغتين في النصوص الإدارية والقانونية والأدبية.",
            (
                "تحليل النص المصدر قبل ترجمته",
                "تطبيق تقنيات الترجمة المناسبة",
                "مراجعة ترجمة وتحسين جودتها",
            ),
        ),
    ),
    "sciences-politiques": (
        C(
            "gouvernance",
            "Gouvernance et politiques publiques",
            "Comment naît une politique publique : acteurs, décisions, mise en œuvre et "
            "évaluation.",
        ),
        C(
            "gouvernance",
            "Lutte contre la corruption",
            "Comprendre les mécanismes de la corruption et les outils de transparence qui "
            "fonctionnent.",
        ),
        C(
            "gouvernance",
            "Élections et démocratie",
            "Organiser des élections crédibles : listes électorales, observation, contentieux.",
        ),
        C(
            "relations-internationales",
            "La Francophonie dans les relations internationales",
            "Histoire, institutions et influence de l'espace francophone dans le monde.",
        ),
        C(
            "relations-internationales",
            "Union africaine et intégration régionale",
            "L'architecture institutionnelle africaine, de l'Union africaine aux communautés "
            "économiques régionales.",
        ),
        C(
            "relations-internationales",
            "Paix et sécurité au Sahel",
            "Conflits, médiations et opérations de paix : comprendre les crises sahéliennes.",
        ),
        C(
            "decentralisation",
            "Décentralisation et gouvernance locale",
            "Compétences des collectivités, finances locales et participation citoyenne.",
        ),
        C(
            "decentralisation",
            "Aménagement du territoire et villes africaines",
            "Croissance urbaine, quartiers précaires et planification : penser la ville de demain.",
        ),
        C(
            "gouvernance",
            "Administration publique et éthique",
            "Principes du service public, déontologie des agents et qualité des services aux "
            "usagers.",
        ),
        C(
            "relations-internationales",
            "Migrations internationales",
            "Les migrations au départ et à destination des pays francophones : chiffres, "
            "politiques et vécus.",
        ),
        _en(
            "gouvernance",
            "Public Policy Analysis",
            "Tools to frame a policy problem, compare options and advise decision-makers with "
            "evidence.",
            (
                "Frame a public problem and its causes",
                "Compare policy options against explicit criteria",
                "Write a policy brief for a decision-maker",
            ),
        ),
        _ar(
            "gouvernance",
            "al-hawkama-al-rashida",
            "الحوكمة الرشيدة والسياسات العامة",
            "مبادئ الشفافية والمساءلة والمشاركة، وكيفية تصميم سياسات عامة فعّالة وتقييمها.",
            (
                "شرح مبادئ الحوكمة الرشيدة",
                "تحليل دورة السياسة العامة",
                "اقتراح آليات للمساءلة",
            ),
        ),
    ),
    "energie-climat": (
        C(
            "energies-renouvelables",
            "Énergie solaire photovoltaïque",
            "Dimensionner, installer et entretenir un système solaire pour un centre de santé "
            "ou une école.",
        ),
        C(
            "energies-renouvelables",
            "Mini-réseaux et électrification rurale",
            "Concevoir et exploiter un mini-réseau pour électrifier un village : technique, "
            "tarifs et gestion.",
        ),
        C(
            "energies-renouvelables",
            "Biomasse et cuisson propre",
            "Foyers améliorés, biogaz et charbon vert : réduire la pression sur le bois de feu.",
        ),
        C(
            "changement-climatique",
            "Changement climatique : comprendre pour agir",
            "Les mécanismes du climat, les scénarios du GIEC et leurs conséquences pour "
            "l'Afrique et les îles.",
        ),
        C(
            "changement-climatique",
            "Adaptation au changement climatique",
            "Diagnostiquer les vulnérabilités d'un territoire et bâtir un plan d'adaptation "
            "avec les acteurs locaux.",
        ),
        C(
            "changement-climatique",
            "Finance climat",
            "Fonds verts, marchés carbone et montage de projets : accéder aux financements "
            "climatiques.",
        ),
        C(
            "efficacite-energetique",
            "Efficacité énergétique des bâtiments",
            "Architecture bioclimatique et équipements sobres pour des bâtiments frais sans "
            "climatisation.",
        ),
        C(
            "efficacite-energetique",
            "Audit énergétique",
            "Mesurer les consommations d'un site et proposer un plan d'économies d'énergie "
            "chiffré.",
        ),
        C(
            "changement-climatique",
            "Risques côtiers et montée des eaux",
            "Érosion du littoral, submersion et solutions fondées sur la nature pour les villes "
            "côtières.",
        ),
        C(
            "energies-renouvelables",
            "Politiques énergétiques en Afrique",
            "Accès à l'énergie, régulation et transition : comparer les stratégies nationales.",
        ),
        _en(
            "energies-renouvelables",
            "Solar Energy Engineering",
            "Photovoltaic cells, system design and performance analysis for off-grid and "
            "grid-connected installations.",
            (
                "Explain how a photovoltaic cell converts light",
                "Size an off-grid solar system",
                "Analyse the performance data of an installation",
            ),
        ),
        _en(
            "changement-climatique",
            "Climate Resilience in Small Island States",
            "Sea-level rise, cyclones and freshwater stress: adaptation strategies for island "
            "nations of the Indian Ocean and the Caribbean.",
            (
                "Describe the climate risks facing small islands",
                "Assess an adaptation option for a coastal community",
                "Identify funding sources for island adaptation",
            ),
        ),
    ),
    "entrepreneuriat": (
        C(
            "creation-entreprise",
            "Créer son entreprise : de l'idée au projet",
            "Tester une idée, rencontrer ses clients et construire un modèle économique viable.",
        ),
        C(
            "creation-entreprise",
            "Élaborer un plan d'affaires",
            "Étude de marché, prévisions financières et présentation du projet aux financeurs.",
        ),
        C(
            "creation-entreprise",
            "Financer son projet",
            "Épargne, microcrédit, investisseurs et subventions : trouver le bon financement au "
            "bon moment.",
        ),
        C(
            "creation-entreprise",
            "Entrepreneuriat au féminin",
            "Lever les obstacles propres aux entrepreneures et s'appuyer sur les réseaux de "
            "femmes d'affaires.",
        ),
        C(
            "innovation-sociale",
            "Innovation sociale et entrepreneuriat",
            "Concevoir une solution durable à un problème social avec les personnes concernées.",
        ),
        C(
            "innovation-sociale",
            "Démarche de design pour innover",
            "Observer, imaginer, prototyper et tester : une démarche pour innover vite et juste.",
        ),
        C(
            "ess",
            "Économie sociale et solidaire",
            "Coopératives, mutuelles et associations : entreprendre autrement, au service de la "
            "communauté.",
        ),
        C(
            "ess",
            "Gérer une coopérative agricole",
            "Gouvernance, commercialisation collective et gestion financière d'une coopérative "
            "de producteurs.",
        ),
        C(
            "innovation-sociale",
            "Incubateurs et écosystèmes d'innovation",
            "Le rôle des incubateurs, des fablabs et des universités dans l'essor des jeunes "
            "pousses.",
        ),
        C(
            "creation-entreprise",
            "Formaliser son activité",
            "Statuts juridiques, fiscalité et protection sociale : passer de l'informel à "
            "l'entreprise déclarée.",
        ),
        _en(
            "creation-entreprise",
            "Entrepreneurship in Emerging Markets",
            "Spot opportunities, test business models and grow a venture where markets and "
            "institutions are still forming.",
            (
                "Identify an opportunity in an emerging market",
                "Test a business model with early customers",
                "Plan the growth of a young venture",
            ),
        ),
        _ar(
            "creation-entreprise",
            "riyadat-al-aamal-lil-shabab",
            "ريادة الأعمال للشباب",
            "من الفكرة إلى المشروع: دراسة السوق وبناء نموذج العمل والبحث عن التمويل المناسب.",
            (
                "اختبار فكرة مشروع لدى الزبائن",
                "بناء نموذج عمل",
                "إعداد عرض تقديمي للممولين",
            ),
        ),
    ),
    "histoire-patrimoine": (
        C(
            "histoire-afrique",
            "Histoire de l'Afrique ancienne",
            "Des royaumes de Nubie à l'empire du Mali : les grandes civilisations africaines "
            "avant le XVIe siècle.",
        ),
        C(
            "histoire-afrique",
            "Les indépendances africaines",
            "1945-1975 : mouvements nationalistes, décolonisation et construction des États.",
        ),
        C(
            "histoire-afrique",
            "Histoire de la traite et des esclavages",
            "Traites transsaharienne et atlantique, résistances et abolitions : une histoire "
            "globale.",
        ),
        C(
            "patrimoine-culturel",
            "Patrimoine mondial en Afrique francophone",
            "De l'île de Gorée à Tombouctou : identifier, protéger et valoriser les sites du "
            "patrimoine.",
        ),
        C(
            "patrimoine-culturel",
            "Gestion des musées et des collections",
            "Inventaire, conservation préventive et médiation : faire vivre une collection.",
        ),
        C(
            "patrimoine-culturel",
            "Patrimoine immatériel : musiques et traditions orales",
            "Griots, contes et savoir-faire : documenter et transmettre le patrimoine vivant.",
        ),
        C(
            "archives-memoire",
            "Archivistique et gestion documentaire",
            "Collecter, classer et conserver les archives d'une administration ou d'une "
            "université.",
        ),
        C(
            "archives-memoire",
            "Numériser le patrimoine documentaire",
            "Choisir le matériel, décrire les documents et diffuser en ligne des fonds "
            "patrimoniaux.",
        ),
        C(
            "histoire-afrique",
            "Histoire d'Haïti, première république noire",
            "De la révolution de Saint-Domingue à nos jours : une histoire au cœur de "
            "l'Atlantique.",
        ),
        C(
            "archives-memoire",
            "Mémoire et histoire orale",
            "Recueillir des témoignages, les analyser et les archiver dans le respect des "
            "personnes.",
        ),
        _en(
            "patrimoine-culturel",
            "Heritage Management in Africa",
            "Conservation, community involvement and tourism at World Heritage sites across "
            "the continent.",
            (
                "Assess the state of conservation of a site",
                "Involve local communities in site management",
                "Balance tourism revenue and preservation",
            ),
        ),
        _ar(
            "histoire-afrique",
            "tarikh-al-maghrib-al-arabi-al-hadith",
            "تاريخ المغرب العربي الحديث",
            "من القرن السادس عشر إلى الاستقلال: الدول والمجتمعات وحركات التحرر في المغرب العربي.",
            (
                "تحديد المراحل الكبرى لتاريخ المنطقة",
                "تحليل وثيقة تاريخية",
                "شرح أسباب حركات التحرر الوطني",
            ),
        ),
    ),
    "physique-chimie": (
        C(
            "physique",
            "Mécanique du point",
            "Cinématique, forces et énergie : les bases de la mécanique pour la première année.",
        ),
        C(
            "physique",
            "Électricité et électronique",
            "Circuits, composants et mesures : de la loi d'Ohm au montage d'un capteur.",
        ),
        C(
            "physique",
            "Optique et ondes",
            "Réflexion, réfraction, interférences : la lumière et les ondes expliquées par "
            "l'expérience.",
        ),
        C(
            "physique",
            "Physique expérimentale avec peu de moyens",
            "Monter des travaux pratiques de physique avec du matériel local et un téléphone.",
        ),
        C(
            "chimie",
            "Chimie générale",
            "Atomes, liaisons, réactions et équilibres : les fondements de la chimie.",
        ),
        C(
            "chimie",
            "Chimie de l'eau et analyses",
            "Mesurer la qualité d'une eau : pH, turbidité, nitrates et contamination bactérienne.",
        ),
        C(
            "chimie",
            "Chimie verte et procédés durables",
            "Réduire les déchets et l'énergie des procédés chimiques, de l'artisanat à "
            "l'industrie.",
        ),
        C(
            "sciences-materiaux",
            "Matériaux de construction locaux",
            "Terre crue, briques compressées et bambou : des matériaux durables pour bâtir.",
        ),
        C(
            "sciences-materiaux",
            "Introduction aux sciences des matériaux",
            "Métaux, polymères, céramiques : relier la structure aux propriétés.",
        ),
        C(
            "chimie",
            "Sécurité au laboratoire",
            "Produits dangereux, équipements de protection et gestion des déchets chimiques.",
        ),
        _en(
            "physique",
            "Physics for Engineers: Mechanics and Energy",
            "Newtonian mechanics, work and energy, with problems drawn from civil and "
            "mechanical engineering.",
            (
                "Apply Newton's laws to engineering problems",
                "Use energy methods to analyse a system",
                "Check results with order-of-magnitude estimates",
            ),
        ),
    ),
    "sciences-sociales": (
        C(
            "sociologie",
            "Introduction à la sociologie",
            "Les grands auteurs et concepts pour analyser la famille, le travail, la ville et "
            "les inégalités.",
        ),
        C(
            "sociologie",
            "Méthodes d'enquête qualitative",
            "Entretiens, observation et analyse de contenu : mener une enquête de terrain "
            "rigoureuse.",
        ),
        C(
            "sociologie",
            "Jeunesse et emploi en Afrique",
            "Insertion professionnelle, migrations et engagement : la condition des jeunes dans "
            "les villes africaines.",
        ),
        C(
            "demographie",
            "Introduction à la démographie",
            "Naissances, décès, migrations : mesurer et comprendre l'évolution des populations.",
        ),
        C(
            "demographie",
            "Population et développement",
            "Dividende démographique, urbanisation et politiques de population dans l'espace "
            "francophone.",
        ),
        C(
            "demographie",
            "État civil et recensements",
            "Pourquoi l'enregistrement des naissances compte, et comment organiser un recensement.",
        ),
        C(
            "genre-developpement",
            "Genre et développement",
            "Analyser les rapports entre femmes et hommes pour des projets plus justes et plus "
            "efficaces.",
        ),
        C(
            "genre-developpement",
            "Violences basées sur le genre : prévenir et accompagner",
            "Repérer, orienter et accompagner les victimes, et mobiliser les communautés.",
        ),
        C(
            "sociologie",
            "Religions et sociétés",
            "La place du religieux dans la vie sociale et politique des sociétés francophones.",
        ),
        C(
            "genre-developpement",
            "Scolarisation des filles : lever les obstacles",
            "Ce qui éloigne les filles des écoles et les programmes qui les y maintiennent "
            "durablement.",
        ),
        _en(
            "sociologie",
            "Urbanisation and Society in Africa",
            "Why African cities grow so fast, who lives in them and how residents organise "
            "daily life.",
            (
                "Explain the drivers of rapid urbanisation",
                "Analyse inequalities within a city",
                "Design a short neighbourhood study",
            ),
        ),
        _ar(
            "sociologie",
            "ilm-al-ijtima-al-hadari",
            "علم الاجتماع الحضري",
            "نمو المدن العربية والإفريقية وأنماط العيش فيها، والتفاوتات الاجتماعية في الفضاء "
            "الحضري.",
            (
                "شرح أسباب التحضر السريع",
                "تحليل التفاوتات داخل المدينة",
                "إجراء ملاحظة ميدانية في حي حضري",
            ),
        ),
    ),
}

# Qualifiers the ``--scale`` benchmark appends to a catalog title to make new, plausible ones.
SCALE_TITLE_QUALIFIERS: dict[str, tuple[str, ...]] = {
    "fr": (
        "approfondissement",
        "études de cas",
        "perspectives africaines",
        "regards croisés Nord-Sud",
        "pour les campus numériques",
        "pratiques de terrain",
        "édition Océan Indien",
        "édition Caraïbe",
        "nouvelles approches",
        "niveau avancé",
        "en Afrique centrale",
        "pour les écoles et les collectivités",
    ),
    "en": ("case studies", "advanced topics", "field practice", "a North–South perspective"),
    "ar": ("دراسات حالة", "مستوى متقدم", "ممارسات ميدانية"),
}
