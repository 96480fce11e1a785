"""Data of the demo procurement: budget lines, the AP of the Foch annex, contracts and their lots,
orders outside contracts and purchase needs of the Congress's property and IT directorate.

Years are relative: 0 is the current fiscal year (open), -1 the previous one (closed). Dates are
(year offset, month, day). Amounts are in XPF excluding tax unless said otherwise.
"""

SEED = 2031

# Companies the directory demo has not: (name, RIDET, activity).
COMPANIES = [
    ("Papeterie Calédonienne", "1289415.001", "fournitures de bureau et consommables"),
]

# M52 functions used by the lines.
ASSEMBLY, GENERAL_MEANS, COMMUNICATION = "021", "0202", "023"

# key: (section, chapter, nature, function, service, label, credits voted at least)
# The credits voted are raised by the demo to what its orders need, plus a margin.
LINES = {
    "logiciels": (
        "investment",
        "20",
        "2051",
        GENERAL_MEANS,
        "SIT",
        "Logiciels et licences",
        12_000_000,
    ),
    "etudes": (
        "investment",
        "20",
        "2031",
        GENERAL_MEANS,
        "SPI",
        "Frais d'études (bâtiments)",
        15_000_000,
    ),
    "informatique": (
        "investment",
        "21",
        "2183",
        GENERAL_MEANS,
        "SIT",
        "Matériel de bureau et matériel informatique",
        22_000_000,
    ),
    "mobilier": ("investment", "21", "2184", GENERAL_MEANS, "SPML", "Mobilier", 9_000_000),
    "equipements": (
        "investment",
        "21",
        "2188",
        GENERAL_MEANS,
        "SPI",
        "Autres immobilisations corporelles (climatiseurs, audiovisuel)",
        8_000_000,
    ),
    "annexe": (
        "investment",
        "23",
        "2313",
        GENERAL_MEANS,
        "SPI",
        "Constructions en cours — réhabilitation de l'annexe Foch",
        0,  # the AP's payment credits of the year
    ),
    "maintenance_batiments": (
        "operating",
        "011",
        "6156",
        GENERAL_MEANS,
        "SPI",
        "Maintenance des installations techniques des bâtiments",
        30_000_000,
    ),
    "maintenance_informatique": (
        "operating",
        "011",
        "6156",
        GENERAL_MEANS,
        "SIT",
        "Maintenance et support informatiques",
        18_000_000,
    ),
    "entretien_batiments": (
        "operating",
        "011",
        "615221",
        GENERAL_MEANS,
        "SPI",
        "Entretien et réparations des bâtiments",
        6_000_000,
    ),
    "espaces_verts": (
        "operating",
        "011",
        "61521",
        GENERAL_MEANS,
        "SPI",
        "Entretien des terrains et espaces verts",
        3_000_000,
    ),
    "vehicules": (
        "operating",
        "011",
        "61551",
        GENERAL_MEANS,
        "CPA",
        "Entretien du matériel roulant",
        4_000_000,
    ),
    "nettoyage": (
        "operating",
        "011",
        "6283",
        GENERAL_MEANS,
        "SPI",
        "Frais de nettoyage des locaux",
        36_000_000,
    ),
    "gardiennage": (
        "operating",
        "011",
        "6282",
        GENERAL_MEANS,
        "SPI",
        "Frais de gardiennage",
        40_000_000,
    ),
    "telecoms": (
        "operating",
        "011",
        "6262",
        GENERAL_MEANS,
        "SIT",
        "Frais de télécommunications",
        20_000_000,
    ),
    "locations": (
        "operating",
        "011",
        "6135",
        GENERAL_MEANS,
        "SPML",
        "Locations mobilières (copieurs)",
        5_000_000,
    ),
    "fournitures": (
        "operating",
        "011",
        "6068",
        GENERAL_MEANS,
        "SPML",
        "Autres matières et fournitures",
        4_000_000,
    ),
    "fournitures_bureau": (
        "operating",
        "011",
        "6064",
        GENERAL_MEANS,
        "SPML",
        "Fournitures administratives",
        5_000_000,
    ),
    "impressions": (
        "operating",
        "011",
        "6236",
        COMMUNICATION,
        "SCOM",
        "Catalogues et imprimés",
        3_000_000,
    ),
    "services_divers": (
        "operating",
        "011",
        "6288",
        ASSEMBLY,
        "SPML",
        "Autres services extérieurs (déménagements, numérisation)",
        6_000_000,
    ),
}

