//! The fixed part of the sample: PlanManager's journal list (verbatim from its FAQ screen),
//! payment terms, general-ledger accounts, and the word lists customers and lines are made from.

/// (code, name, location, kind, last number) exactly as PlanManager's "Facturatie → journalen"
/// screen shows them, flaws included: an empty code and journals without a location.
#[rustfmt::skip]
pub(crate) const JOURNALS: &[(&str, &str, Option<&str>, &str, i64)] = &[
    ("AAN",    "Aankoop Onderdelen",             Some("Bodyshop A"), "purchase",        201_706),
    ("AAN CN", "Credit nota onderdelen",         Some("Bodyshop A"), "purchase_credit", 2_019_001),
    ("",       "INTERN",                         Some("Demo JM"),    "internal",        1),
    ("ICTM",   "Intern CN Top Motors",           None,               "internal",        80_001),
    ("700",    "Journal verkoop carrosserie A1", Some("Bodyshop A"), "sale",            6_125_218),
    ("JVCA2",  "Journal verkoop carrosserie A2", Some("Bodyshop A"), "sale",            1_526_021),
    ("JVCB1",  "Journal verkoop carrosserie B1", Some("Bodyshop B"), "sale",            2_210_006),
    ("JVCB2",  "Journal verkoop carrosserie B2", Some("Bodyshop B"), "sale",            19),
    ("JVCC1",  "Journal verkoop carrosserie C1", None,               "sale",            1_250_539),
    ("JVGC2",  "Journal verkoop carrosserie C2", None,               "sale",            16),
    ("JVD1",   "Journal verkoop diversen 1",     None,               "sale",            8_250_896),
];

/// The locations, ids 1, 2, 3.
pub(crate) const LOCATIONS: &[&str] = &["Bodyshop A", "Bodyshop B", "Demo JM"];

/// (id, name, days, end of month).
pub(crate) const PAYMENT_TERMS: &[(i64, &str, i64, bool)] = &[
    (1, "Contant", 0, false),
    (2, "30 dagen", 30, false),
    (3, "30 dagen einde maand", 30, true),
    (4, "60 dagen", 60, false),
    (5, "15 dagen", 15, false),
];
pub(crate) const TERM_CASH: i64 = 1;
pub(crate) const TERM_30: i64 = 2;
pub(crate) const TERM_30_EOM: i64 = 3;
pub(crate) const TERM_60: i64 = 4;
pub(crate) const TERM_15: i64 = 5;

/// (number, Dutch description, French description).
pub(crate) const GL_ACCOUNTS: &[(i64, &str, &str)] = &[
    (400_000, "Handelsdebiteuren", "Clients"),
    (440_000, "Leveranciers", "Fournisseurs"),
    (451_000, "Te betalen btw", "TVA à payer"),
    (499_000, "Wachtrekening", "Compte d'attente"),
    (
        604_000,
        "Aankopen handelsgoederen",
        "Achats de marchandises",
    ),
    (
        700_000,
        "Omzet carrosserie",
        "Chiffre d'affaires carrosserie",
    ),
    (700_100, "Verkoop onderdelen", "Ventes de pièces"),
    (700_200, "Omzet arbeid", "Chiffre d'affaires main-d'œuvre"),
    (
        740_000,
        "Diverse bedrijfsopbrengsten",
        "Produits d'exploitation divers",
    ),
    (743_000, "Doorgerekende kosten", "Frais refacturés"),
];

/// How a catalogue item is counted on a line.
#[derive(Clone, Copy)]
pub(crate) enum Unit {
    /// Quarter hours of work.
    Hours,
    /// Whole pieces (or days).
    Pieces,
    /// One fixed amount.
    Fixed,
}

/// A thing a body shop invoices.
pub(crate) struct Item {
    pub nl: &'static str,
    pub fr: &'static str,
    pub gl_account: i64,
    pub unit: Unit,
    /// Unit price range in cents.
    pub price: (i64, i64),
    /// Relative frequency.
    pub weight: u64,
}

