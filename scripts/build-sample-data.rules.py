# Reviewable tables used by scripts/build-sample-data.py (loaded with runpy; plain data, no logic).
# Every judgement call made while turning /work/shared/data into sample-data/ is written down here.

# ------------------------------------------------------------------ governorates
# French names (the source only has an English transliteration and Arabic).
GOVERNORATE_NAME_FR = {
    11: "Tunis", 12: "Ariana", 13: "Ben Arous", 14: "La Manouba", 15: "Nabeul", 16: "Zaghouan",
    17: "Bizerte", 21: "Béja", 22: "Jendouba", 23: "Le Kef", 24: "Siliana", 31: "Sousse",
    32: "Monastir", 33: "Mahdia", 34: "Sfax", 41: "Kairouan", 42: "Kasserine", 43: "Sidi Bouzid",
    51: "Gabès", 52: "Médenine", 53: "Tataouine", 61: "Gafsa", 62: "Tozeur", 63: "Kébili",
}
# Spellings met in the World Bank place names that the folding alone does not reach.
GOVERNORATE_ALIASES = {"bizert": 17}

# ------------------------------------------------------------------ municipalities
# name_ar is name_ar_official, except where that value is plainly another place's name; then the
# Ministry list (population/municipalities_2019.csv, same official code) is used.
MUNICIPALITY_NAME_AR_FIX = {
    4127: "الشرايطية القصور",  # source has الشوايحية (a different locality); French name is CHERAITIA EL KSOUR
    3432: "الأعشاش بوجربوع العوادنة ماجل درج",  # source has النور - صفاقس; French name is EL ACHECH BOUJARBOUE…
}
# Words kept lower case when title-casing the official upper-case French names.
FRENCH_SMALL_WORDS = {"de", "du", "des", "et", "sur"}

# ------------------------------------------------------------------ delegation population (derived)
# A municipality's 2019 estimate is spread over the delegations it overlaps: URBAN_SHARE of it by the
# area of its 2014 communal perimeter in each delegation, the rest by the area of its 2016 extension in
# each delegation (all of it by plain area when it has no 2014 perimeter, all of it by perimeter when it
# has no extension). An assumption, not a census figure: most people of an extended commune live in the
# old urban perimeter, but the extensions are not empty (pure perimeter weighting gave Gafsa Nord 0).
URBAN_SHARE = 0.8

# ------------------------------------------------------------------ facilities
# OSM amenity value -> facility kind. Counts in the 2019 extract are in sample-data/README.md.
# Not taken: power towers/poles and everything else (shops, cafés, banks, places, man_made…),
# nor amenity=childcare (5), nursing_home (5), social_facility (5), fire_station (14), prison (2),
# embassy (48), post_box (8): they are not the five kinds the sample needs.
FACILITY_KINDS = {
    "school": "school", "college": "school", "university": "school", "kindergarten": "school",
    "hospital": "health", "clinic": "health", "doctors": "health", "dentist": "health",
    "pharmacy": "health",  # there is no health_post value in the extract
    "townhall": "administration", "courthouse": "administration",
    "public_building": "administration", "register_office": "administration", "customs": "administration",
    "post_office": "post",
    "police": "police",
}

# ------------------------------------------------------------------ projects: theme
# World Bank sub-sector (the `sectors` field, "FY17 - " prefix removed) -> Mokhattat theme.
# A project's theme is the theme with the largest summed sector share (ties: the first listed).
# Each theme and the sub-sectors coded to it; SECTOR_THEME, what the build reads, is its inverse.
THEME_SECTORS = {
    "agriculture": [
        "Crops", "Irrigation and Drainage", "Livestock",
        "Agricultural Extension, Research, and Other Support Activities",
        "Other Agriculture, Fishing and Forestry",
        "Public Administration - Agriculture, Fishing & Forestry",
        "Agricultural markets, commercialization and agri-business",
    ],
    "digital": [
        "ICT Services", "ICT Infrastructure",
    ],
    "education": [
        "Early Childhood Education", "Primary Education", "Secondary Education",
        "Tertiary Education", "Other Education", "Workforce Development and Vocational Education",
        "Public Administration - Education",
    ],
    "energy": [
        "Renewable Energy Biomass", "Renewable Energy Geothermal", "Renewable Energy Solar",
        "Renewable Energy Wind", "Renewable Energy Hydro", "Renewable energy",
        "Energy Transmission and Distribution", "Other Energy and Extractives",
        "Public Administration - Energy and Extractives",
    ],
    "environment": [
        "Forestry", "Waste Management",
    ],
    "finance": [
        "Banking Institutions", "Other Non-bank Financial Institutions", "Capital Markets",
        "Public Administration - Financial Sector",
    ],
    "governance": [
        "Central Government (Central Agencies)", "Sub-National Government", "Law and Justice",
        "Other Public Administration",
    ],
    "health": [
        "Health", "Public Administration - Health",
    ],
    "industry_trade": [
        "Other Industry, Trade and Services", "Trade",
        "Public Administration - Industry, Trade and Services",
    ],
    "social_protection": [
        "Social Protection", "Public Administration - Social Protection",
    ],
    "transport": [
        "Rural and Inter-Urban Roads", "Ports/Waterways",
    ],
    "water": [
        "Water Supply", "Sanitation", "Other Water Supply, Sanitation and Waste Management",
        "Public Administration - Water, Sanitation and Waste Management",
    ],
}
SECTOR_THEME = {sector: theme for theme, sectors in THEME_SECTORS.items() for sector in sectors}
# Where the World Bank sector coding says little about what the project does on the ground.
THEME_OVERRIDES = {
    "P048825": ("urban_development", "Cultural Heritage: medinas, museums and sites; coded 78% Social Protection"),
    "P069460": ("environment", "Gulf of Gabes marine and coastal resources protection (GEF)"),
    "P120561": ("environment", "ecotourism and conservation of desert biodiversity (GEF)"),
    "P132157": ("environment", "oases ecosystems (GEF)"),
    "P130343": ("environment", "desert ecosystems knowledge sharing; sector shares tie"),
    "P169051": ("environment", "Africa Climate Resilience Investment Facility; coded 67% Other Public Administration"),
    "P168425": ("digital", "Digital Transformation for User-Centric Public Services; coded 49% Education, 31% ICT"),
    "P079824": ("energy", "youth-led enterprises in off-grid renewable energy; 50/50 tie with Vocational Education"),
    "P150877": ("governance", "National Network of Social Accountability; coded 40% PA - Financial Sector"),
}