# The décision modificative of the current year: (line, amount, reason).
BUDGET_AMENDMENTS = [
    (
        "maintenance_batiments",
        6_000_000,
        "Réparations curatives des climatisations du bâtiment A après la saison chaude.",
    ),
    ("mobilier", -6_000_000, "Redéploiement vers la maintenance des installations techniques."),
    ("telecoms", 2_500_000, "Hausse des forfaits de données mobiles des élus."),
    ("locations", -1_500_000, "Copieurs du bâtiment C restitués en cours d'année."),
]

AP = {
    "reference": "AP-2025-01",
    "label": "Réhabilitation de l'annexe Foch",
    "amount": 180_000_000,
    "voted_on": (-1, 3, 27),
    "decision": "Délibération budgétaire du Congrès (budget primitif, AP n° 2025-01)",
    # year offset → payment credits
    "credits": {-1: 30_000_000, 0: 110_000_000, 1: 40_000_000},
}

# Contracts. `dates` is either ("fixed", notified, start) or ("renewal", months until the
# renewal decision): the start is then set so that the next decision falls in the coming months.
# A lot: (number, title, holder, price or estimate, minimum, maximum) — min/max for frameworks.
# `orders` per lot: ("monthly", line, object, monthly amount, spread) — one order a month in the
# current year and one a quarter in the previous one — or ("items", line, [(date, object,
# amount)]).
CONTRACTS = [
    {
        "key": "nettoyage",
        "object": "Nettoyage et propreté des locaux du Congrès",
        "kind": "services",
        "category": "NET",
        "procedure": "open_tender",
        "dates": ("renewal", 1),
        "duration": 12,
        "renewals": (3, 2),
        "tax": "TN",
        "revision": ("revisable", "Révision annuelle au 1er janvier selon l'indice BT01-NC."),
        "manager": "patrimoine",
        "buildings": ["VAU-A", "VAU-B", "VAU-C", "FOC-A", "DUC-A"],
        "lots": [
            (1, "Site Vauban (bâtiments A, B et C)", "Nouméa Propreté Services", 138_000_000),
            (2, "Annexe Foch et site de Ducos", "Nouméa Propreté Services", 52_800_000),
        ],
        "orders": {
            1: ("monthly", "nettoyage", "Nettoyage du site Vauban", 2_875_000, 0),
            2: ("monthly", "nettoyage", "Nettoyage de l'annexe Foch et de Ducos", 1_100_000, 0),
        },
    },
    {
        "key": "climatisation",
        "object": "Maintenance préventive et curative des installations de climatisation",
        "kind": "maintenance",
        "category": "CLIM",
        "procedure": "consultation",
        "framework": True,
        "dates": ("renewal", 2),
        "duration": 12,
        "renewals": (3, 2),
        "tax": "TN",
        "revision": ("revisable", "Révision annuelle selon l'indice des salaires du BTP."),
        "manager": "patrimoine",
        "buildings": ["VAU-A", "VAU-B", "VAU-C", "FOC-A", "DUC-A"],
        "assets": "CLIM",
        "lots": [
            (
                1,
                "Climatisation de tous les sites",
                "Calédonienne de Maintenance Technique",
                32_000_000,
                8_000_000,
                40_000_000,
            )
        ],
        "orders": {
            1: (
                "monthly",
                "maintenance_batiments",
                "Maintenance des climatisations",
                620_000,
                240_000,
            ),
        },
    },
    {
        "key": "ascenseurs",
        "object": "Maintenance des ascenseurs et monte-charges",
        "kind": "maintenance",
        "category": "ASC",
        "procedure": "no_competition",
        "dates": ("renewal", 4),
        "duration": 12,
        "renewals": (3, 2),
        "tax": "TN",
        "revision": ("firm", ""),
        "manager": "patrimoine",
        "buildings": ["VAU-A", "VAU-B", "FOC-A"],
        "lots": [(1, "Cinq ascenseurs et un monte-charge", "Ascenseurs du Pacifique", 9_360_000)],
        "orders": {
            1: ("quarterly", "maintenance_batiments", "Maintenance des ascenseurs", 195_000, 0),
        },
    },
    {
        "key": "surete",
        "object": "Gardiennage des sites et maintenance des systèmes de sécurité incendie",
        "kind": "services",
        "category": "SEC",
        "procedure": "open_tender",
        "dates": ("fixed", (-2, 11, 18), (-1, 1, 1)),
        "duration": 36,
        "renewals": (0, 0),
        "tax": "TN",
        "revision": ("revisable", "Révision annuelle selon le SMG et l'indice des services."),
        "retention": 5,
        "manager": "achats",
        "buildings": ["VAU-A", "VAU-B", "VAU-C", "FOC-A", "DUC-A"],
        "lots": [
            (1, "Gardiennage et rondes de nuit", "Sûreté Gardiennage NC", 118_800_000),
            (
                2,
                "Maintenance du système de sécurité incendie",
                "Sécurité Incendie Calédonie",
                14_400_000,
            ),
        ],
        "orders": {
            1: ("monthly", "gardiennage", "Gardiennage des sites", 3_300_000, 0),
            2: ("monthly", "maintenance_batiments", "Maintenance du SSI", 400_000, 0),
        },
    },
    {
        "key": "support",
        "object": "Assistance et support informatique des utilisateurs et des serveurs",
        "kind": "services",
        "category": "INF-SUP",
        "procedure": "consultation",
        "framework": True,
        "dates": ("fixed", (-1, 2, 3), (-1, 3, 1)),
        "duration": 24,
        "renewals": (2, 0),
        "tax": "TN",
        "revision": ("firm", ""),
        "manager": "informatique",
        "applications": [
            "Active Directory",
            "Messagerie Exchange",
            "Sauvegarde Veeam",
            "Supervision",
            "Site web du Congrès",
        ],
        "lots": [
            (
                1,
                "Support de niveau 2 et 3, interventions sur site",
                "Pacific Informatique",
                20_000_000,
                5_000_000,
                30_000_000,
            )
        ],
        "orders": {
            1: (
                "monthly",
                "maintenance_informatique",
                "Support informatique (forfait et tickets)",
                650_000,
                350_000,
            ),
        },
    },
    {
        "key": "telecoms",
        "object": "Services de télécommunications fixes, mobiles et accès internet",
        "kind": "services",
        "category": "TEL",
        "procedure": "open_tender",
        "dates": ("renewal", 5),
        "duration": 12,
        "renewals": (3, 2),
        "tax": "TN",
        "revision": ("firm", ""),
        "manager": "informatique",
        "applications": ["Téléphonie IP"],
        "lots": [
            (1, "Téléphonie fixe et accès internet", "Lagon Télécom Services", 52_800_000),
            (2, "Téléphonie et données mobiles", "OPT-NC", 38_400_000),
        ],
        "orders": {
            1: ("monthly", "telecoms", "Abonnements fixes et internet", 1_100_000, 90_000),
            2: ("monthly", "telecoms", "Forfaits mobiles des élus et agents", 780_000, 120_000),
        },
    },
    {
        "key": "espaces_verts",
        "object": "Entretien des espaces verts des sites Vauban et Ducos",
        "kind": "services",
        "category": "ESP",
        "procedure": "no_competition",
        "dates": ("renewal", 3),
        "duration": 12,
        "renewals": (2, 1),
        "tax": "TN",
        "revision": ("firm", ""),
        "manager": "patrimoine",
        "buildings": ["VAU-A", "DUC-A"],
        "lots": [(1, "Tonte, taille et arrosage", "Jardins de la Baie", 7_020_000)],
        "orders": {
            1: ("monthly", "espaces_verts", "Entretien des espaces verts", 195_000, 0),
        },
    },
    {
        "key": "materiel",
        "object": "Fourniture de matériel informatique (postes, écrans, périphériques)",
        "kind": "supplies",
        "category": "INF-MAT",
        "procedure": "consultation",
        "framework": True,
        "need": "materiel",
        "dates": ("fixed", (-1, 2, 20), (-1, 3, 1)),
        "duration": 24,
        "renewals": (0, 0),
        "tax": "TN",
        "revision": ("firm", ""),
        "manager": "informatique",
        "lots": [
            (
                1,
                "Postes de travail, portables, écrans et périphériques",
                "Pacific Informatique",
                30_000_000,
                6_000_000,
                36_000_000,
            )
        ],
        # Close to its maximum: about 93 % ordered.
        "orders": {
            1: (
                "items",
                "informatique",
                [
                    ((-1, 3, 12), "Postes de travail OptiPlex 7010 (lot de 15)", 2_325_000),
                    ((-1, 4, 8), "Écrans 24 pouces (lot de 30)", 1_140_000),
                    ((-1, 5, 20), "Portables Latitude 5440 pour les élus (lot de 12)", 2_280_000),
                    ((-1, 6, 17), "Postes de travail OptiPlex 7010 (lot de 15)", 2_325_000),
                    ((-1, 8, 5), "Imprimantes multifonctions de service (lot de 6)", 1_890_000),
                    ((-1, 9, 22), "Portables Latitude 5440 (lot de 10)", 1_900_000),
                    ((-1, 10, 14), "Commutateurs d'étage et onduleurs", 3_150_000),
                    ((-1, 11, 18), "Postes de travail OptiPlex 7010 (lot de 20)", 3_100_000),
                    ((-1, 12, 2), "Tablettes pour les séances (lot de 20)", 1_960_000),
                    ((0, 1, 20), "Écrans 27 pouces pour la PAO (lot de 8)", 560_000),
                    ((0, 2, 16), "Postes de travail OptiPlex 7010 (lot de 20)", 3_100_000),
                    ((0, 3, 23), "Portables Latitude 5440 (lot de 8)", 1_520_000),
                    ((0, 5, 11), "Serveur de fichiers de l'annexe Foch", 2_480_000),
                    ((0, 6, 8), "Postes de travail de l'annexe Foch (lot de 18)", 2_790_000),
                    ((0, 7, 15), "Écrans 24 pouces (lot de 20)", 760_000),
                    ((0, 9, 7), "Points d'accès Wi-Fi de l'annexe Foch", 1_180_000),
                    ((0, 10, 12), "Portables Latitude 5440 (lot de 6)", 1_140_000),
                ],
            )
        },
    },
    {
        "key": "logiciels",
        "object": "Maintenance et assistance des logiciels des séances et du courrier",
        "kind": "services",
        "category": "INF-LOG",
        "procedure": "negotiated",
        "dates": ("fixed", (-3, 12, 10), (-2, 1, 1)),
        "duration": 48,
        "renewals": (0, 0),
        "tax": "TN",
        "revision": ("revisable", "Révision annuelle selon l'indice Syntec."),
        "manager": "informatique",
        "applications": ["Séances & délibérations", "Portail des élus", "Gestion des courriers"],
        "lots": [(1, "Maintenance corrective et évolutive", "Océanie Logiciels", 19_200_000)],
        "orders": {
            1: (
                "items",
                "maintenance_informatique",
                [
                    ((-1, 1, 15), "Maintenance annuelle des logiciels des séances", 4_650_000),
                    ((0, 1, 14), "Maintenance annuelle des logiciels des séances", 4_800_000),
                    ((0, 6, 3), "Module de vote électronique du portail des élus", 1_250_000),
                ],
            )
        },
    },
    {
        "key": "fournitures",
        "object": "Fournitures de bureau et consommables d'impression",
        "kind": "supplies",
        "category": "FOUR",
        "procedure": "no_competition",
        "framework": True,
        "need": "fournitures",
        "dates": ("fixed", (0, 1, 9), (0, 1, 15)),
        "duration": 24,
        "renewals": (0, 0),
        "tax": "TN",
        "revision": ("firm", ""),
        "manager": "achats",
        "lots": [
            (
                1,
                "Papeterie, classement et consommables",
                "Papeterie Calédonienne",
                7_000_000,
                1_500_000,
                9_000_000,
            )
        ],
        "orders": {
            1: (
                "items",
                "fournitures_bureau",
                [
                    ((0, 1, 22), "Ramettes de papier et enveloppes", 485_000),
                    ((0, 3, 2), "Cartouches et toners des imprimantes", 612_000),
                    ((0, 4, 14), "Fournitures de classement", 238_000),
                    ((0, 5, 26), "Ramettes de papier (session budgétaire)", 410_000),
                    ((0, 7, 6), "Cartouches et toners des imprimantes", 575_000),
                    ((0, 8, 25), "Petites fournitures de bureau", 196_000),
                    ((0, 10, 6), "Ramettes de papier et enveloppes", 462_000),
                ],
            )
        },
    },
    {
        "key": "mobilier",
        "object": "Fourniture de mobilier de bureau",
        "kind": "supplies",
        "category": "MOB",
        "procedure": "consultation",
        "framework": True,
        "dates": ("fixed", (-1, 5, 6), (-1, 5, 15)),
        "duration": 36,
        "renewals": (0, 0),
        "tax": "TN",
        "revision": ("firm", ""),
        "manager": "achats",
        "lots": [
            (
                1,
                "Bureaux, sièges et rangements",
                "Mobilier Bureau Pacifique",
                12_000_000,
                2_000_000,
                15_000_000,
            )
        ],
        "orders": {
            1: (
                "items",
                "mobilier",
                [
                    ((-1, 6, 10), "Sièges ergonomiques (lot de 25)", 1_575_000),
                    ((-1, 10, 1), "Bureaux et caissons du service juridique", 1_240_000),
                    ((0, 4, 7), "Mobilier des bureaux de l'annexe Foch", 2_860_000),
                    ((0, 8, 19), "Armoires de rangement des archives", 690_000),
                ],
            )
        },
    },
]