/// Everything invoiced at the standard 21 %.
#[rustfmt::skip]
pub(crate) const ITEMS: &[Item] = &[
    Item { nl: "Arbeid carrosserie", fr: "Main-d'œuvre carrosserie", gl_account: 700_200, unit: Unit::Hours, price: (4_500, 6_500), weight: 30 },
    Item { nl: "Arbeid spuitwerk", fr: "Main-d'œuvre peinture", gl_account: 700_200, unit: Unit::Hours, price: (4_800, 7_000), weight: 20 },
    Item { nl: "Uitdeuken portier", fr: "Débosselage portière", gl_account: 700_200, unit: Unit::Fixed, price: (8_000, 35_000), weight: 8 },
    Item { nl: "Lakmateriaal", fr: "Ingrédients peinture", gl_account: 700_100, unit: Unit::Fixed, price: (5_000, 40_000), weight: 15 },
    Item { nl: "Voorbumper", fr: "Pare-chocs avant", gl_account: 700_100, unit: Unit::Pieces, price: (15_000, 65_000), weight: 6 },
    Item { nl: "Koplamp rechts", fr: "Phare droit", gl_account: 700_100, unit: Unit::Pieces, price: (9_000, 120_000), weight: 5 },
    Item { nl: "Buitenspiegel links", fr: "Rétroviseur gauche", gl_account: 700_100, unit: Unit::Pieces, price: (6_000, 45_000), weight: 5 },
    Item { nl: "Voorruit vervangen", fr: "Remplacement pare-brise", gl_account: 700_000, unit: Unit::Fixed, price: (35_000, 110_000), weight: 4 },
    Item { nl: "Polijsten en reinigen", fr: "Polissage et nettoyage", gl_account: 700_000, unit: Unit::Fixed, price: (3_000, 12_000), weight: 8 },
    Item { nl: "Vervangwagen (per dag)", fr: "Véhicule de remplacement (par jour)", gl_account: 740_000, unit: Unit::Pieces, price: (2_500, 4_500), weight: 6 },
    Item { nl: "Sleepdienst", fr: "Remorquage", gl_account: 743_000, unit: Unit::Fixed, price: (9_000, 25_000), weight: 3 },
    Item { nl: "Milieubijdrage afval", fr: "Contribution environnementale déchets", gl_account: 740_000, unit: Unit::Fixed, price: (250, 1_500), weight: 6 },
];

/// The one item invoiced at 6 % (adapting a car for a wheelchair user).
pub(crate) const ITEM_SIX_PERCENT: Item = Item {
    nl: "Aanpassing voertuig rolstoelgebruiker",
    fr: "Adaptation du véhicule pour personne en chaise roulante",
    gl_account: 700_000,
    unit: Unit::Fixed,
    price: (20_000, 150_000),
    weight: 1,
};

pub(crate) const FIRST_NAMES_NL: &[&str] = &[
    "Jan", "Els", "Sofie", "Pieter", "Annelies", "Koen", "Lies", "Wouter", "Zoë", "Noël", "Jens",
    "Inès", "Joke", "Bart", "Ilse", "Lotte", "Siebe", "Febe",
];
pub(crate) const FIRST_NAMES_FR: &[&str] = &[
    "Hélène",
    "François",
    "Benoît",
    "Anaïs",
    "Maëlle",
    "Jérôme",
    "Céline",
    "Loïc",
    "Gaëtan",
    "Thérèse",
    "Noémie",
    "Frédéric",
    "Amélie",
    "Joël",
];
pub(crate) const FIRST_NAMES_DE: &[&str] =
    &["Jürgen", "Günther", "Jörg", "Käthe", "Björn", "Grete"];
pub(crate) const LAST_NAMES_NL: &[&str] = &[
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Van den Bossche",
    "D'Hondt",
    "D'Haese",
    "Vermeulen",
    "Van Dyck",
    "Verhaeghe",
    "Coppens",
    "Van de Velde",
];
pub(crate) const LAST_NAMES_FR: &[&str] = &[
    "Dubois",
    "Lambert",
    "Dupont",
    "Lefèvre",
    "Leclercq",
    "Renard",
    "Lemaître",
    "Gérard",
    "François",
    "Lefrançois",
    "Duchêne",
    "Delcroix",
    "Rousseau",
    "D'Oultremont",
    "Garçon",
];
pub(crate) const LAST_NAMES_DE: &[&str] = &[
    "Müller",
    "Schmitz",
    "Krämer",
    "Hönen",
    "Schröder",
    "Weiß",
    "Groß",
];

/// (postal code, city, language of the region).
pub(crate) const PLACES: &[(&str, &str, &str)] = &[
    ("9000", "Gent", "nl"),
    ("2000", "Antwerpen", "nl"),
    ("3000", "Leuven", "nl"),
    ("8000", "Brugge", "nl"),
    ("2800", "Mechelen", "nl"),
    ("3500", "Hasselt", "nl"),
    ("8500", "Kortrijk", "nl"),
    ("9300", "Aalst", "nl"),
    ("9100", "Sint-Niklaas", "nl"),
    ("2300", "Turnhout", "nl"),
    ("1000", "Brussel", "nl"),
    ("1000", "Bruxelles", "fr"),
    ("1050", "Ixelles", "fr"),
    ("1180", "Uccle", "fr"),
    ("4000", "Liège", "fr"),
    ("5000", "Namur", "fr"),
    ("7000", "Mons", "fr"),
    ("6000", "Charleroi", "fr"),
    ("1300", "Wavre", "fr"),
    ("6700", "Arlon", "fr"),
    ("7500", "Tournai", "fr"),
    ("4700", "Eupen", "de"),
    ("4780", "Sankt Vith", "de"),
];