# ------------------------------------------------------------------ projects: project type
# Rough type used by the land-use rules: road, network, building, facility, programme.
# Rule: the type of the project's largest sub-sector (table below; anything else is a programme),
# then a technical-assistance loan or a title naming preparation/capacity/knowledge work is a programme,
# then the overrides.
SECTOR_TYPE = {
    "Rural and Inter-Urban Roads": "road",
    "Water Supply": "network", "Sanitation": "network", "Irrigation and Drainage": "network",
    "Energy Transmission and Distribution": "network",
    "Waste Management": "facility", "Ports/Waterways": "facility",
    "Renewable Energy Biomass": "facility", "Renewable Energy Geothermal": "facility",
    "Renewable Energy Solar": "facility", "Renewable Energy Wind": "facility",
    "Renewable Energy Hydro": "facility",
}
PROGRAMME_INSTRUMENTS = {"Technical Assistance Loan"}
PROGRAMME_TITLE_WORDS = r"\b(TA|Technical Assistance|Preparation|Capacity|Knowledge|Coordination)\b"
TYPE_OVERRIDES = {
    "P048825": ("building", "restoration of museums and monuments"),
    "P086660": ("programme", "natural resources management spread over watersheds, not one network"),
}

# A `pdo` that is an internal staff note (two carbon-finance projects) is not a description.
PDO_NOT_A_DESCRIPTION = r"^\d{1,2}/\d{1,2}/\d{4}:"

# ------------------------------------------------------------------ projects: status, money
STATUS = {"Active": "works_under_way", "Closed": "completed", "Pipeline": "planned", "Dropped": "cancelled"}
USD_TO_TND = 3.1  # approximate exchange rate, an assumption stated in sample-data/README.md