# The works contract of the AP: three lots, a start order, a stop and its resumption, two
# amendments, the second beyond the 15 % of works (justified).
WORKS = {
    "key": "annexe",
    "object": "Réhabilitation et aménagement de l'annexe Foch",
    "kind": "works",
    "category": "TRV-AMG",
    "procedure": "open_tender",
    "need": "annexe",
    "dates": ("fixed", (-1, 9, 12), (-1, 10, 1)),
    "duration": 15,
    "tax": "TR",
    "revision": ("revisable", "Révision mensuelle selon l'index BT01-NC, partie fixe 15 %."),
    "retention": 5,
    "advance": 10,
    "manager": "patrimoine",
    "buildings": ["FOC-A"],
    "lots": [
        (1, "Gros œuvre, cloisonnement et second œuvre", "BTP Grand Nouméa", 62_000_000),
        (2, "Électricité courants forts et faibles", "Électricité Générale du Sud", 23_000_000),
        (3, "Climatisation et ventilation", "Froid Service NC", 19_000_000),
    ],
    # (number, lot, signed on, object, amount excl. tax, extension months, justification)
    "amendments": [
        (
            1,
            1,
            (0, 3, 10),
            "Désamiantage des faux plafonds du 2e étage",
            5_200_000,
            0,
            "",
        ),
        (
            2,
            1,
            (0, 7, 22),
            "Reprise des planchers et renforcement de la structure",
            11_500_000,
            2,
            "Sondages révélant la corrosion des aciers des planchers du 1er étage, inconnue à la "
            "consultation : reprise indispensable à la sécurité de l'ouvrage (rapport du bureau "
            "de contrôle du 12 juin). Sujétion technique imprévue ; montant cumulé présenté à la "
            "commission permanente.",
        ),
    ],
    # (number, lot or None, kind, issued on, effective on, object)
    "service_orders": [
        (1, None, "start", (-1, 9, 25), (-1, 10, 1), "Démarrage des travaux, tous lots"),
        (2, 1, "stop", (0, 2, 9), (0, 2, 10), "Arrêt du chantier : découverte d'amiante"),
        (3, 1, "resume", (0, 3, 13), (0, 3, 16), "Reprise après désamiantage"),
        (4, 3, "execution", (0, 6, 1), (0, 6, 8), "Pose des unités extérieures en toiture"),
    ],
    # commitments incl. tax per year and lot (year offset → {lot: amount})
    "commitments": {
        -1: {1: 15_000_000, 2: 5_000_000, 3: 4_000_000},
        0: {1: 68_000_000, 2: 19_300_000, 3: 16_100_000},
    },
}

