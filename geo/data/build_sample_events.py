"""Build geo/data/sample_events.csv: a small, hand-cited sample of real conflict events.

Why a script: every row must be traceable to the news report it came from and every coordinate to a cited
gazetteer, so the rows live here as data (with their source URL and notes) and the coordinates are looked
up at build time from MIMU place codes (geo/data/towns.csv, or a MIMU village in PyPI ``mm-geo-coder``), never
typed in by hand. Rebuild with ``python geo/data/build_sample_events.py``; the output is deterministic.

Scope: 27 Oct 2023 - 31 Jan 2024 (Operation 1027 in northern Shan, the Arakan Army offensive in Rakhine
from 13 Nov 2023, the Chin front on the Indian border and Paletwa). This is a SMALL SAMPLE, not a complete
record; see SOURCES.md ("Sample conflict events"). Columns follow ACLED's export format plus ``place_pcode``,
``coordinates_from`` and ``geo_placement``.

Each event sits at its own place (``placement``):
* "at" - it happened in that town or village: geo_precision 1;
* "near" - the source puts it near that town or village (an outpost, a gate, the outskirts): precision 2;
* "township" - the source gives only the township: the township's seat town, precision 2.
No event is placed at a district or state capital standing in for its own place; an event whose place and
township are both unknown stays out (see SOURCES.md).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sqlite3
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from geo.data.build_gazetteer import source_database  # noqa: E402
from geo.events import EVENT_COLUMNS  # noqa: E402
from geo.gazetteer import load_towns  # noqa: E402

DEFAULT_OUTPUT = REPO / "geo" / "data" / "sample_events.csv"

PERIOD = (dt.date(2023, 10, 27), dt.date(2024, 1, 31))

COLUMNS = (*EVENT_COLUMNS, "place_pcode", "coordinates_from", "geo_placement")

EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
    },
    "Violence against civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "Strategic developments": {
        "Agreement",
        "Headquarters or base established",
        "Non-violent transfer of territory",
        "Looting/property destruction",
        "Other",
    },
}

# The places used, keyed by the name used in the rows below: MIMU town P-codes (12 characters) from
# towns.csv, or MIMU village P-codes (numbers) from the mm-geo-coder database. The build checks each code's
# MIMU name and state, so a wrong code cannot slip through.
PLACES: dict[str, tuple[str, str]] = {
    "Lashio": ("MMR015001701", "Shan (North)"),
    "Chinshwehaw": ("MMR015022702", "Shan (North)"),
    "Hseni": ("MMR015002701", "Shan (North)"),
    "Monekoe": ("MMR015009702", "Shan (North)"),
    "Namhkan": ("MMR015010701", "Shan (North)"),
    "Kunlong": ("MMR015020701", "Shan (North)"),
    "Laukkaing": ("MMR015022701", "Shan (North)"),
    "Muse": ("MMR015009701", "Shan (North)"),
    "Namhsan": ("MMR015016701", "Shan (North)"),
    "Mongngawt": ("MMR015012702", "Shan (North)"),
    "Kutkai": ("MMR015011701", "Shan (North)"),
    "Hopang": ("MMR015021701", "Shan (North)"),
    "Myo Thit": ("209556", "Shan (North)"),
    "Done Paik": ("197655", "Rakhine"),
    "Minbya": ("MMR012005701", "Rakhine"),
    "Thin Baw Hla (Rakhine) (Thar Yar Gone)": ("198101", "Rakhine"),
    "Ah Pauk Wa": ("196946", "Rakhine"),
    "Pauktaw": ("MMR012007701", "Rakhine"),
    "Myauk Taung": ("196779", "Rakhine"),
    "Kyauktaw": ("MMR012004701", "Rakhine"),
    "Mrauk-U": ("MMR012003701", "Rakhine"),
    "Rihkhawdar": ("MMR004001702", "Chin"),
    "Lalengpi": ("165101", "Chin"),
    "Rezua": ("MMR004007702", "Chin"),
    "Vangkai": ("165073", "Chin"),
    "Paletwa": ("MMR004009701", "Chin"),
    "Kha Maung Wa": ("165420", "Chin"),
}
PRECISION = {"at": 1, "near": 2, "township": 2}
MIMU = "MIMU place codes 9.6 (Feb 2025) via mm-geo-coder 0.2.1"

# ACLED-style actor names.
MILITARY = "Military Forces of Myanmar (2021-)"
POLICE = "Police Forces of Myanmar (2021-)"
MNDAA = "MNDAA: Myanmar National Democratic Alliance Army"
TNLA = "TNLA: Ta'ang National Liberation Army"
AA = "AA: Arakan Army"
ALLIANCE = "Brotherhood Alliance (MNDAA, TNLA, AA)"
CNA = "CNF/CNA: Chin National Front/Army"
CDF = "CDF: Chinland Defense Force"
CNDF = "CNDF: Chin National Defense Force"
PDF = "PDF: People's Defense Force"
CIVILIANS = "Civilians (Myanmar)"
UNIDENTIFIED = "Unidentified Armed Group (Myanmar)"

# The cited rows. ``place`` is the GAZETTEER key whose coordinates are used; ``location`` is the place as
# reported. Notes are paraphrases; they open with the date rule when the date was derived.
EVENTS: list[dict[str, Any]] = [
    {
        "id": "SAMPLE-0001",
        "date": "2023-10-27",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": ALLIANCE,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "",
        "location": "Lashio (tollgate at the town entrance)",
        "place": "Lashio",
        "placement": "near",
        "fatalities": 0,
        "source": "The Irrawaddy",
        "source_url": "https://www.irrawaddy.com/news/war-against-the-junta/ethnic-alliance-attacks-myanmar-junta-targets-across-northern-shan.html",
        "notes": "Reported 27 Oct 2023. Opening day of Operation 1027: from 4 a.m. the alliance hit regime targets in "
        "several northern Shan towns; in Lashio Township resistance groups raided militia bases and attacked "
        "junta troops at the tollgate at the entrance to Lashio. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0002",
        "date": "2023-10-28",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": MNDAA,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "Kokang Self-Administered Zone",
        "location": "Chinshwehaw",
        "place": "Chinshwehaw",
        "placement": "at",
        "fatalities": 0,
        "source": "Than Lwin Times",
        "source_url": "https://thanlwintimes.com/2023/10/29/junta-suffers-heavy-losses-in-joint-attack-of-resistance-forces/",
        "notes": "Reported 29 Oct 2023. On the morning of 28 Oct the MNDAA and allies took the junta's Namgyun base "
        "and two more camps at Chinshwehaw on the Yunnan border and seized arms. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0003",
        "date": "2023-11-02",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": ALLIANCE,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "",
        "location": "Hsenwi",
        "place": "Hseni",
        "placement": "at",
        "fatalities": 0,
        "source": "The Irrawaddy",
        "source_url": "https://www.irrawaddy.com/news/war-against-the-junta/key-northern-shan-towns-falling-to-rebels-mndaa.html",
        "notes": "Date derived: the report of 3 Nov 2023 (a Friday) says the alliance claimed full control of Hsenwi "
        "on Thursday, i.e. 2 Nov. Earlier that week MNDAA troops had blown up the Namtu River bridge outside "
        "the town to stop reinforcements. Claim by the alliance; fatalities not reported.",
    },
    {
        "id": "SAMPLE-0004",
        "date": "2023-11-07",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": MNDAA,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "Muse",
        "location": "Mongko",
        "place": "Monekoe",
        "placement": "at",
        "fatalities": 0,
        "source": "Myanmar Now",
        "source_url": "https://myanmar-now.org/en/news/mndaa-says-it-has-taken-full-control-of-mongko-on-myanmar-china-border/",
        "notes": "Date derived: the stored copy shows no publication date; the MNDAA spokesman said the town fell on "
        "Tuesday after two days of fighting, and the article calls it the latest fall within the two weeks "
        "since 27 Oct, so Tuesday 7 Nov 2023. MNDAA with the AA; the MNDAA flag was raised over the border "
        "gate to China. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0005",
        "date": "2023-11-07",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": TNLA,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "",
        "location": "Namhkam (pagoda compound, town centre)",
        "place": "Namhkan",
        "placement": "at",
        "fatalities": 13,
        "source": "Myanmar Now",
        "source_url": "https://myanmar-now.org/en/news/tnla-seizes-last-junta-base-in-northern-shan-state-town-of-namkham/",
        "notes": "Date derived: the undated article says the TNLA and allies overran the last junta base inside "
        "Namhkam, in a pagoda compound, on Tuesday morning after a 16-hour fight; CNI News reported the TNLA "
        "statement on this on 7 Nov 2023, a Tuesday. Fatalities: local sources cited 13 junta soldiers killed "
        "and 3 captured (not independently verified).",
    },
    {
        "id": "SAMPLE-0006",
        "date": "2023-11-12",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": MNDAA,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "Lashio",
        "location": "Kunlong",
        "place": "Kunlong",
        "placement": "at",
        "fatalities": 0,
        "source": "Shan Herald Agency for News (SHAN)",
        "source_url": "https://english.shannews.org/archives/26682",
        "notes": "Date derived: SHAN's undated article says the MNDAA seized Kunlong on Sunday, capturing weapons "
        "including a tank; Eleven Myanmar reported the same MNDAA claim on 13 Nov 2023, so Sunday 12 Nov. The "
        "junta spokesman called it a strategic withdrawal. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0007",
        "date": "2023-11-22",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "actor1": UNIDENTIFIED,
        "actor2": CIVILIANS,
        "admin1": "Shan-North",
        "admin2": "Kokang Self-Administered Zone",
        "location": "Laukkai (outskirts)",
        "place": "Laukkaing",
        "placement": "near",
        "fatalities": 10,
        "source": "DVB",
        "source_url": "https://english.dvb.no/operation-1027-one-month-of-brotherhood-alliance-offensive/",
        "notes": "DVB's one-month review (stored copy undated) says artillery killed ten civilians in Laukkai on 22 "
        "Nov 2023. Other reports describe a car of fleeing residents hit just outside the town; the MNDAA "
        "blamed the junta's Laukkai command, a local witness blamed the MNDAA, so the shooter is left "
        "unidentified. Kokang media put the toll at 14; the lower figure is used.",
    },
    {
        "id": "SAMPLE-0008",
        "date": "2023-11-23",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": UNIDENTIFIED,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "Muse",
        "location": "Kyin San Kyawt (Jin San Jiao) border gate",
        "place": "Muse",
        "placement": "near",
        "fatalities": 0,
        "source": "The Irrawaddy",
        "source_url": "https://www.irrawaddy.com/business/drone-attack-at-myanmar-china-border-gate-causes-over-14m-in-losses.html",
        "notes": "Date derived: report of 27 Nov 2023 (a Monday) describes an attack last Thursday, i.e. 23 Nov. "
        "Drones dropped bombs on junta troops sheltering at the gate to China, about 10 km from Muse; more "
        "than 100 cargo trucks parked there burned. No group had claimed it. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0009",
        "date": "2023-11-26",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": MNDAA,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "Muse",
        "location": "Kyin San Kyawt border gate",
        "place": "Muse",
        "placement": "near",
        "fatalities": 0,
        "source": "Business Recorder (AFP)",
        "source_url": "https://www.brecorder.com/news/40275243/armed-group-seizes-china-myanmar-border-crossing",
        "notes": "Reported 27 Nov 2023 from an AFP story of Sunday 26 Nov: MNDAA-affiliated media said the group took "
        "the Kyin San Kyawt trade gate to China that morning after an assault begun on Friday. An AP report "
        "dates the capture to Saturday 25 Nov. The gate is about 10 km from Muse. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0010",
        "date": "2023-12-15",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": ALLIANCE,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "Muse",
        "location": "105-Mile Trade Zone",
        "place": "Muse",
        "placement": "near",
        "fatalities": 0,
        "source": "Myanmar Now",
        "source_url": "https://myanmar-now.org/en/news/in-photos-muse-rumoured-to-be-next-target-of-resistance-forces-set-on-driving-junta-out-of-northern-shan-state/",
        "notes": "The undated photo report says the MNDAA, TNLA and AA took the 105-Mile Trade Zone, about six miles "
        "east of Muse, on 15 Dec 2023, after seizing the Kyin San Kyawt gate base in late November. "
        "Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0011",
        "date": "2023-12-15",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": TNLA,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "",
        "location": "Namhsan",
        "place": "Namhsan",
        "placement": "at",
        "fatalities": 60,
        "source": "Narinjara",
        "source_url": "https://www.narinjara.com/news/detail/65808c08a5345294b627b548",
        "notes": "The TNLA said it took all junta bases, the police station and offices in Namhsan by the evening of "
        "15 Dec 2023 after an offensive begun on 10 Dec; it reported 64 prisoners and four howitzers seized. "
        "Fatalities: the TNLA said over 60 enemy bodies were found (a claim; lower bound used).",
    },
    {
        "id": "SAMPLE-0012",
        "date": "2023-12-18",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": MNDAA,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "Kokang Self-Administered Zone",
        "location": "Yanlonkyaing (Yan Long Zhai) border gate",
        "place": "Laukkaing",
        "placement": "township",
        "fatalities": 0,
        "source": "Radio Free Asia",
        "source_url": "https://rfa.org/english/news/myanmar/myanmar-border-gate-12192023050247.html",
        "notes": "Date derived: RFA's report of 19 Dec 2023 (a Tuesday) says the MNDAA occupied the Yanlonkyaing trade "
        "gate to China in Laukkai Township on Monday morning, i.e. 18 Dec; junta troops and militia "
        "surrendered. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0013",
        "date": "2023-12-19",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": TNLA,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "",
        "location": "Sakhan Thit hill camp, outside Namhkam",
        "place": "Namhkan",
        "placement": "near",
        "fatalities": 0,
        "source": "Shan Herald Agency for News (SHAN)",
        "source_url": "https://english.shannews.org/archives/26791",
        "notes": "SHAN says the TNLA took the Sakhan Thit hill camp, about a mile outside Namhkam and the last junta "
        "position there, at about 1:30 a.m. on Tuesday 19 Dec 2023, completing its control of the town; some "
        "soldiers were captured. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0014",
        "date": "2023-12-31",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": TNLA,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "Kyaukme",
        "location": "Mongngaw",
        "place": "Mongngawt",
        "placement": "at",
        "fatalities": 0,
        "source": "The Irrawaddy",
        "source_url": "https://www.irrawaddy.com/news/burma/tnla-seizes-sixth-shan-state-town-from-myanmar-junta.html",
        "notes": "Reported 2 Jan 2024: the TNLA seized Mongngaw town on New Year's Eve (31 Dec 2023) after attacking "
        "its hilltop base from 28 Dec, under junta air and artillery fire. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0015",
        "date": "2024-01-01",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": MILITARY,
        "actor2": CIVILIANS,
        "admin1": "Shan-North",
        "admin2": "",
        "location": "Huay Hkuk village, near Kutkai",
        "place": "Kutkai",
        "placement": "near",
        "fatalities": 1,
        "source": "Shan Herald Agency for News (SHAN)",
        "source_url": "https://english.shannews.org/archives/26841",
        "notes": "SHAN (undated copy, written after 2 Jan 2024) reports that a junta fighter jet killed a man and "
        "wounded four people in Huay Hkuk, a village near Kutkai, on New Year's Day 2024, as the alliance "
        "closed in on the town.",
    },
    {
        "id": "SAMPLE-0016",
        "date": "2024-01-04",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": MNDAA,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "Kokang Self-Administered Zone",
        "location": "Laukkai",
        "place": "Laukkaing",
        "placement": "at",
        "fatalities": 0,
        "source": "The Irrawaddy",
        "source_url": "https://www.irrawaddy.com/news/war-against-the-junta/myanmar-regime-raises-the-white-flag-in-kokang-zone-on-china-border-in-shan-state.html",
        "notes": "Date derived: report of 5 Jan 2024 (a Friday) says the Laukkai Regional Operation Command "
        "surrendered to the MNDAA on Thursday, i.e. 4 Jan, giving it full control of Laukkai; troops and "
        "families were evacuated to Lashio. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0017",
        "date": "2024-01-05",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": ALLIANCE,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "",
        "location": "Hopang",
        "place": "Hopang",
        "placement": "at",
        "fatalities": 0,
        "source": "The Irrawaddy",
        "source_url": "https://www.irrawaddy.com/news/burma/myanmars-wa-rebels-launch-administration-in-town-seized-by-brotherhood-alliance.html",
        "notes": "The undated report says the alliance seized Hopang and Panlong on 5 Jan 2024 after more than 700 "
        "junta soldiers surrendered, then handed both towns to the UWSA, which held a handover ceremony in "
        "Hopang on 10 Jan. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0018",
        "date": "2024-01-07",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": ALLIANCE,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "",
        "location": "Kutkai",
        "place": "Kutkai",
        "placement": "at",
        "fatalities": 0,
        "source": "DVB",
        "source_url": "https://english.dvb.no/brotherhood-alliance-seizes-control-of-two-more-towns-military-officials-detained-for-surrendering/",
        "notes": "DVB (stored copy undated) says the MNDAA and TNLA told it the alliance took full control of Kutkai "
        "on 7 Jan 2024 after several days of fighting; The Irrawaddy later dated the fall to 8 Jan. DVB says "
        "casualties were not reported.",
    },
    {
        "id": "SAMPLE-0019",
        "date": "2024-01-07",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": ALLIANCE,
        "actor2": MILITARY,
        "admin1": "Shan-North",
        "admin2": "",
        "location": "Hsenwi",
        "place": "Hseni",
        "placement": "at",
        "fatalities": 0,
        "source": "DVB",
        "source_url": "https://english.dvb.no/brotherhood-alliance-seizes-control-of-two-more-towns-military-officials-detained-for-surrendering/",
        "notes": "Same DVB report: full control of Hsenwi on 7 Jan 2024; the town had been partly held by the alliance "
        "since late October, and the PLA and KNDF joined the final fight. Casualties not reported.",
    },
    {
        "id": "SAMPLE-0020",
        "date": "2024-01-07",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": MILITARY,
        "actor2": CIVILIANS,
        "admin1": "Shan-North",
        "admin2": "",
        "location": "Myothit village, Namhsan Township",
        "place": "Myo Thit",
        "placement": "at",
        "fatalities": 6,
        "source": "Ta'ang Women's Organization",
        "source_url": "https://taangwomen.org/2024/01/07/six-people-including-2-children-killed-due-to-second-bombardment-of-the-terror-military-council-at-namhsan-myothit-2/",
        "notes": "Reported 7 Jan 2024: at about 3:30 p.m. that day a military aircraft dropped a large bomb on Myothit "
        "village in Namhsan Township with no fighting nearby, killing six civilians including a teacher and "
        "his two sons (initial count).",
    },
    {
        "id": "SAMPLE-0021",
        "date": "2023-11-13",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": AA,
        "actor2": POLICE,
        "admin1": "Rakhine",
        "admin2": "Sittwe",
        "location": "Donepaik and Cheinkhali outposts, Rathedaung Township",
        "place": "Done Paik",
        "placement": "near",
        "fatalities": 0,
        "source": "Mizzima",
        "source_url": "https://eng.mizzima.com/2023/11/13/4671",
        "notes": "Reported 13 Nov 2023: before dawn the AA attacked the Cheinkhali and Donepaik Border Guard outposts "
        "on the Angumaw-Maungdaw road, ending the 2022 truce; the Rathedaung-based LIB 537 answered with "
        "artillery. Fatalities not reported. The point is Done Paik village; Chein Khar Li lies about 6 km to "
        "the north-west.",
    },
    {
        "id": "SAMPLE-0022",
        "date": "2023-11-13",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": AA,
        "actor2": MILITARY,
        "admin1": "Rakhine",
        "admin2": "",
        "location": "Minbya Township",
        "place": "Minbya",
        "placement": "township",
        "fatalities": 10,
        "source": "Development Media Group (DMG)",
        "source_url": "https://dmediag.com/news/40kancawa.html",
        "notes": "Reported 14 Nov 2023: in clashes in Minbya Township on 13 Nov the AA said it killed more than 10 "
        "junta soldiers and captured 10 from Sittwe-based LIB 344, including a major. Fatalities: AA claim, "
        "lower bound.",
    },
    {
        "id": "SAMPLE-0023",
        "date": "2023-11-13",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": AA,
        "actor2": MILITARY,
        "admin1": "Rakhine",
        "admin2": "",
        "location": "near Thinbawhla village, northern Maungdaw Township",
        "place": "Thin Baw Hla (Rakhine) (Thar Yar Gone)",
        "placement": "near",
        "fatalities": 14,
        "source": "Narinjara",
        "source_url": "https://www.narinjara.com/news/detail/6554ed7e0095611799db1e8b",
        "notes": "Narinjara, citing an AA statement on the first day of the offensive (13 Nov 2023): fighting with LIB "
        "232 near Thinbawhla village killed 14 junta soldiers including the deputy commander; one soldier was "
        "captured. Fatalities: AA claim. MIMU lists two Thin Baw Hla villages 0.7 km apart; the point is the "
        "lower P-code.",
    },
    {
        "id": "SAMPLE-0024",
        "date": "2023-11-13",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": AA,
        "actor2": POLICE,
        "admin1": "Rakhine",
        "admin2": "",
        "location": "Apaukwa police station, Kyauktaw Township",
        "place": "Ah Pauk Wa",
        "placement": "at",
        "fatalities": 0,
        "source": "Narinjara",
        "source_url": "https://www.narinjara.com/news/detail/6554ed7e0095611799db1e8b",
        "notes": "Same Narinjara report: on 13 Nov 2023, 22 policemen of the Apaukwa police station in Kyauktaw "
        "Township surrendered to the AA with their weapons. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0025",
        "date": "2023-11-16",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": AA,
        "actor2": POLICE,
        "admin1": "Rakhine",
        "admin2": "Sittwe",
        "location": "Pauktaw",
        "place": "Pauktaw",
        "placement": "at",
        "fatalities": 0,
        "source": "The Irrawaddy",
        "source_url": "https://www.irrawaddy.com/news/burma/aa-captures-town-in-rakhine-prompting-bombardment-by-myanmar-military.html",
        "notes": "Date derived: report of 16 Nov 2023 (a Thursday) says the AA took the township police station on "
        "Wednesday night and the whole town at about 7 a.m. Thursday, i.e. 16 Nov. Junta forces retook it "
        "days later. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0026",
        "date": "2023-11-16",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": MILITARY,
        "actor2": AA,
        "admin1": "Rakhine",
        "admin2": "Sittwe",
        "location": "Pauktaw",
        "place": "Pauktaw",
        "placement": "at",
        "fatalities": 0,
        "source": "The Irrawaddy",
        "source_url": "https://www.irrawaddy.com/news/burma/aa-captures-town-in-rakhine-prompting-bombardment-by-myanmar-military.html",
        "notes": "Same report (16 Nov 2023): after the AA took Pauktaw, two junta helicopter gunships bombed and "
        "strafed the town from about 9:20 a.m. and navy ships shelled it from about 1 p.m.; residents fled. "
        "Injuries were reported; fatalities not reported.",
    },
    {
        "id": "SAMPLE-0027",
        "date": "2024-01-02",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": MILITARY,
        "actor2": CIVILIANS,
        "admin1": "Rakhine",
        "admin2": "",
        "location": "Myauk Taung village, Kyauktaw Township",
        "place": "Myauk Taung",
        "placement": "at",
        "fatalities": 2,
        "source": "The Irrawaddy",
        "source_url": "https://www.irrawaddy.com/news/burma/aa-vows-to-oust-myanmar-junta-from-south-chin-state-this-week.html",
        "notes": "Date derived: report of 3 Jan 2024 (a Wednesday) says junta drones dropped three bombs on Myauk "
        "Taung village on Tuesday, i.e. 2 Jan, killing a three-year-old boy and a 22-year-old man and badly "
        "injuring four.",
    },
    {
        "id": "SAMPLE-0028",
        "date": "2024-01-16",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": AA,
        "actor2": MILITARY,
        "admin1": "Rakhine",
        "admin2": "",
        "location": "LIB 539 base, Kyauktaw Township",
        "place": "Kyauktaw",
        "placement": "township",
        "fatalities": 0,
        "source": "Radio Free Asia",
        "source_url": "https://rfa.org/english/news/myanmar/myanmar-arakan-army-01182024212654.html",
        "notes": "Date derived: RFA's report of 18 Jan 2024 (a Thursday) says the AA took the base of Light Infantry "
        "Battalion 539 beside the Sittwe-Yangon highway on Tuesday, i.e. 16 Jan, when nearly 300 troops "
        "surrendered, two days after taking a nearby artillery battalion; jets struck during the fighting. "
        "Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0029",
        "date": "2024-01-28",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": AA,
        "actor2": MILITARY,
        "admin1": "Rakhine",
        "admin2": "",
        "location": "LIB 380 base, Minbya Township",
        "place": "Minbya",
        "placement": "township",
        "fatalities": 0,
        "source": "Narinjara",
        "source_url": "https://www.narinjara.com/news/detail/65baaab2334dcb641df873bf",
        "notes": "Narinjara (31 Jan 2024), citing an AA statement: on 28 Jan the AA captured the base of LIB 380 "
        "(MOC-9) in Minbya Township despite army, navy and air force support. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0030",
        "date": "2024-01-30",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": AA,
        "actor2": MILITARY,
        "admin1": "Rakhine",
        "admin2": "",
        "location": "LIB 374 base, Kyauktaw",
        "place": "Kyauktaw",
        "placement": "near",
        "fatalities": 0,
        "source": "Narinjara",
        "source_url": "https://www.narinjara.com/news/detail/65baaab2334dcb641df873bf",
        "notes": "Same Narinjara report (31 Jan 2024): on Tuesday 30 Jan the AA captured the whole Kyauktaw-based LIB "
        "374 (MOC-9) despite continuous airstrikes. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0031",
        "date": "2024-01-30",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": AA,
        "actor2": MILITARY,
        "admin1": "Rakhine",
        "admin2": "",
        "location": "LIB 540 base, Mrauk-U",
        "place": "Mrauk-U",
        "placement": "near",
        "fatalities": 0,
        "source": "Narinjara",
        "source_url": "https://www.narinjara.com/news/detail/65c1d3929c4bae6ee9cb8e58",
        "notes": "Narinjara (6 Feb 2024) recaps that the AA captured the Mrauk-U-based LIB 540 on 30 Jan 2024. "
        "Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0032",
        "date": "2023-11-13",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": PDF,
        "actor2": MILITARY,
        "admin1": "Chin",
        "admin2": "",
        "location": "Rihkhawdar and Khawmawi",
        "place": "Rihkhawdar",
        "placement": "near",
        "fatalities": 7,
        "source": "Northeast Now",
        "source_url": "https://nenow.in/north-east-news/mizoram/indian-air-force-airlifts-43-myanmar-army-soldiers-from-mizoram-to-home-country.html",
        "notes": "Date derived: report of 14 Nov 2023 (a Tuesday) says anti-junta militias overran the army bases at "
        "Rihkhawdar and Khawmawi, opposite Zokhawthar (Mizoram), on Monday, i.e. 13 Nov, after fighting from "
        "Sunday evening; 43 soldiers fled to India and the army answered with airstrikes. Another Northeast "
        "Now piece names the attackers as PDF, CDF and CNA. Fatalities: 7 PDF members reportedly killed.",
    },
    {
        "id": "SAMPLE-0034",
        "date": "2023-11-24",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": CNA,
        "actor2": MILITARY,
        "admin1": "Chin",
        "admin2": "",
        "location": "Lailenpi",
        "place": "Lalengpi",
        "placement": "at",
        "fatalities": 4,
        "source": "Radio Free Asia",
        "source_url": "https://rfa.org/english/news/myanmar/chin-fighting-11302023071854.html",
        "notes": "RFA (30 Nov 2023): the CNA and Chin Defense Forces took the only junta outpost in Lailenpi, Matupi "
        "Township, on the morning of 24 Nov; about 30 soldiers fled into India. Fatalities: four residents "
        "were killed by shrapnel and stray bullets during the fighting. MIMU spells the village Lalengpi "
        "(Matupi Township).",
    },
    {
        "id": "SAMPLE-0035",
        "date": "2023-11-29",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": CDF,
        "actor2": MILITARY,
        "admin1": "Chin",
        "admin2": "",
        "location": "Rezua (Resaw)",
        "place": "Rezua",
        "placement": "at",
        "fatalities": 4,
        "source": "Radio Free Asia",
        "source_url": "https://rfa.org/english/news/myanmar/chin-fighting-11302023071854.html",
        "notes": "Same RFA report: a CDF-led force with the CNA seized the junta outpost (about 50 soldiers) in Rezua, "
        "Matupi Township, on the morning of 29 Nov 2023 after four days of fighting; 11 soldiers surrendered. "
        "Fatalities: four resistance fighters died.",
    },
    {
        "id": "SAMPLE-0036",
        "date": "2023-12-18",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": MILITARY,
        "actor2": CIVILIANS,
        "admin1": "Chin",
        "admin2": "",
        "location": "Wankai (Vankai) village, Matupi Township",
        "place": "Vangkai",
        "placement": "at",
        "fatalities": 4,
        "source": "Tongsan News (ENN)",
        "source_url": "https://tongsan.org/enn/news-enn/the-chin-defense-forces-occupied-the-thaiboi-villege-military-camp-outside-of-matupi/",
        "notes": "Tongsan's report written on 19 Dec 2023 says that on 18 Dec at about 2 p.m. junta aircraft, "
        "attacking the besieged Thaiboi camp, also struck nearby villages; four civilians aged 53 to 78 who "
        "were preparing to leave Wankai village were killed on the spot. The camp fell to Chin forces on 19 "
        "Dec. MIMU spells the village Vangkai (Matupi Township).",
    },
    {
        "id": "SAMPLE-0037",
        "date": "2023-12-28",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": AA,
        "actor2": MILITARY,
        "admin1": "Chin",
        "admin2": "",
        "location": "Point-377 hill camp, Paletwa Township",
        "place": "Paletwa",
        "placement": "township",
        "fatalities": 0,
        "source": "Narinjara",
        "source_url": "https://narinjara.com/news/detail/658fb0c545d7b97fa1688129",
        "notes": "Date derived: Narinjara's report of 30 Dec 2023 (a Saturday) says the AA completed its capture of "
        "the Point-377 hill camp near the Indian border on Thursday morning, i.e. 28 Dec; 83 soldiers fled "
        "into Mizoram on 29 Dec. Fatalities not reported.",
    },
    {
        "id": "SAMPLE-0038",
        "date": "2024-01-02",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": AA,
        "actor2": MILITARY,
        "admin1": "Chin",
        "admin2": "",
        "location": "Kha Maung Wa outpost, Paletwa Township",
        "place": "Kha Maung Wa",
        "placement": "near",
        "fatalities": 0,
        "source": "The Irrawaddy",
        "source_url": "https://www.irrawaddy.com/news/burma/aa-vows-to-oust-myanmar-junta-from-south-chin-state-this-week.html",
        "notes": "Date derived: report of 3 Jan 2024 (a Wednesday) says AA forces overran the Kha Maung Wa outpost on "
        "Tuesday, i.e. 2 Jan; the AA reportedly held 20 junta outposts in Paletwa by then. Fatalities not "
        "reported.",
    },
    {
        "id": "SAMPLE-0039",
        "date": "2024-01-14",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": AA,
        "actor2": MILITARY,
        "admin1": "Chin",
        "admin2": "",
        "location": "Paletwa",
        "place": "Paletwa",
        "placement": "at",
        "fatalities": 0,
        "source": "The Irrawaddy",
        "source_url": "https://www.irrawaddy.com/news/war-against-the-junta/arakan-army-declares-victory-in-paletwa-myanmars-chin-state.html",
        "notes": "Date derived: report of 15 Jan 2024 (a Monday) says that by Sunday, i.e. 14 Jan, the AA held all 24 "
        "junta positions in Paletwa including the LIB 289 headquarters, and declared the township free of the "
        "regime. Fatalities not reported.",
    },
]


def load_places() -> dict[str, dict[str, Any]]:
    """Every PLACES entry with its MIMU names, township, district, state and coordinates; checked."""
    towns = load_towns().set_index("town_pcode")
    village_codes = [int(code) for code, _ in PLACES.values() if code.isdigit()]
    with sqlite3.connect(f"file:{source_database()}?mode=ro", uri=True) as connection:
        marks = ",".join("?" * len(village_codes))
        query = (
            "SELECT village_pcode, village_eng, township_pcode, township_eng, district_eng, state_eng, latitude, "
            f"longitude FROM villages WHERE village_pcode IN ({marks})"
        )
        villages = {row[0]: row for row in connection.execute(query, village_codes)}
    places = {}
    for name, (code, state) in PLACES.items():
        if code.isdigit():
            row = villages.get(int(code))
            if row is None or row[1] != name or row[5] != state or row[6] is None:
                raise SystemExit(f"MIMU village {code} is not {name} ({state}) with coordinates: {row}")
            place = {
                "kind": "village",
                "township_pcode": row[2],
                "township": row[3],
                "district": row[4] or "",
                "latitude": row[6],
                "longitude": row[7],
            }
            place["citation"] = f"MIMU village {code} {name}, {row[3]} Township ({MIMU})"
        else:
            if code not in towns.index:
                raise SystemExit(f"MIMU town {code} ({name}) is not in towns.csv")
            town = towns.loc[code]
            if town["name_en"] != name or town["state_en"] != state:
                raise SystemExit(f"MIMU town {code} is {town['name_en']} ({town['state_en']}), not {name} ({state})")
            place = {
                "kind": "town",
                "township_pcode": town["township_pcode"],
                "township": town["township_en"],
                "district": "" if town.isna()["district_en"] else town["district_en"],
                "latitude": town["latitude"],
                "longitude": town["longitude"],
            }
            place["citation"] = f"MIMU town {code} {name}, towns.csv ({town['coordinates_from']}; {MIMU})"
        places[name] = place
    return places


def seat_of(township_pcode: str) -> str:
    """The PLACES name of a township's seat town (a township-level event is placed there)."""
    towns = load_towns()
    seat = towns[(towns["township_pcode"] == township_pcode) & (towns["rank"] <= 3)]
    if len(seat) != 1:
        raise SystemExit(f"township {township_pcode} has no single seat town in towns.csv")
    return str(seat["name_en"].iloc[0])


