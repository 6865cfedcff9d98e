"""The words chat listings use for time zones, and the words that say which country a chat is in.

Tables only; `launchkit.domain.zones` finds them in text. Chat lists write "EST" all year for
US Eastern local time, so EST/EDT/ET all mean America/New_York (likewise for the other US
zones): the listing means "wall-clock time in New York", not a fixed UTC-5 offset.
"""

from __future__ import annotations


def _table(spec: str) -> dict[str, str]:
    """ "Zone: name | name" lines as {name: zone}."""
    out: dict[str, str] = {}
    for line in spec.strip().splitlines():
        zone, _, names = line.partition(":")
        out.update(dict.fromkeys((n.strip() for n in names.split("|")), zone.strip()))
    return out


# Upper-case abbreviations. Matched case-sensitively anywhere, or in any case right after a
# clock time ("9pmEst"). GMT in chat listings means "UK time" (the labels map it to London).
ABBREVIATIONS = _table("""
America/New_York: ET | EST | EDT | EDST | EST5EDT | NYT
America/Chicago: CT | CST | CDT
America/Denver: MT | MST | MDT
America/Los_Angeles: PT | PST | PDT
America/Halifax: AT | AST | ADT
America/St_Johns: NST | NDT
America/Anchorage: AKST | AKDT | AKT
Pacific/Honolulu: HST | HAST | HT
Europe/London: GMT | BST | UK
UTC: UTC | UT | Z
Europe/Paris: CET | CEST | MET | MEST
Europe/Athens: EET | EEST
Europe/Lisbon: WET
Europe/Moscow: MSK
Africa/Johannesburg: SAST
Africa/Nairobi: EAT
Africa/Lagos: WAT
Asia/Karachi: PKT
Asia/Singapore: SGT
Asia/Hong_Kong: HKT
Asia/Manila: PHT | PHST
Asia/Jakarta: WIB
Asia/Tokyo: JST
Asia/Seoul: KST
Australia/Sydney: AEST | AEDT | AET
Australia/Adelaide: ACST | ACDT
Australia/Perth: AWST
Pacific/Auckland: NZ | NZST | NZDT | NZT
""")

# Abbreviations with no reading of their own: IST is India, Irish or Israel Standard Time,
# GST Gulf Standard Time or a "Greenwich" label. Only the chat's own words settle them.
AMBIGUOUS = {
    "IST": "IST may be India, Irish or Israel Standard Time",
    "GST": "GST may be Gulf Standard Time or Greenwich time",
}

# Readings of an abbreviation in one region of the world, found from the chat's own words
# (its schedule, name, topic, link). For an abbreviation in AMBIGUOUS, one region settles it;
# for one in ABBREVIATIONS (CST is US Central in most listings), a region that reads it
# otherwise makes it uncertain, never silently switched.
REGIONAL: dict[str, dict[str, str]] = {
    "IST": {"india": "Asia/Kolkata", "ireland": "Europe/Dublin", "israel": "Asia/Jerusalem"},
    "GST": {"gulf": "Asia/Dubai"},
    "CST": {"china": "Asia/Shanghai"},
    "PST": {"philippines": "Asia/Manila"},
    "MST": {"malaysia": "Asia/Kuala_Lumpur"},
    "EST": {"australia": "Australia/Sydney"},
    "BST": {"bangladesh": "Asia/Dhaka"},
    "AST": {"arabia": "Asia/Riyadh"},
}

# Words (lower case, whole words or two-word names) that place a chat in a region.
REGION_WORDS = _table("""
india: india | indian | indians | mumbai | bombay | delhi | new delhi | bangalore | bengaluru
india: chennai | kolkata | calcutta | hyderabad | pune | kerala | tamil | hindi | bharat
india: ahmedabad | jaipur | lucknow | telugu | marathi | bollywood | desi | rupee | rupees
ireland: ireland | irish | dublin | cork | galway | limerick | eire | éire | gaelic
israel: israel | israeli | tel aviv | jerusalem | haifa | hebrew
gulf: dubai | uae | emirates | emirati | abu dhabi | oman | muscat | sharjah
china: china | chinese | beijing | shanghai | shenzhen | guangzhou | mandarin
philippines: philippines | philippine | filipino | filipina | pinoy | manila | cebu
malaysia: malaysia | malaysian | kuala lumpur | penang
australia: australia | australian | aussie | aussies | sydney | melbourne | brisbane
australia: canberra | queensland | nsw
bangladesh: bangladesh | bangladeshi | dhaka | bangla
arabia: saudi | riyadh | jeddah | kuwait | qatar | doha | bahrain | iraq | baghdad
""")
# Country-code domains in a chat's link say the same.
REGION_DOMAINS = {
    ".in": "india", ".ie": "ireland", ".il": "israel", ".ae": "gulf", ".cn": "china",
    ".ph": "philippines", ".my": "malaysia", ".au": "australia", ".bd": "bangladesh",
    ".sa": "arabia",
}  # fmt: skip