# Orders outside contracts: (date, supplier, category, line, object, amount excl. tax, tax).
# The studies (ETU) of the current year add up to 17 700 000 XPF in orders each under the lowest
# threshold: the study need recorded after them is flagged for splitting.
OUTSIDE_ORDERS = [
    ((-1, 4, 14), "Vitrerie Magenta", "TRV-GE", "entretien_batiments",
     "Remplacement des vitrages du hall du bâtiment B", 1_180_000, "TR"),
    ((-1, 7, 3), "Garage Central Païta", "VEH", "vehicules",
     "Révision des véhicules de service (6 véhicules)", 690_000, "TN"),
    ((-1, 9, 8), "Imprimerie du Caillou", "FOUR", "impressions",
     "Impression du rapport d'activité", 845_000, "TN"),
    ((-1, 11, 24), "Déménagements Nouméa Express", None, "services_divers",
     "Transfert des archives vers le site de Ducos", 1_350_000, "TN"),
    ((0, 2, 3), "Bureau d'études Tontouta", "ETU", "etudes",
     "Diagnostic de structure du bâtiment C", 6_200_000, "TN"),
    ((0, 2, 19), "Garage Central Païta", "VEH", "vehicules",
     "Remplacement des pneumatiques des véhicules de service", 540_000, "TN"),
    ((0, 3, 9), "Plomberie Sanitaire Dumbéa", "TRV-GE", "entretien_batiments",
     "Réparation des sanitaires du bâtiment B", 485_000, "TR"),
    ((0, 4, 21), "Contrôle Technique Bâtiment NC", "ELEC", "maintenance_batiments",
     "Vérifications périodiques des installations électriques", 1_450_000, "TN"),
    ((0, 5, 4), "Bureau d'études Tontouta", "ETU", "etudes",
     "Étude de mise en accessibilité des bâtiments A et B", 5_900_000, "TN"),
    ((0, 5, 28), "Déménagements Nouméa Express", None, "services_divers",
     "Déménagement du service juridique vers l'annexe Foch", 1_920_000, "TN"),
    ((0, 6, 15), "Imprimerie du Caillou", "FOUR", "impressions",
     "Impression des documents de la session budgétaire", 380_000, "TN"),
    ((0, 7, 2), "Archives et Numérisation NC", None, "services_divers",
     "Numérisation des délibérations de 1985 à 1999", 3_750_000, "TN"),
    ((0, 8, 3), "Bureau d'études Tontouta", "ETU", "etudes",
     "Audit énergétique du site Vauban", 5_600_000, "TN"),
    ((0, 8, 27), "Menuiserie du Mont-Dore", "TRV-GE", "entretien_batiments",
     "Remplacement des portes coupe-feu du bâtiment A", 2_340_000, "TR"),
    ((0, 9, 16), "Garage Central Païta", "VEH", "vehicules",
     "Réparation du véhicule utilitaire après sinistre", 410_000, "TN"),
    ((0, 10, 5), "Énergie Solaire Pacifique", "ELEC", "equipements",
     "Onduleur de la centrale photovoltaïque de Ducos", 1_260_000, "TN"),
]  # fmt: skip
# An order cancelled (its commitment released): (date, supplier, category, line, object, amount)
CANCELLED_ORDER = (
    (0, 6, 22),
    "Mobilier Bureau Pacifique",
    "MOB",
    "mobilier",
    "Fauteuils de la salle des commissions (commande annulée : modèle retiré du catalogue)",
    1_180_000,
)