def placement_note(event: dict[str, Any], place: dict[str, Any]) -> str:
    """Where the event was placed, in words a popup can show (empty when it is at its own place)."""
    name = event["place"].split(" (")[0]
    if event["placement"] == "at":
        return ""
    if event["placement"] == "near":
        return f"approximate: near {name} ({place['township']} Township)"
    if seat_of(place["township_pcode"]) != event["place"]:
        raise SystemExit(f"{event['id']}: township-level event not placed at its township's seat town")
    return f"approximate: placed at {name}, seat of {place['township']} Township (only the township is known)"


def check_event(event: dict[str, Any]) -> None:
    """Fail loudly on a row that breaks the schema rules this sample promises."""
    ident = event["id"]
    date = dt.date.fromisoformat(event["date"])
    if not PERIOD[0] <= date <= PERIOD[1]:
        raise SystemExit(f"{ident}: {date} is outside {PERIOD[0]}..{PERIOD[1]}")
    subtypes = EVENT_TYPES.get(event["event_type"])
    if subtypes is None or event["sub_event_type"] not in subtypes:
        raise SystemExit(f"{ident}: bad type {event['event_type']!r}/{event['sub_event_type']!r}")
    if event["placement"] not in PRECISION or event["place"] not in PLACES:
        raise SystemExit(f"{ident}: placement must be one of {sorted(PRECISION)} at a PLACES entry")
    if not isinstance(event["fatalities"], int) or event["fatalities"] < 0:
        raise SystemExit(f"{ident}: fatalities must be a whole number >= 0")
    if event["fatalities"] == 0 and "not reported" not in event["notes"]:
        raise SystemExit(f"{ident}: zero fatalities must say 'not reported' in the notes")
    if not event["source_url"].startswith("https://"):
        raise SystemExit(f"{ident}: source_url must be an https URL")