# Spelled-out zone names, matched case-insensitively anywhere.
NAMES = _table("""
America/New_York: eastern standard time | eastern daylight time | eastern time | eastern
America/New_York: new york time | us eastern | east coast time
America/Chicago: central standard time | central daylight time | central time | central
America/Chicago: us central | chicago time
America/Phoenix: mountain time (arizona) | mountain (arizona) | mst (arizona) | arizona time
America/Phoenix: arizona
America/Denver: mountain standard time | mountain daylight time | mountain time | mountain
America/Denver: denver time
America/Los_Angeles: pacific standard time | pacific daylight time | pacific time | pacific
America/Los_Angeles: us pacific | los angeles time | la time | seattle time | west coast time
America/Halifax: atlantic standard time | atlantic time | atlantic
Pacific/Honolulu: hawaii time | hawaii
America/Anchorage: alaska time | alaska
Europe/London: greenwich mean time | british summer time | british time | uk time
Europe/London: london time | england time
Europe/Dublin: irish standard time | irish summer time | irish time | ireland time
Europe/Dublin: dublin time
Europe/Paris: central european summer time | central european time | paris time
Europe/Paris: berlin time | amsterdam time | brussels time
Asia/Kolkata: india standard time | indian standard time | india time | indian time
Asia/Jerusalem: israel standard time | israel time
Australia/Sydney: australian eastern standard time | australian eastern daylight time
Australia/Sydney: australian eastern time | sydney time | melbourne time
Pacific/Auckland: new zealand time | auckland time
Asia/Singapore: singapore time
Asia/Tokyo: japan standard time | japan time | tokyo time
Asia/Dubai: gulf standard time | dubai time
UTC: coordinated universal time
""")

# Places named instead of a zone ("8pm London", "9am for the East Coast"). A place is a
# zone only right after a clock time or before the word "time": "Chicago teachers" is not.
PLACES = _table("""
America/New_York: new york | nyc | boston | atlanta | miami | philadelphia | east coast
America/Toronto: toronto | montreal | ottawa
America/Chicago: chicago | dallas | houston | austin | minneapolis | nashville | new orleans
America/Denver: denver | salt lake city | calgary | edmonton
America/Phoenix: phoenix
America/Los_Angeles: los angeles | san francisco | seattle | san diego | las vegas
America/Los_Angeles: silicon valley | west coast
America/Vancouver: vancouver
America/Mexico_City: mexico city
America/Sao_Paulo: sao paulo | são paulo
Europe/London: london | manchester | edinburgh | the uk
Europe/Dublin: dublin | ireland
Europe/Paris: paris
Europe/Berlin: berlin | germany
Europe/Amsterdam: amsterdam
Europe/Madrid: madrid
Europe/Rome: rome
Europe/Stockholm: stockholm
Asia/Kolkata: india | mumbai | delhi | new delhi | bangalore | bengaluru | chennai | kolkata
Asia/Kolkata: hyderabad | pune
Asia/Karachi: karachi | lahore | pakistan
Asia/Dhaka: dhaka | bangladesh
Asia/Dubai: dubai | abu dhabi
Asia/Jerusalem: jerusalem | tel aviv | israel
Asia/Singapore: singapore
Asia/Kuala_Lumpur: kuala lumpur
Asia/Jakarta: jakarta
Asia/Manila: manila | the philippines
Asia/Hong_Kong: hong kong
Asia/Shanghai: beijing | shanghai
Asia/Tokyo: tokyo | japan
Asia/Seoul: seoul
Africa/Lagos: lagos | nigeria
Africa/Nairobi: nairobi | kenya
Africa/Johannesburg: johannesburg | cape town | south africa
Australia/Sydney: sydney | canberra
Australia/Melbourne: melbourne
Australia/Brisbane: brisbane
Australia/Adelaide: adelaide
Australia/Perth: perth
Pacific/Auckland: auckland | wellington | new zealand
""")