# Purchase needs: key, object, category, operation, amount, date, line, service, status.
# Created after the orders; the study need is the one flagged for splitting.
NEEDS = [
    ("materiel", "Fourniture de matériel informatique 2025-2027", "INF-MAT", "",
     36_000_000, (-1, 1, 20), "informatique", "SIT", "awarded"),
    ("annexe", "Réhabilitation et aménagement de l'annexe Foch", "TRV-AMG",
     "Réhabilitation de l'annexe Foch", 104_000_000, (-1, 4, 15), "annexe", "SPI", "awarded"),
    ("fournitures", "Fournitures de bureau et consommables 2026-2027", "FOUR", "",
     9_000_000, (-1, 11, 5), "fournitures_bureau", "SPML", "awarded"),
    ("etude", "Étude de programmation de la future salle des commissions", "ETU", "",
     4_500_000, (0, 10, 20), "etudes", "SPI", "validated"),
    ("groupes_froids", "Remplacement des groupes froids du bâtiment A", "TRV-GE",
     "Groupes froids du bâtiment A", 48_000_000, (0, 9, 1), "equipements", "SPI", "launched"),
    ("postes", "Renouvellement des postes de travail (tranche 2027)", "INF-MAT", "",
     28_000_000, (0, 10, 2), "informatique", "SIT", "draft"),
    ("mobilier_commissions", "Mobilier de la salle des commissions", "MOB", "",
     6_500_000, (0, 7, 30), "mobilier", "SPML", "validated"),
    ("nettoyage", "Nouveau marché de nettoyage des locaux (2027-2030)", "NET", "",
     192_000_000, (0, 8, 18), "nettoyage", "SPI", "draft"),
    ("sauvegarde", "Renouvellement des licences de sauvegarde", "INF-LOG", "",
     3_200_000, (0, 5, 12), "logiciels", "SIT", "validated"),
    ("audit", "Audit de sécurité du système d'information", "INF-SUP", "",
     7_500_000, (0, 3, 3), "maintenance_informatique", "SIT", "abandoned"),
]  # fmt: skip

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