# ------------------------------------------------------------------ projects: location precision
# Rule, in this order (first match wins):
#  1. national     the name is one of NATIONAL_NAMES, or the GeoNames id (geo_loc_id) is the country's,
#                  or the name is empty and the id is used by no other row;
#  2. governorate  the name (or another row with the same GeoNames id) reads "Gouvernorat de X" /
#                  "X Governorate"; unit_code = X's 2-digit code (an empty name or "Manouba" /
#                  "Tataouine" whose GeoNames id is the governorate's own id are governorate points);
#  3. the explicit PLACE_OVERRIDES table below;
#  4. municipality the folded name equals a municipality's official French or English name;
#  5. delegation   the folded name equals a delegation's name;
#  6. exact        the name says it is a site (EXACT_WORDS);
#  7. approximate  anything else (listed as "unclassified" in the build report; there are none today).
NATIONAL_NAMES = {"Republic of Tunisia", "Tunisia", "Tunisian Republic"}
COUNTRY_GEONAMES_ID = "2464461"
EXACT_WORDS = r"\b(museum|musée|reservoir|dam|barrage|port|harbour|airport|aéroport|plant)\b"
PLACE_OVERRIDES = {
    # name: (precision, unit code or None, why)
    # municipalities whose name is spelt differently from the official list
    "Al Hammamat": ("municipality", "1534", "Hammamet"),
    "Ayn ad Darahim": ("municipality", "2214", "Ain Draham"),
    "Aïne Draham": ("municipality", "2214", "Ain Draham"),
    "Ayoun": ("municipality", "4221", "El Ayoun (Kasserine)"),
    "Az Zarat": ("municipality", "5120", "Ezzarat"),
    "Beni Khedeche": ("municipality", "5212", "Beni Khedech"),
    "Djedliane": ("municipality", "4214", "Djedeliane"),
    "Jedelienne": ("municipality", "4214", "Djedeliane"),
    "Ghazala": ("municipality", "1726", "Ghezala"),
    "Houmt Souk": ("municipality", "5215", "Djerba Houmet Souk"),
    "Jammal": ("municipality", "3219", "Jammel"),
    "Jerba Ajim": ("municipality", "5217", "Djerba Ajim"),
    "Jerba Midoun": ("municipality", "5216", "Djerba Midoun"),
    "Kelaa Kebira": ("municipality", "3117", "Kalaa Kebira"),
    "La Mornaghia": ("municipality", "1415", "Mornaguia"),
    "Mennzel Bou Zelfa": ("municipality", "1529", "Menzel Bouzelfa"),
    "Ra’s al Jabal": ("municipality", "1721", "Ras Djebel"),
    "Rohia": ("municipality", "2417", "Er-Rouhia"),
    "Thyna": ("municipality", "3417", "Tina"),
    "El Hajeb": ("municipality", "3430", "El Hajeb (Sfax); the point lies 1 km outside it, in Agareb"),
    "Sejnane": ("municipality", "1712", "Sedjnane; the point lies 4.8 km outside it, in El Hachachna"),
    "Iles de Kerkenah": ("municipality", "3426", "the Kerkennah islands are exactly the Kerkenah municipality"),
    # delegations (GeoNames "Mu'tamadiyat …" = delegation; a misspelt delegation name)
    "Kef Quest": ("delegation", "2351", "Kef Ouest"),
    "Mu‘tamadiyat Hawmat as Suq": ("delegation", "5256", "Djerba Houmet Souk"),
    "Mu‘tamadiyat Jarjis": ("delegation", "5255", "Zarzis"),
    "Mu‘tamadiyat Jundubah": ("delegation", "2251", "Jendouba"),
    "Mu‘tamadiyat Majaz al Bab": ("delegation", "2159", "Medjez El Bab"),
    "Mu‘tamadiyat Saqiyat Sidi Yusuf": ("delegation", "2354", "Sakiet Sidi Youssef"),
    "Mu‘tamadiyat Subaytilah": ("delegation", "4255", "Sbeitla"),
    "Mu‘tamadiyat Tabursuq": ("delegation", "2155", "Teboursouk"),
    "Mu‘tamadiyat Talah": ("delegation", "4259", "Thala"),
    "Mu‘tamadiyat ‘Ayn ad Darahim": ("delegation", "2255", "Ain Draham"),
    # named sites: the point is the thing itself
    "Ghdir El Golla": ("exact", None, "SONEDE drinking-water treatment plant"),
    "Oudhna": ("exact", None, "archaeological site of Uthina"),
    "Kairouan Medina": ("exact", None, "the historic medina of Kairouan"),
    "Jazirat Khunayyis": ("exact", None, "the Kneiss islands nature reserve"),
    # localities, districts, islands, lakes, gulfs, rivers: a point near, not on, the thing
    "Al Mu‘allaqah": ("approximate", None, "La Maalga locality (Carthage / La Marsa)"),
    "Attar": ("approximate", None, "locality in Sidi Hassine"),
    "Bir Kassa": ("approximate", None, "locality in El Mourouj"),
    "Bordj Bourguiba": ("approximate", None, "locality in Remada"),
    "Borj et Touil": ("approximate", None, "locality in Raoued"),
    "Cap Bon": ("approximate", None, "peninsula; the point is offshore"),
    "Cherguia Jenoub er Riana": ("approximate", None, "Charguia district"),
    "Chotrana": ("approximate", None, "district of La Soukra"),
    "Djerba": ("approximate", None, "island of three municipalities"),
    "Ile de Jerba": ("approximate", None, "island of three municipalities"),
    "Djerba Zarzis": ("approximate", None, "region name (Djerba and Zarzis)"),
    "El Khelij": ("approximate", None, "locality; geocoded near Jendouba for a Tunis wastewater project"),
    "Golfe de Bou Grara": ("approximate", None, "sea gulf; the point is offshore"),
    "Gulf of Gabes": ("approximate", None, "sea gulf; the point is offshore"),
    "Jebel Oust": ("approximate", None, "locality in Bir Mchergua"),
    "La Gazelle": ("approximate", None, "El Ghazala district"),
    "La Sebala du Mornag": ("approximate", None, "locality in Mornag"),
    "Mutuelleville": ("approximate", None, "district of Tunis"),
    "Oued Miliane": ("approximate", None, "river"),
    "Ras Tabia": ("approximate", None, "district of Tunis"),
    "Sejoumi": ("approximate", None, "Sebkhet Sejoumi lagoon / district"),
    "Shatt al Gharsah": ("approximate", None, "Chott el Gharsa salt lake"),
    "Shatt al Jarid": ("approximate", None, "Chott el Jerid salt lake"),
    "Sidi Daoud": ("approximate", None, "village next to the wind farm, not the farm itself"),
}
