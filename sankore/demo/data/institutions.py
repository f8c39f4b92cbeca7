"""Institutions of the demo network: universities, schools, digital campuses, an agency.

Names are those of well-known francophone institutions so the demo reads true; every website is
on an ``.example`` domain and nothing here speaks for the institutions themselves. The slug is
the idempotency key of ``seed_demo``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sankore.institutions.models import InstitutionKind as Kind


@dataclass(frozen=True)
class InstitutionSeed:
    slug: str
    name: str
    acronym: str
    kind: Kind
    country: str
    city: str
    time_zone: str
    description: str

    @property
    def website(self) -> str:
        return f"https://www.{self.slug}.example"


AGENCY_SLUG = "auf"

INSTITUTIONS: tuple[InstitutionSeed, ...] = (
    # Agence, fondation, entreprises, recherche
    InstitutionSeed(
        "auf",
        "Agence universitaire de la Francophonie",
        "AUF",
        Kind.AGENCY,
        "CA",
        "Montréal",
        "America/Toronto",
        "Réseau d'établissements d'enseignement supérieur de langue française ; pilote le "
        "programme CLOM et accompagne les équipes pédagogiques de ses membres.",
    ),
    InstitutionSeed(
        "fondation-sahel-savoirs",
        "Fondation Sahel Savoirs",
        "FSS",
        Kind.FOUNDATION,
        "ML",
        "Bamako",
        "Africa/Bamako",
        "Fondation qui finance des bourses d'accès aux certificats pour les apprenants des pays "
        "du Sahel et soutient les écoles rurales.",
    ),
    InstitutionSeed(
        "baobab-numerique",
        "Baobab Numérique",
        "",
        Kind.COMPANY,
        "SN",
        "Dakar",
        "Africa/Dakar",
        "Entreprise de services numériques qui co-produit des cours sur les métiers du "
        "développement web et de la donnée.",
    ),
    InstitutionSeed(
        "savane-edtech",
        "Savane EdTech",
        "",
        Kind.COMPANY,
        "CI",
        "Abidjan",
        "Africa/Abidjan",
        "Jeune entreprise ivoirienne de technologies éducatives : tournage, sous-titrage et "
        "accessibilité des ressources de cours.",
    ),
    InstitutionSeed(
        "ird",
        "Institut de recherche pour le développement",
        "IRD",
        Kind.RESEARCH,
        "FR",
        "Marseille",
        "Europe/Paris",
        "Organisme de recherche engagé dans des partenariats scientifiques équitables avec les "
        "pays du Sud : santé, climat, sociétés.",
    ),
    # Afrique de l'Ouest
    InstitutionSeed(
        "ucad",
        "Université Cheikh Anta Diop de Dakar",
        "UCAD",
        Kind.UNIVERSITY,
        "SN",
        "Dakar",
        "Africa/Dakar",
        "Première université du Sénégal, forte de ses facultés de médecine, de lettres et de "
        "sciences et techniques.",
    ),
    InstitutionSeed(
        "ugb",
        "Université Gaston Berger de Saint-Louis",
        "UGB",
        Kind.UNIVERSITY,
        "SN",
        "Saint-Louis",
        "Africa/Dakar",
        "Université résidentielle des bords du fleuve Sénégal, reconnue en économie, en droit et "
        "en mathématiques appliquées.",
    ),
    InstitutionSeed(
        "ufhb",
        "Université Félix Houphouët-Boigny",
        "UFHB",
        Kind.UNIVERSITY,
        "CI",
        "Abidjan",
        "Africa/Abidjan",
        "Grande université d'Abidjan dont les unités de formation couvrent les sciences, la "
        "santé et les humanités.",
    ),
    InstitutionSeed(
        "ujkz",
        "Université Joseph Ki-Zerbo",
        "UJKZ",
        Kind.UNIVERSITY,
        "BF",
        "Ouagadougou",
        "Africa/Ouagadougou",
        "Université de Ouagadougou, active en histoire, en sciences de la santé et en sciences "
        "exactes.",
    ),
    InstitutionSeed(
        "uac",
        "Université d'Abomey-Calavi",
        "UAC",
        Kind.UNIVERSITY,
        "BJ",
        "Abomey-Calavi",
        "Africa/Porto-Novo",
        "Principale université du Bénin ; ses écoles d'agronomie et de santé publique forment "
        "toute la sous-région.",
    ),
    InstitutionSeed(
        "uam",
        "Université Abdou Moumouni de Niamey",
        "UAM",
        Kind.UNIVERSITY,
        "NE",
        "Niamey",
        "Africa/Niamey",
        "Université nigérienne engagée dans la recherche sur les zones arides et l'adaptation "
        "au changement climatique.",
    ),
    InstitutionSeed(
        "univ-lome",
        "Université de Lomé",
        "UL",
        Kind.UNIVERSITY,
        "TG",
        "Lomé",
        "Africa/Lome",
        "Université publique du Togo, pionnière de la formation ouverte et à distance dans la "
        "sous-région.",
    ),
    InstitutionSeed(
        "usttb",
        "Université des sciences, des techniques et des technologies de Bamako",
        "USTTB",
        Kind.UNIVERSITY,
        "ML",
        "Bamako",
        "Africa/Bamako",
        "Université malienne des sciences et de la santé, connue pour ses travaux sur le "
        "paludisme.",
    ),
    InstitutionSeed(
        "2ie",
        "Institut international d'ingénierie de l'eau et de l'environnement",
        "2iE",
        Kind.SCHOOL,
        "BF",
        "Ouagadougou",
        "Africa/Ouagadougou",
        "École d'ingénieurs panafricaine de l'eau, de l'énergie, de l'environnement et du génie "
        "civil.",
    ),
    InstitutionSeed(
        "cnf-dakar",
        "Campus numérique francophone de Dakar",
        "CNF Dakar",
        Kind.CAMPUS,
        "SN",
        "Dakar",
        "Africa/Dakar",
        "Espace de formation à distance, de connexion et d'examens surveillés au cœur du campus "
        "de l'UCAD.",
    ),
    InstitutionSeed(
        "cnf-ouagadougou",
        "Campus numérique francophone de Ouagadougou",
        "CNF Ouagadougou",
        Kind.CAMPUS,
        "BF",
        "Ouagadougou",
        "Africa/Ouagadougou",
        "Campus numérique qui relaie les CLOM auprès des étudiants burkinabè et accueille les "
        "examens de certificat.",
    ),
    InstitutionSeed(
        "cnf-cotonou",
        "Campus numérique francophone de Cotonou",
        "CNF Cotonou",
        Kind.CAMPUS,
        "BJ",
        "Cotonou",
        "Africa/Porto-Novo",
        "Salle connectée, studio d'enregistrement et centre d'examen pour les apprenants du Bénin.",
    ),
    # Afrique centrale et des Grands Lacs
    InstitutionSeed(
        "unikin",
        "Université de Kinshasa",
        "UNIKIN",
        Kind.UNIVERSITY,
        "CD",
        "Kinshasa",
        "Africa/Kinshasa",
        "Grande université congolaise du mont Amba, réputée en médecine, en droit et en "
        "sciences économiques.",
    ),
    InstitutionSeed(
        "unilu",
        "Université de Lubumbashi",
        "UNILU",
        Kind.UNIVERSITY,
        "CD",
        "Lubumbashi",
        "Africa/Lubumbashi",
        "Université du Haut-Katanga, spécialisée en géologie, en chimie et en ingénierie minière.",
    ),
    InstitutionSeed(
        "uy1",
        "Université de Yaoundé I",
        "UY1",
        Kind.UNIVERSITY,
        "CM",
        "Yaoundé",
        "Africa/Douala",
        "Université camerounaise de référence en sciences, en lettres et en sciences de "
        "l'éducation.",
    ),
    InstitutionSeed(
        "enspy",
        "École nationale supérieure polytechnique de Yaoundé",
        "ENSPY",
        Kind.SCHOOL,
        "CM",
        "Yaoundé",
        "Africa/Douala",
        "Grande école d'ingénieurs du Cameroun : génie informatique, électrique et civil.",
    ),
    InstitutionSeed(
        "umng",
        "Université Marien Ngouabi",
        "UMNG",
        Kind.UNIVERSITY,
        "CG",
        "Brazzaville",
        "Africa/Brazzaville",
        "Université publique du Congo, active en agronomie, en lettres et en sciences de la santé.",
    ),
    InstitutionSeed(
        "uob",
        "Université Omar Bongo",
        "UOB",
        Kind.UNIVERSITY,
        "GA",
        "Libreville",
        "Africa/Libreville",
        "Université gabonaise des lettres, des sciences humaines et du droit.",
    ),
    InstitutionSeed(
        "ub-burundi",
        "Université du Burundi",
        "UB",
        Kind.UNIVERSITY,
        "BI",
        "Bujumbura",
        "Africa/Bujumbura",
        "Université publique du Burundi, engagée dans la formation des enseignants du secondaire.",
    ),
    InstitutionSeed(
        "cnf-yaounde",
        "Campus numérique francophone de Yaoundé",
        "CNF Yaoundé",
        Kind.CAMPUS,
        "CM",
        "Yaoundé",
        "Africa/Douala",
        "Campus numérique et centre d'examen qui accompagne les apprenants camerounais à distance.",
    ),
    # Océan Indien
    InstitutionSeed(
        "univ-antananarivo",
        "Université d'Antananarivo",
        "UA",
        Kind.UNIVERSITY,
        "MG",
        "Antananarivo",
        "Indian/Antananarivo",
        "Doyenne des universités malgaches, reconnue en agronomie, en sciences et en médecine.",
    ),
    InstitutionSeed(
        "univ-maurice",
        "Université de Maurice",
        "UoM",
        Kind.UNIVERSITY,
        "MU",
        "Réduit",
        "Indian/Mauritius",
        "Université bilingue de l'océan Indien : ingénierie, sciences de l'océan et gestion.",
    ),
    InstitutionSeed(
        "univ-comores",
        "Université des Comores",
        "UDC",
        Kind.UNIVERSITY,
        "KM",
        "Moroni",
        "Indian/Comoro",
        "Université de l'archipel, tournée vers les lettres, l'éducation et la santé publique.",
    ),
    InstitutionSeed(
        "univ-djibouti",
        "Université de Djibouti",
        "UD",
        Kind.UNIVERSITY,
        "DJ",
        "Djibouti",
        "Africa/Djibouti",
        "Jeune université de la Corne de l'Afrique : logistique, droit et énergies renouvelables.",
    ),
    InstitutionSeed(
        "cnf-antananarivo",
        "Campus numérique francophone d'Antananarivo",
        "CNF Antananarivo",
        Kind.CAMPUS,
        "MG",
        "Antananarivo",
        "Indian/Antananarivo",
        "Campus numérique d'Ankatso : connexion, accompagnement et examens surveillés.",
    ),
    # Maghreb
    InstitutionSeed(
        "um5",
        "Université Mohammed V de Rabat",
        "UM5",
        Kind.UNIVERSITY,
        "MA",
        "Rabat",
        "Africa/Casablanca",
        "Université marocaine pluridisciplinaire : droit, sciences, ingénierie et médecine.",
    ),
    InstitutionSeed(
        "uca",
        "Université Cadi Ayyad",
        "UCA",
        Kind.UNIVERSITY,
        "MA",
        "Marrakech",
        "Africa/Casablanca",
        "Université de Marrakech, pionnière des cours en ligne au Maroc.",
    ),
    InstitutionSeed(
        "utunis",
        "Université de Tunis",
        "UT",
        Kind.UNIVERSITY,
        "TN",
        "Tunis",
        "Africa/Tunis",
        "Université tunisienne des humanités, des sciences sociales et de l'économie.",
    ),
    InstitutionSeed(
        "univ-alger1",
        "Université d'Alger 1 Benyoucef Benkhedda",
        "UA1",
        Kind.UNIVERSITY,
        "DZ",
        "Alger",
        "Africa/Algiers",
        "Université algérienne du droit, des sciences médicales et des sciences islamiques.",
    ),
    # Moyen-Orient
    InstitutionSeed(
        "usj",
        "Université Saint-Joseph de Beyrouth",
        "USJ",
        Kind.UNIVERSITY,
        "LB",
        "Beyrouth",
        "Asia/Beirut",
        "Université libanaise francophone, trilingue dans ses enseignements, forte en santé, "
        "en droit et en gestion.",
    ),
    InstitutionSeed(
        "univ-libanaise",
        "Université libanaise",
        "UL Liban",
        Kind.UNIVERSITY,
        "LB",
        "Beyrouth",
        "Asia/Beirut",
        "Seule université publique du Liban, présente dans toutes les régions du pays.",
    ),
    InstitutionSeed(
        "usenghor",
        "Université Senghor d'Alexandrie",
        "USenghor",
        Kind.UNIVERSITY,
        "EG",
        "Alexandrie",
        "Africa/Cairo",
        "Université internationale de langue française au service du développement africain : "
        "gouvernance, culture, environnement, santé.",
    ),
    # Europe de l'Ouest
    InstitutionSeed(
        "paris-saclay",
        "Université Paris-Saclay",
        "UPSaclay",
        Kind.UNIVERSITY,
        "FR",
        "Orsay",
        "Europe/Paris",
        "Grande université de recherche du sud de Paris : sciences fondamentales, ingénierie et "
        "santé.",
    ),
    InstitutionSeed(
        "sorbonne-universite",
        "Sorbonne Université",
        "SU",
        Kind.UNIVERSITY,
        "FR",
        "Paris",
        "Europe/Paris",
        "Université pluridisciplinaire de Paris : lettres, médecine, sciences et ingénierie.",
    ),
    InstitutionSeed(
        "u-bordeaux",
        "Université de Bordeaux",
        "UB Bordeaux",
        Kind.UNIVERSITY,
        "FR",
        "Bordeaux",
        "Europe/Paris",
        "Université dont l'école de santé publique coopère de longue date avec l'Afrique de "
        "l'Ouest.",
    ),
    InstitutionSeed(
        "uliege",
        "Université de Liège",
        "ULiège",
        Kind.UNIVERSITY,
        "BE",
        "Liège",
        "Europe/Brussels",
        "Université publique belge ; sa faculté de Gembloux est réputée en agronomie tropicale.",
    ),
    InstitutionSeed(
        "uclouvain",
        "Université catholique de Louvain",
        "UCLouvain",
        Kind.UNIVERSITY,
        "BE",
        "Louvain-la-Neuve",
        "Europe/Brussels",
        "Université belge engagée dans la coopération universitaire au développement.",
    ),
    InstitutionSeed(
        "unige",
        "Université de Genève",
        "UNIGE",
        Kind.UNIVERSITY,
        "CH",
        "Genève",
        "Europe/Zurich",
        "Université suisse de la Genève internationale : santé mondiale, droits humains, "
        "éducation.",
    ),
    # Europe centrale et orientale
    InstitutionSeed(
        "usm",
        "Université d'État de Moldova",
        "USM",
        Kind.UNIVERSITY,
        "MD",
        "Chișinău",
        "Europe/Chisinau",
        "Principale université de Moldavie, dotée de filières francophones en droit et en "
        "économie.",
    ),
    InstitutionSeed(
        "unibuc",
        "Université de Bucarest",
        "UB Bucarest",
        Kind.UNIVERSITY,
        "RO",
        "Bucarest",
        "Europe/Bucharest",
        "Université roumaine des lettres, des langues et des sciences politiques.",
    ),
    InstitutionSeed(
        "ubb",
        "Université Babeș-Bolyai",
        "UBB",
        Kind.UNIVERSITY,
        "RO",
        "Cluj-Napoca",
        "Europe/Bucharest",
        "Université multiculturelle de Cluj, active en informatique et en sciences de l'éducation.",
    ),
    InstitutionSeed(
        "univ-sofia",
        "Université de Sofia Saint-Clément d'Ohrid",
        "SU Sofia",
        Kind.UNIVERSITY,
        "BG",
        "Sofia",
        "Europe/Sofia",
        "Plus ancienne université bulgare, avec une filière francophone de gestion.",
    ),
    # Amériques
    InstitutionSeed(
        "umontreal",
        "Université de Montréal",
        "UdeM",
        Kind.UNIVERSITY,
        "CA",
        "Montréal",
        "America/Toronto",
        "Grande université québécoise de recherche, active en santé publique et en sciences de "
        "l'éducation.",
    ),
    InstitutionSeed(
        "ulaval",
        "Université Laval",
        "ULaval",
        Kind.UNIVERSITY,
        "CA",
        "Québec",
        "America/Toronto",
        "Première université francophone d'Amérique, pionnière de la formation à distance.",
    ),
    InstitutionSeed(
        "umoncton",
        "Université de Moncton",
        "UdeMoncton",
        Kind.UNIVERSITY,
        "CA",
        "Moncton",
        "America/Moncton",
        "Université acadienne du Nouveau-Brunswick, attachée aux communautés francophones en "
        "milieu minoritaire.",
    ),
    InstitutionSeed(
        "teluq",
        "Université TÉLUQ",
        "TÉLUQ",
        Kind.UNIVERSITY,
        "CA",
        "Québec",
        "America/Toronto",
        "Université à distance du Québec, spécialiste de l'ingénierie pédagogique en ligne.",
    ),
    # Caraïbe
    InstitutionSeed(
        "ueh",
        "Université d'État d'Haïti",
        "UEH",
        Kind.UNIVERSITY,
        "HT",
        "Port-au-Prince",
        "America/Port-au-Prince",
        "Université publique d'Haïti, dont les facultés forment l'essentiel des cadres du pays.",
    ),
    InstitutionSeed(
        "uniq",
        "Université Quisqueya",
        "UniQ",
        Kind.UNIVERSITY,
        "HT",
        "Port-au-Prince",
        "America/Port-au-Prince",
        "Université privée haïtienne reconnue en santé, en agronomie et en sciences de "
        "l'éducation.",
    ),
    InstitutionSeed(
        "uasd",
        "Université autonome de Saint-Domingue",
        "UASD",
        Kind.UNIVERSITY,
        "DO",
        "Saint-Domingue",
        "America/Santo_Domingo",
        "Plus ancienne université des Amériques, partenaire des universités haïtiennes.",
    ),
    InstitutionSeed(
        "cnf-port-au-prince",
        "Campus numérique francophone de Port-au-Prince",
        "CNF Port-au-Prince",
        Kind.CAMPUS,
        "HT",
        "Port-au-Prince",
        "America/Port-au-Prince",
        "Campus numérique et centre d'examen qui relaie l'offre de cours auprès des étudiants "
        "haïtiens.",
    ),
    # Asie-Pacifique
    InstitutionSeed(
        "vnu-hanoi",
        "Université nationale du Vietnam à Hanoï",
        "UNV",
        Kind.UNIVERSITY,
        "VN",
        "Hanoï",
        "Asia/Ho_Chi_Minh",
        "Université vietnamienne de recherche, dotée de filières francophones en sciences et en "
        "économie.",
    ),
    InstitutionSeed(
        "itc",
        "Institut de technologie du Cambodge",
        "ITC",
        Kind.SCHOOL,
        "KH",
        "Phnom Penh",
        "Asia/Phnom_Penh",
        "École d'ingénieurs cambodgienne aux cursus francophones : génie rural, chimie, "
        "informatique.",
    ),
    InstitutionSeed(
        "unl",
        "Université nationale du Laos",
        "UNL",
        Kind.UNIVERSITY,
        "LA",
        "Vientiane",
        "Asia/Vientiane",
        "Principale université du Laos, partenaire de la filière francophone de médecine et de "
        "gestion.",
    ),
    InstitutionSeed(
        "cnf-vientiane",
        "Campus numérique francophone de Vientiane",
        "CNF Vientiane",
        Kind.CAMPUS,
        "LA",
        "Vientiane",
        "Asia/Vientiane",
        "Campus numérique de Dong Dok : formation à distance et certification en français.",
    ),
)