pub(crate) const STREETS_NL: &[&str] = &[
    "Kerkstraat",
    "Stationsstraat",
    "Dorpsstraat",
    "Molenstraat",
    "Nieuwstraat",
    "Schoolstraat",
    "Grote Markt",
    "Veldstraat",
    "Kouter",
    "Lange Zoutstraat",
];
pub(crate) const STREETS_FR: &[&str] = &[
    "Rue de l'Église",
    "Chaussée de Mons",
    "Rue du Moulin",
    "Avenue Louise",
    "Rue Haute",
    "Place Saint-Lambert",
    "Rue de la Gare",
    "Boulevard d'Avroy",
    "Rue des Écoles",
];
pub(crate) const STREETS_DE: &[&str] = &[
    "Hauptstraße",
    "Kirchstraße",
    "Aachener Straße",
    "Bahnhofstraße",
];

/// Trades a Belgian company in the sample is in: (Dutch, French).
pub(crate) const TRADES: &[(&str, &str)] = &[
    ("Transport", "Transports"),
    ("Taxi", "Taxis"),
    ("Bouwbedrijf", "Construction"),
    ("Schrijnwerkerij", "Menuiserie"),
    ("Bakkerij", "Boulangerie"),
    ("Autoverhuur", "Location de voitures"),
    ("Koerierdienst", "Coursiers"),
    ("Tuinaanleg", "Jardins"),
];

/// Insurers that pay repairs (fictitious): (name, language).
pub(crate) const INSURERS: &[(&str, &str)] = &[
    ("Verzekeringen Fictief NV", "nl"),
    ("Assurances Exemple SA", "fr"),
    ("Polis & Partners NV", "nl"),
    ("Assurances du Lion SA", "fr"),
    ("Schadeverzekering Voorbeeld NV", "nl"),
    ("Mutuelle Automobile Fictive SC", "fr"),
    ("De Zekerheid Verzekeringen CV", "nl"),
    ("Assurances Ardennaises SA", "fr"),
];

/// Leasing companies (fictitious): (name, language).
pub(crate) const LEASING: &[(&str, &str)] = &[
    ("Leasing Fictief NV", "nl"),
    ("Autolease Voorbeeld BV", "nl"),
    ("Location Longue Durée Exemple SA", "fr"),
    ("Fleet & Lease Demo NV", "nl"),
    ("Leasing Wallonie SA", "fr"),
];

/// A company elsewhere in the EU (intra-EU deliveries at 0 %).
pub(crate) struct EuCompany {
    /// ISO country code, which decides the VAT number's form.
    pub iso: &'static str,
    pub name: &'static str,
    pub street: &'static str,
    pub number: &'static str,
    pub postal_code: &'static str,
    pub city: &'static str,
    /// The country as PlanManager users type it, in some language.
    pub country: &'static str,
    pub language: &'static str,
}

#[rustfmt::skip]
pub(crate) const EU_COMPANIES: &[EuCompany] = &[
    EuCompany { iso: "NL", name: "Transportbedrijf de Vries B.V.", street: "Havenweg", number: "12", postal_code: "3011 AA", city: "Rotterdam", country: "Nederland", language: "nl" },
    EuCompany { iso: "FR", name: "Transports Lefèvre SARL", street: "Rue Nationale", number: "88", postal_code: "59000", city: "Lille", country: "France", language: "fr" },
    EuCompany { iso: "DE", name: "Spedition Müller GmbH", street: "Jülicher Straße", number: "5", postal_code: "52062", city: "Aachen", country: "Deutschland", language: "de" },
    EuCompany { iso: "NL", name: "Autoschade Jansen B.V.", street: "Industrieweg", number: "3", postal_code: "5652 AB", city: "Eindhoven", country: "Pays-Bas", language: "nl" },
    EuCompany { iso: "FR", name: "Location Véhicules du Nord SAS", street: "Avenue de la Marne", number: "140", postal_code: "59290", city: "Wasquehal", country: "Frankrijk", language: "fr" },
    EuCompany { iso: "DE", name: "Autohaus Groß GmbH & Co. KG", street: "Aachener Straße", number: "401", postal_code: "50933", city: "Köln", country: "Duitsland", language: "de" },
];