def build_rows() -> list[dict[str, Any]]:
    places = load_places()
    ids = [event["id"] for event in EVENTS]
    if len(set(ids)) != len(ids):
        raise SystemExit("event ids are not unique")
    rows = []
    for event in sorted(EVENTS, key=lambda e: e["id"]):
        check_event(event)
        place = places[event["place"]]
        rows.append(
            {
                "event_id_cnty": event["id"],
                "event_date": event["date"],
                "event_type": event["event_type"],
                "sub_event_type": event["sub_event_type"],
                "actor1": event["actor1"],
                "actor2": event["actor2"],
                "admin1": event["admin1"],
                "admin2": place["district"] or event["admin2"],
                "admin3": place["township"],
                "location": event["location"],
                "latitude": f"{place['latitude']:.5f}",
                "longitude": f"{place['longitude']:.5f}",
                "geo_precision": PRECISION[event["placement"]],
                "fatalities": event["fatalities"],
                "source": event["source"],
                "notes": event["notes"],
                "source_url": event["source_url"],
                "place_pcode": PLACES[event["place"]][0],
                "coordinates_from": place["citation"],
                "geo_placement": placement_note(event, place),
            }
        )
    return rows


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="CSV to write")
    args = parser.parse_args(argv)
    rows = build_rows()
    write_csv(rows, args.output)
    print(f"wrote {len(rows)} events to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
