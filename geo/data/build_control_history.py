"""Build geo/data/control_history.csv: who held which town of northern Shan, Rakhine and Chin, from when, per source.

Why a script: every record must rest on a public report we can cite (outlet, URL, date), and every place on a
MIMU P-code we can check. The records below are curated by hand from news reports; the script checks each P-code
and place name against the MIMU place codes shipped in PyPI ``mm-geo-coder``, checks the dates, and writes the
CSV in a fixed order, so the file is exactly what this script says. A place no dated report covers stays out
(listed in SOURCES.md). The schema is the one ``geo/control.py`` reads; a record with several sources repeats
its ``record_id`` on one row per source.

Run: ``python geo/data/build_control_history.py`` (``--output PATH`` to write elsewhere).
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import mm_geo_coder

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "geo" / "data" / "control_history.csv"
MIMU_DB = Path(mm_geo_coder.__file__).parent / "database" / "mimu_geo_data_public.db"
COLUMNS = (
    "record_id",
    "place_kind",
    "place_pcode",
    "place_name",
    "controller",
    "status",
    "confidence",
    "valid_from",
    "source_name",
    "source_url",
    "source_date",
    "note",
)
GROUP_IDS = ("sac", "mndaa", "tnla", "aa", "kia", "uwsa", "sspp", "rcss", "cnf", "chinland", "pdf")
# Armed groups outside the fixed groups, stored under their own name (geo.controllers shows them as "other").
OWN_NAMES = ("Brotherhood Alliance", "Chin Brotherhood")
STATUSES = ("held", "contested", "unknown")
CONFIDENCES = ("assessed", "claimed")
BASELINE = date(2023, 10, 26)  # the day before Operation 1027: every baseline record is dated here
BASELINE_NOTE = "Baseline: held by the military before Operation 1027 (27 Oct 2023), resting on the cited report: "


@dataclass(frozen=True)
class Source:
    """A public report: outlet (and the agency it carries, if any), address, publication date."""

    name: str
    url: str
    published: str  # YYYY-MM-DD as the page gives it


@dataclass(frozen=True)
class Record:
    """One assessment: ``place`` held by ``controller`` from ``valid_from``, as its sources state."""

    kind: str  # town | township
    pcode: str
    mimu_name: str  # the MIMU English name, checked against the database
    controller: str
    status: str
    confidence: str
    valid_from: str
    sources: tuple[Source, ...]
    note: str

    @property
    def record_id(self) -> str:
        return f"hist-{self.pcode}-{self.valid_from}"

    @property
    def place_name(self) -> str:
        """The MIMU name without MIMU's " Town" suffix (the kind column says it is a town)."""
        return self.mimu_name.removesuffix(" Town")


def baseline(kind: str, pcode: str, mimu_name: str, sources: tuple[Source, ...], note: str) -> Record:
    """The military's hold before Operation 1027, resting on a report that it lost (or kept) the place."""
    return Record(
        kind, pcode, mimu_name, "sac", "held", "assessed", BASELINE.isoformat(), sources, BASELINE_NOTE + note
    )


# --- sources (dates as each page gives them) ---------------------------------------------------------------

IRRAWADDY = "The Irrawaddy"
IRR_NINE_TOWNS = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/war-against-the-junta/nine-towns-occupied-by-myanmar-military-for-decades-lost-to-resistance-in-days.html",
    "2023-11-15",
)
IRR_HSENI = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/war-against-the-junta/key-northern-shan-towns-falling-to-rebels-mndaa.html",
    "2023-11-03",
)
NNN_SAC_SPOKESMAN = Source(
    "Nam News Network (NNN-MNA) via MENAFN",
    "https://menafn.com/1107370011/Clashes-Break-Out-In-Northeast-Myanmar-Three-Government-Controlled-Areas-Fall",
    "2023-11-04",
)
ELEVEN_KUNLONG = Source(
    "Eleven Myanmar",
    "https://elevenmyanmar.com/news/military-bases-and-township-police-station-attacked-in-kunlong-northern-shan-state",
    "2023-11-13",
)
MYANMAR_NOW_MONGKO = Source(
    "Myanmar Now",
    "https://myanmar-now.org/en/news/mndaa-says-it-has-taken-full-control-of-mongko-on-myanmar-china-border/",
    "",
)
CNI_NAMKHAM = Source(
    "CNI News",
    "https://cnimyanmar.com/index.php/english-edition/18402-tnla-says-it-has-cleared-military-camp-in-center-of-namkham",
    "2023-11-07",
)
MYANMAR_NOW_NAMKHAM = Source(
    "Myanmar Now",
    "https://myanmar-now.org/en/news/tnla-seizes-last-junta-base-in-northern-shan-state-town-of-namkham/",
    "",
)
DAWN_NAMHSAN = Source("Dawn (AFP)", "https://dawn.com/news/1798543", "2023-12-17")
WARS_MANTONG = Source(
    "The Irrawaddy, reprinted by Wars in the World",
    "https://www.warsintheworld.com/index.php/2023/12/24/burma-myanmar-brotherhood-alliance-seizes-another-ethnic-zone-in-shan-state/",
    "2023-12-24",
)
MYANMAR_NOW_MANTON = Source(
    "Myanmar Now", "https://myanmar-now.org/en/news/tnla-seizes-manton-takes-full-control-of-palaung-region/", ""
)
THANLWIN_NAMTU = Source(
    "Than Lwin Times",
    "https://thanlwintimes.com/2023/12/30/taang-rebels-capture-five-towns-in-northern-shan-state/",
    "2023-12-30",
)
TONGSAN_NAMTU = Source(
    "Tongsan Media Group",
    "https://tongsan.org/enn/news-enn/tnla-seized-a-lot-of-weapons-and-ammunition-from-the-battle-to-capture-namtu/",
    "",
)
IRR_MONGNGAW = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/burma/tnla-seizes-sixth-shan-state-town-from-myanmar-junta.html",
    "2024-01-02",
)
IRR_LAUKKAI = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/war-against-the-junta/myanmar-regime-raises-the-white-flag-in-kokang-zone-on-china-border-in-shan-state.html",
    "2024-01-05",
)
MINT_LAUKKAI_AP = Source(
    "Mint (AP)",
    "https://www.livemint.com/news/world/myanmar-military-withdraws-from-key-city-on-chinese-border-after-ethnic-alliance-takes-control-11704601824062.html",
    "2024-01-07",
)
IRR_KUTKAI = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/burma/tensions-flare-between-myanmar-ethnic-armed-groups-in-shan-state-town.html",
    "2024-04-29",
)
TONGSAN_KUTKAI = Source(
    "Tongsan Media Group",
    "https://tongsan.org/enn/news-enn/tnla-said-that-there-are-7-towns-that-can-control-and-occupy-kut-khaing/",
    "",
)
IRR_MARTIAL_LAW = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/burma/myanmar-junta-announces-martial-law-in-town-held-by-kia.html",
    "2024-02-29",
)
MOEMAKA_SIX_MONTHS = Source(
    "MoeMaKa", "https://moemaka.net/eng/2024/06/the-situation-6-months-after-operation-1027/", "2024-04-25"
)
NATION_LASHIO_FALLS = Source(
    "The Nation (Thailand)", "https://www.nationthailand.com/news/asean/40040328", "2024-08-05"
)
STAR_LASHIO_AFP = Source(
    "The Star (AFP)",
    "https://www.thestar.com.my/aseanplus/aseanplus-news/2024/08/03/myanmar-armed-group-says-captured-regional-military-command",
    "2024-08-03",
)
MIZZIMA_LASHIO_RETURN = Source(
    "Mizzima, reprinted by Asia Views",
    "https://asiaviews.net/myanmar-junta-troops-re-enter-lashio-as-mndaa-withdraws-uncertainty-grows-among-locals",
    "2025-04-23",
)
NATION_LASHIO_RETURN = Source(
    "The Nation (Thailand)", "https://www.nationthailand.com/blogs/news/asean/40049112", "2025-04-23"
)
IRR_MONGMIT = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/war-against-the-junta/myanmar-junta-surrenders-third-town-to-tnla-in-northern-shan-state.html",
    "2024-08-01",
)
TONGSAN_NAUNGCHO = Source(
    "Tongsan Media Group",
    "https://tongsan.org/enn/news-enn/the-tnla-said-that-they-received-nearly-400-weapons-from-the-naungcho-infantry-military-115-battalion/",
    "2024-06-28",
)
IRR_NAWNGHKIO_RETAKEN = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/war-against-the-junta/myanmar-junta-recaptures-nawnghkio-after-months-long-counteroffensive.html",
    "2025-07-16",
)
IRR_KYAUKME = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/war-against-the-junta/myanmar-junta-attacks-tnla-held-town-in-northern-shan.html",
    "2025-08-21",
)
DMG_KYAUKME_RETAKEN = Source("DMG (Development Media Group)", "https://www.dmediag.com/news/rrkinn.html", "2025-10-02")
INDEPENDENT_KYAUKME = Source(
    "The Independent (AP)",
    "https://www.the-independent.com/news/myanmar-bangkok-china-telegram-aung-san-suu-kyi-b2838218.html",
    "2025-10-02",
)
DMG_FIVE_TOWNS = Source("DMG (Development Media Group)", "https://dmediag.com/news/tsihsf.html", "2024-10-16")
MOEMAKA_HSIPAW = Source(
    "MoeMaKa",
    "https://moemaka.net/eng/2025/10/the-third-town-lost-by-the-tnla-in-northern-shan-state-within-four-months",
    "2025-10-17",
)
NATION_HSIPAW = Source(
    "The Nation (Thailand), from Eleven Media", "https://www.nationthailand.com/blogs/news/asean/40056937", "2025-10-18"
)

IRR_PAUKTAW_SEIZED = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/burma/aa-captures-town-in-rakhine-prompting-bombardment-by-myanmar-military.html",
    "2023-11-16",
)
WORLDREPORT_PAUKTAW = Source(
    "World Report Now (Reuters)",
    "https://www.worldreportnow.com/news/myanmar-military-insurgents-battle-over-port-town/55615/",
    "2023-11-17",
)
MYANMAR_NOW_PAUKTAW_RETAKEN = Source(
    "Myanmar Now", "https://myanmar-now.org/en/news/myanmar-junta-retakes-town-captured-by-aa-near-rakhine-capital/", ""
)
DAILY_STAR_PAUKTAW = Source(
    "The Daily Star (AFP)",
    "https://www.thedailystar.net/news/asia/southeast-asia/news/myanmar-armed-group-claims-control-port-town-3528626",
    "2024-01-26",
)
IRR_PALETWA = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/war-against-the-junta/arakan-army-declares-victory-in-paletwa-myanmars-chin-state.html",
    "2024-01-15",
)
AP_PALETWA = Source(
    "KVIA (AP)",
    "https://kvia.com/news/ap-national/2024/01/15/arakan-army-resistance-force-says-it-has-taken-control-of-a-strategic-township-in-western-myanmar/",
    "2024-01-15",
)
IRR_MINBYA = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/war-against-the-junta/myanmars-military-driven-out-of-township-in-northern-rakhine-reports-say.html",
    "2024-02-07",
)
NARINJARA_KYAUKTAW = Source(
    "Narinjara News", "https://www.narinjara.com/news/detail/65c1d3929c4bae6ee9cb8e58", "2024-02-06"
)
IRR_MRAUK_U = Source(
    IRRAWADDY, "https://www.irrawaddy.com/news/burma/aa-historic-mrauk-u-seized-from-myanmars-junta.html", "2024-02-09"
)
IRR_PONNAGYUN = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/war-against-the-junta/two-myanmar-junta-colonels-major-killed-during-battle-for-ponnagyun-aa-says.html",
    "2024-03-06",
)
RFA_PONNAGYUN = Source(
    "Radio Free Asia, reprinted by South Asia Journal",
    "https://southasiajournal.net/myanmars-arakan-army-draws-closer-to-regions-capital",
    "",
)
IRR_RAMREE = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/burma/aa-seizes-rakhine-town-near-key-chinese-port-project.html",
    "2024-03-12",
)
PROTHOM_ALO_RATHEDAUNG = Source(
    "Prothom Alo", "https://en.prothomalo.com/international/south-asia/mvc3j8fp5i", "2024-03-19"
)
IRR_RATHEDAUNG = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/war-against-the-junta/myanmars-junta-loses-another-town-to-arkan-army-in-rakhine-state.html",
    "",
)
IRR_BUTHIDAUNG = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/war-against-the-junta/aa-claims-seizure-of-buthidaung-near-bangladesh-border.html",
    "2024-05-18",
)
EURASIA_REVIEW_TOUNGUP = Source(
    "Eurasia Review (RFA)",
    "https://www.eurasiareview.com/23112024-myanmar-rebels-capture-town-on-main-road-to-chinese-built-port/",
    "2024-11-22",
)
DVB_TAUNGUP = Source(
    "DVB", "https://english.dvb.no/arakan-army-claims-control-over-taungup-in-southern-arakan-state/", ""
)
DMG_ANN = Source("DMG (Development Media Group)", "https://dmediag.com/news-article/dekamar.html", "2024-12-17")
BSS_ANN_AFP = Source("BSS (AFP)", "https://bssnews.net/international/232368", "2024-12-21")
TAIPEI_TIMES_MAUNGDAW = Source(
    "Taipei Times (AP)", "https://taipeitimes.com/News/world/archives/2024/12/11/2003828322", "2024-12-11"
)
DMG_KYAUKPHYU = Source("DMG (Development Media Group)", "https://dmediag.com/news/hasoutap.html", "2024-06-11")
RFA_SITTWE = Source(
    "Radio Free Asia",
    "https://rfa.org/english/myanmar/2025/02/18/myanmar-sittwe-rakhine-fighting-arakan-army",
    "2025-02-18",
)

NENOW_RIHKHAWDAR = Source(
    "Northeast Now",
    "https://nenow.in/north-east-news/mizoram/indian-air-force-airlifts-43-myanmar-army-soldiers-from-mizoram-to-home-country.html",
    "2023-11-14",
)
NENOW_RIHKHAWDAR_FLAG = Source(
    "Northeast Now",
    "https://nenow.in/neighbour/myanmar/myanmar-pro-democratic-rebel-forces-capture-rikhawdar-khawmawi-towns-overrun-army-camps.html",
    "2023-11-14",
)
MIZZIMA_TONZANG = Source("Mizzima", "https://eng.mizzima.com/2024/05/23/10171", "2024-05-23")
MYANMAR_NOW_CHIN_GRIP = Source(
    "Myanmar Now", "https://myanmar-now.org/en/news/myanmar-juntas-grip-weakening-in-chin-state/", ""
)
KHONUMTHUNG_KYINDWE = Source(
    "Khonumthung News",
    "https://khonumthung.org/english/chin-brotherhoods-alliance-captures-strategic-town-in-kanpetlet-township",
    "2024-05-04",
)
IRR_KYINDWE = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/news/ethnic-issues/chin-alliances-clash-over-territory-liberated-from-myanmar-junta.html",
    "2024-05-04",
)
DMG_MATUPI = Source("DMG (Development Media Group)", "https://dmediag.com/news/chinbap.html", "2024-08-06")
TONGSAN_MATUPI = Source(
    "Tongsan Media Group",
    "https://tongsan.org/enn/news-enn/chin-brotherhood-alliance-announced-that-the-town-of-matupi-has-been-completely-captured-and-controlled/",
    "",
)
POWER_CORRIDORS_FALAM = Source(
    "Power Corridors (citing RFA)",
    "https://powercorridors.in/rebel-forces-seize-key-myanmar-towns-near-india-border",
    "2025-04-10",
)
MYANMAR_NOW_FALAM = Source(
    "Myanmar Now", "https://myanmar-now.org/en/news/chin-brotherhood-takes-over-last-junta-base-in-chin-state-town/", ""
)
MIZZIMA_CBA_YEAR = Source(
    "Mizzima, reprinted by Asia Views",
    "https://asiaviews.net/myanmar-chin-brotherhood-alliance-marks-first-anniversary-reports-1000-battles-and-heavy-losses",
    "2025-01-01",
)
DVB_CBA_YEAR = Source(
    "DVB",
    "https://english.dvb.no/chin-brotherhood-claims-major-territorial-gains-in-one-year-of-its-offensive-across-chinland/",
    "",
)
IRR_CHIN_GRIP = Source(
    IRRAWADDY,
    "https://www.irrawaddy.com/opinion/analysis/myanmar-junta-grip-on-chin-state-hangs-by-thread.html",
    "2025-01-09",
)
MIZZIMA_HAKHA = Source("Mizzima", "https://eng.mizzima.com/2024/06/28/11232", "2024-06-28")


# --- records -----------------------------------------------------------------------------------------------

NORTHERN_SHAN: tuple[Record, ...] = (
    baseline(
        "town",
        "MMR015022702",
        "Chinshwehaw Town",
        (IRR_NINE_TOWNS,),
        "The Irrawaddy reports the military lost the town to the Brotherhood Alliance on 27 Oct 2023.",
    ),
    Record(
        "town",
        "MMR015022702",
        "Chinshwehaw Town",
        "mndaa",
        "held",
        "assessed",
        "2023-10-27",
        (IRR_NINE_TOWNS, NNN_SAC_SPOKESMAN),
        "Seized on the first day of Operation 1027 (The Irrawaddy); the MNDAA entered it on 27 Oct and the military's "
        "spokesman said it had fallen (NNN-MNA).",
    ),
    baseline(
        "town",
        "MMR015009704",
        "Pang Hseng (Kyu Koke) Town",
        (NNN_SAC_SPOKESMAN,),
        "The military's spokesman named Kyukok among the 'government-controlled areas' that had fallen.",
    ),
    Record(
        "town",
        "MMR015009704",
        "Pang Hseng (Kyu Koke) Town",
        "Brotherhood Alliance",
        "held",
        "assessed",
        "2023-11-03",
        (IRR_HSENI, NNN_SAC_SPOKESMAN),
        "Day of capture not given: The Irrawaddy of 3 Nov says the alliance had already seized Pan Hseng; the "
        "military's spokesman confirmed Kyukok had fallen (NNN-MNA, 4 Nov). Recorded from the first report's date. "
        "The sources name the alliance, not one member.",
    ),
    baseline(
        "town",
        "MMR015002701",
        "Hseni Town",
        (IRR_NINE_TOWNS,),
        "The Irrawaddy lists Hseni among the towns the military lost in the first weeks of the offensive.",
    ),
    Record(
        "town",
        "MMR015002701",
        "Hseni Town",
        "Brotherhood Alliance",
        "held",
        "claimed",
        "2023-11-02",
        (IRR_HSENI, IRR_NINE_TOWNS),
        "The Brotherhood Alliance claimed complete control on Thursday 2 Nov, after MNDAA troops blew up the Namtu "
        "bridge outside the town; The Irrawaddy of 15 Nov calls it 'almost total control'. The sources name the "
        "alliance, not one member.",
    ),
    baseline(
        "town",
        "MMR015020701",
        "Kunlong Town",
        (IRR_NINE_TOWNS,),
        "'Under the de facto control of the Myanmar military for 75 years until it was seized' (The Irrawaddy).",
    ),
    Record(
        "town",
        "MMR015020701",
        "Kunlong Town",
        "mndaa",
        "held",
        "assessed",
        "2023-11-12",
        (IRR_NINE_TOWNS, ELEVEN_KUNLONG),
        "Fell on 12 Nov (The Irrawaddy). The MNDAA posted that the township was under its control; the military's "
        "spokesman disputed it (Eleven Myanmar, 13 Nov).",
    ),
    baseline(
        "town",
        "MMR015009702",
        "Monekoe Town",
        (IRR_NINE_TOWNS,),
        "Retaken by the military in 1992 and lost to the alliance in the first days of Operation 1027 (The Irrawaddy).",
    ),
    Record(
        "town",
        "MMR015009702",
        "Monekoe Town",
        "mndaa",
        "held",
        "assessed",
        "2023-11-15",
        (IRR_NINE_TOWNS, MYANMAR_NOW_MONGKO),
        "The Irrawaddy (15 Nov) says the alliance took Monekoe 'over the next few days' after 27 Oct, without a day; "
        "recorded from its report date. Myanmar Now (page undated) carries the MNDAA's claim of full control, taken "
        "with the AA on a Tuesday after two days of fighting.",
    ),
    baseline(
        "town",
        "MMR015010701",
        "Namhkan Town",
        (IRR_NINE_TOWNS,),
        "Military units were based in Namkham continuously since 1949 except one week, until Operation 1027 "
        "(The Irrawaddy).",
    ),
    Record(
        "town",
        "MMR015010701",
        "Namhkan Town",
        "tnla",
        "contested",
        "claimed",
        "2023-11-07",
        (CNI_NAMKHAM, MYANMAR_NOW_NAMKHAM),
        "The TNLA said it cleared the army camp in the pagoda compound in the town centre on 7 Nov; residents told "
        "CNI it did not control all of Namkham, and the army held the Sakhan Thit hill base about two miles outside "
        "(Myanmar Now, page undated).",
    ),
    Record(
        "town",
        "MMR015010701",
        "Namhkan Town",
        "tnla",
        "held",
        "assessed",
        "2023-11-15",
        (IRR_NINE_TOWNS,),
        "The Irrawaddy lists Namkham among the towns the military has lost, taken in the days after 27 Oct.",
    ),
    baseline(
        "town",
        "MMR015016701",
        "Namhsan Town",
        (DAWN_NAMHSAN,),
        "The TNLA took the town from the military on 15 Dec 2023 (AFP).",
    ),
    Record(
        "town",
        "MMR015016701",
        "Namhsan Town",
        "tnla",
        "held",
        "claimed",
        "2023-12-15",
        (DAWN_NAMHSAN,),
        "The TNLA said it captured Namhsan on Friday 15 Dec; the military's spokesman said fighting continued "
        "around the town (AFP).",
    ),
    Record(
        "township",
        "MMR015016",
        "Namhsan",
        "tnla",
        "held",
        "claimed",
        "2023-12-22",
        (WARS_MANTONG,),
        "The TNLA completed its takeover of the Palaung Self-Administered Zone (Namhsan and Mantong townships) "
        "when Mantong fell on 22 Dec, TNLA officers said.",
    ),
    baseline(
        "town",
        "MMR015019701",
        "Manton Town",
        (WARS_MANTONG,),
        "The junta's Infantry Battalion 130 was based in Mantong until the TNLA routed it.",
    ),
    Record(
        "town",
        "MMR015019701",
        "Manton Town",
        "tnla",
        "held",
        "claimed",
        "2023-12-22",
        (WARS_MANTONG, MYANMAR_NOW_MANTON),
        "Seized on Friday evening 22 Dec, TNLA officers confirmed the next day.",
    ),
    Record(
        "township",
        "MMR015019",
        "Manton",
        "tnla",
        "held",
        "claimed",
        "2023-12-22",
        (WARS_MANTONG,),
        "Completes the TNLA's takeover of the Palaung Self-Administered Zone (Namhsan and Mantong townships).",
    ),
    baseline(
        "town",
        "MMR015015701",
        "Namtu Town",
        (THANLWIN_NAMTU,),
        "The military lost its LIB 324 hill, camps, police station and offices in Namtu to the TNLA.",
    ),
    Record(
        "town",
        "MMR015015701",
        "Namtu Town",
        "tnla",
        "held",
        "claimed",
        "2023-12-28",
        (THANLWIN_NAMTU, TONGSAN_NAMTU),
        "Captured after four days of attacks, per the TNLA's report (Than Lwin Times, 30 Dec); the TNLA's statement "
        "gives 1:30 am on 28 Dec (Tongsan, page undated).",
    ),
    baseline(
        "town",
        "MMR015012702",
        "Mongngawt Town",
        (IRR_MONGNGAW,),
        "The TNLA took the town from the junta, attacking its Mongngaw hilltop outpost from 28 Dec.",
    ),
    Record(
        "town",
        "MMR015012702",
        "Mongngawt Town",
        "tnla",
        "held",
        "claimed",
        "2023-12-31",
        (IRR_MONGNGAW,),
        "The TNLA seized the town on New Year's Eve, its sixth since October (The Irrawaddy, from the TNLA).",
    ),
    baseline(
        "town",
        "MMR015022701",
        "Laukkaing Town",
        (IRR_LAUKKAI,),
        "The military's Laukkai Regional Operation Command held the town until it surrendered on 4 Jan 2024.",
    ),
    Record(
        "town",
        "MMR015022701",
        "Laukkaing Town",
        "mndaa",
        "held",
        "assessed",
        "2024-01-04",
        (IRR_LAUKKAI, MINT_LAUKKAI_AP),
        "The Regional Operation Command surrendered on Thursday 4 Jan, a source close to the MNDAA confirmed; the "
        "military's spokesman acknowledged on 6 Jan that it had relinquished control of the town (AP).",
    ),
    baseline(
        "town",
        "MMR015011701",
        "Kutkai Town",
        (IRR_KUTKAI,),
        "The town fell to the Brotherhood Alliance on 8 Jan 2024 (The Irrawaddy).",
    ),
    Record(
        "town",
        "MMR015011701",
        "Kutkai Town",
        "tnla",
        "held",
        "assessed",
        "2024-01-08",
        (IRR_KUTKAI, TONGSAN_KUTKAI, IRR_MARTIAL_LAW),
        "The Irrawaddy (29 Apr 2024): 'Kutkai town fell on January 8' and is TNLA-controlled; the TNLA took the last "
        "army camp on the night of 7 Jan (Tongsan, page undated). The Irrawaddy of 29 Feb 2024 instead counts Kutkai "
        "among the towns the regime kept after the January ceasefire.",
    ),
    baseline(
        "town",
        "MMR015009701",
        "Muse Town",
        (IRR_MARTIAL_LAW, MOEMAKA_SIX_MONTHS),
        "Martial law was imposed in Muse Township when Operation 1027 began, and the regime kept Muse after the "
        "January 2024 ceasefire (The Irrawaddy); 'Muse itself wasn't captured' (MoeMaKa, Apr 2024). No change found.",
    ),
    baseline(
        "town",
        "MMR015001701",
        "Lashio Town",
        (IRR_MARTIAL_LAW, NATION_LASHIO_FALLS),
        "Seat of the military's Northeastern Command; the regime kept Lashio after the January 2024 ceasefire.",
    ),
    Record(
        "town",
        "MMR015001701",
        "Lashio Town",
        "mndaa",
        "held",
        "assessed",
        "2024-08-03",
        (NATION_LASHIO_FALLS, STAR_LASHIO_AFP),
        "The MNDAA said it fully captured the Northeastern Command headquarters on 3 Aug (AFP); the military's "
        "spokesman said contact with its senior officers there was lost that evening and some were reportedly "
        "captured.",
    ),
    Record(
        "town",
        "MMR015001701",
        "Lashio Town",
        "sac",
        "held",
        "assessed",
        "2025-04-22",
        (NATION_LASHIO_RETURN, MIZZIMA_LASHIO_RETURN),
        "A military convoy of over a hundred vehicles re-entered Lashio on 22 Apr after the MNDAA withdrew, "
        "following talks with China's ceasefire monitors; MNDAA flags came down from 21 Apr.",
    ),
    baseline(
        "town",
        "MMR015003701",
        "Mongyai Town",
        (MIZZIMA_LASHIO_RETURN,),
        "After losing Lashio in Aug 2024 the junta kept its positions in nearby Mongyai (Mizzima, Apr 2025); the "
        "report implies it held the town before. No change found.",
    ),
    baseline(
        "town",
        "MMR015004701",
        "Tangyan Town",
        (MIZZIMA_LASHIO_RETURN,),
        "After losing Lashio in Aug 2024 the junta kept its positions in nearby Tangyan (Mizzima, Apr 2025); the "
        "report implies it held the town before. No change found.",
    ),
    baseline(
        "town",
        "MMR015017701",
        "Mongmit Town",
        (IRR_MONGMIT,),
        "Junta battalions IB 276 and LIB 348 and a tactical command held Mongmit until the TNLA took it. The KIA "
        "briefly occupied the town before the regime retook it (The Irrawaddy dates this to November 2023 here and "
        "to January 2024 on 29 Feb 2024); that spell is not recorded, for want of dates.",
    ),
    Record(
        "town",
        "MMR015017701",
        "Mongmit Town",
        "tnla",
        "held",
        "claimed",
        "2024-07-31",
        (IRR_MONGMIT,),
        "'We seized total control of Mongmit today', the TNLA's spokesperson said on Wednesday 31 Jul.",
    ),
    baseline(
        "town",
        "MMR015018701",
        "Mabein Town",
        (IRR_MARTIAL_LAW,),
        "The KIA seized Mabein from the military in January 2024 (The Irrawaddy).",
    ),
    Record(
        "town",
        "MMR015018701",
        "Mabein Town",
        "kia",
        "held",
        "assessed",
        "2024-02-29",
        (IRR_MARTIAL_LAW,),
        "Seized by the KIA 'last month' (January 2024, day not given) and still under KIA control when the regime "
        "declared martial law there on 28 Feb; recorded from the report's date.",
    ),
    baseline(
        "town",
        "MMR015013701",
        "Nawnghkio Town",
        (TONGSAN_NAUNGCHO,),
        "The junta's Infantry Battalion 115 was based in Naungcho until the TNLA captured its base.",
    ),
    Record(
        "town",
        "MMR015013701",
        "Nawnghkio Town",
        "tnla",
        "held",
        "assessed",
        "2024-06-28",
        (TONGSAN_NAUNGCHO,),
        "The TNLA took the IB 115 base; residents said it controlled almost all of the town, including the police "
        "station and offices, and the military gave no news.",
    ),
    Record(
        "town",
        "MMR015013701",
        "Nawnghkio Town",
        "sac",
        "held",
        "assessed",
        "2025-07-15",
        (IRR_NAWNGHKIO_RETAKEN, DMG_KYAUKME_RETAKEN),
        "Regime forces took the town on Tuesday 15 Jul, a resident confirmed (The Irrawaddy); state media gave "
        "16 Jul (DMG).",
    ),
    baseline(
        "town",
        "MMR015012701",
        "Kyaukme Town",
        (IRR_KYAUKME,),
        "The TNLA and allies captured Kyaukme from the military on 5 Aug 2024 (The Irrawaddy).",
    ),
    Record(
        "town",
        "MMR015012701",
        "Kyaukme Town",
        "tnla",
        "held",
        "assessed",
        "2024-08-05",
        (IRR_KYAUKME,),
        "'The TNLA and its allies captured Kyaukme on August 5 last year' (The Irrawaddy, Aug 2025).",
    ),
    Record(
        "town",
        "MMR015012701",
        "Kyaukme Town",
        "sac",
        "held",
        "claimed",
        "2025-10-01",
        (DMG_KYAUKME_RETAKEN, INDEPENDENT_KYAUKME),
        "State media announced the recapture on 1 Oct; AP could not confirm it independently but notes the claim "
        "has not been challenged.",
    ),
    baseline(
        "town",
        "MMR015014701",
        "Hsipaw Town",
        (DMG_FIVE_TOWNS,),
        "The TNLA took Hsipaw from the junta's Infantry Battalion 23, the last of three battalions there.",
    ),
    Record(
        "town",
        "MMR015014701",
        "Hsipaw Town",
        "tnla",
        "held",
        "claimed",
        "2024-10-15",
        (DMG_FIVE_TOWNS,),
        "The TNLA announced on Tuesday 15 Oct that it had captured Hsipaw after nearly three months of fighting.",
    ),
    Record(
        "town",
        "MMR015014701",
        "Hsipaw Town",
        "sac",
        "held",
        "assessed",
        "2025-10-16",
        (MOEMAKA_HSIPAW, NATION_HSIPAW),
        "The TNLA lost Hsipaw on 16 Oct, its third town lost in four months (MoeMaKa); the military said its "
        "columns entered the town on the evening of 16 Oct (Eleven Media).",
    ),
)

RAKHINE: tuple[Record, ...] = (
    baseline(
        "town",
        "MMR012007701",
        "Pauktaw Town",
        (IRR_PAUKTAW_SEIZED,),
        "The AA took the police station and all regime offices from the military on 15-16 Nov 2023.",
    ),
    Record(
        "town",
        "MMR012007701",
        "Pauktaw Town",
        "aa",
        "held",
        "assessed",
        "2023-11-16",
        (IRR_PAUKTAW_SEIZED,),
        "Seized at about 7 am on Thursday 16 Nov, residents said; AA officers on the ground confirmed it.",
    ),
    Record(
        "town",
        "MMR012007701",
        "Pauktaw Town",
        "sac",
        "held",
        "claimed",
        "2023-11-17",
        (WORLDREPORT_PAUKTAW, MYANMAR_NOW_PAUKTAW_RETAKEN),
        "The junta's spokesman said on Friday 17 Nov that the military had retaken the town, after air and naval "
        "bombardment (Myanmar Now, page undated); the alliance said junta troops had entered it (Reuters).",
    ),
    Record(
        "town",
        "MMR012007701",
        "Pauktaw Town",
        "aa",
        "held",
        "claimed",
        "2024-01-24",
        (DAILY_STAR_PAUKTAW,),
        "The AA said late on Wednesday 24 Jan that it 'completely controlled' Pauktaw; AFP could not confirm it.",
    ),
    baseline(
        "town",
        "MMR012005701",
        "Minbya Town",
        (IRR_MINBYA,),
        "The AA took the township's last two military battalion headquarters (LIB 379 and 541) on 6 Feb 2024.",
    ),
    Record(
        "town",
        "MMR012005701",
        "Minbya Town",
        "aa",
        "held",
        "claimed",
        "2024-02-06",
        (IRR_MINBYA,),
        "The AA seized the last two battalion headquarters outside the town on Tuesday 6 Feb; Rakhine media "
        "called Minbya a regime-free township.",
    ),
    Record(
        "township",
        "MMR012005",
        "Minbya",
        "aa",
        "held",
        "claimed",
        "2024-02-06",
        (IRR_MINBYA,),
        "The Irrawaddy, citing Rakhine media: the AA has taken control of Minbya Township.",
    ),
    baseline(
        "town",
        "MMR012003701",
        "Mrauk-U Town",
        (IRR_MRAUK_U,),
        "Police Battalion 31 was the junta's last stronghold in Mrauk U until 8 Feb 2024.",
    ),
    Record(
        "town",
        "MMR012003701",
        "Mrauk-U Town",
        "aa",
        "held",
        "claimed",
        "2024-02-08",
        (IRR_MRAUK_U,),
        "The AA said it seized Police Battalion 31 on Thursday 8 Feb; The Irrawaddy could not verify it, and a "
        "Rakhine activist said it was too early to call the township cleared.",
    ),
    Record(
        "township",
        "MMR012003",
        "Mrauk-U",
        "aa",
        "held",
        "claimed",
        "2024-02-08",
        (IRR_MRAUK_U,),
        "The AA said the township is under its control after Police Battalion 31 fell.",
    ),
    baseline(
        "town",
        "MMR012004701",
        "Kyauktaw Town",
        (NARINJARA_KYAUKTAW,),
        "The junta's MOC-9 and LIB 375 in Kyauktaw were still out of the AA's control on 6 Feb 2024.",
    ),
    Record(
        "town",
        "MMR012004701",
        "Kyauktaw Town",
        "aa",
        "held",
        "claimed",
        "2024-02-09",
        (IRR_MRAUK_U,),
        "Day of capture not given: Rakhine media reported that the AA controls Kyauktaw township, which The "
        "Irrawaddy could not verify; recorded from the report's date.",
    ),
    Record(
        "township",
        "MMR012004",
        "Kyauktaw",
        "aa",
        "held",
        "claimed",
        "2024-02-09",
        (IRR_MRAUK_U,),
        "Rakhine media reported that the AA controls Kyauktaw township; not independently verified.",
    ),
    baseline(
        "town",
        "MMR012002701",
        "Ponnagyun Town",
        (IRR_PONNAGYUN,),
        "The junta's LIB 550 headquarters was its last major base in Ponnagyun until 4 Mar 2024.",
    ),
    Record(
        "town",
        "MMR012002701",
        "Ponnagyun Town",
        "aa",
        "held",
        "assessed",
        "2024-03-04",
        (IRR_PONNAGYUN, RFA_PONNAGYUN),
        "The AA took the LIB 550 headquarters on Monday 4 Mar, completing its control of the town, the AA said "
        "(The Irrawaddy); locals told RFA the AA captured Ponnagyun on Monday (RFA, page undated).",
    ),
    baseline(
        "town",
        "MMR012013701",
        "Ramree Town",
        (IRR_RAMREE,),
        "The junta reportedly lost Ramree to the AA on 11 Mar 2024 after nearly three months of fighting.",
    ),
    Record(
        "town",
        "MMR012013701",
        "Ramree Town",
        "aa",
        "held",
        "claimed",
        "2024-03-11",
        (IRR_RAMREE,),
        "The AA says it controls the island town; the junta made no comment.",
    ),
    baseline(
        "town",
        "MMR012008701",
        "Rathedaung Town",
        (PROTHOM_ALO_RATHEDAUNG,),
        "About 200 junta soldiers fled Rathedaung after two weeks of fighting, ending the military's hold.",
    ),
    Record(
        "town",
        "MMR012008701",
        "Rathedaung Town",
        "aa",
        "held",
        "claimed",
        "2024-03-17",
        (PROTHOM_ALO_RATHEDAUNG, IRR_RATHEDAUNG),
        "The AA said it seized the headquarters of LIBs 536, 537 and 538 outside the town on Sunday 17 Mar "
        "(The Irrawaddy, page undated); Prothom Alo reports the fall as confirmed by The Irrawaddy and RFA.",
    ),
    baseline(
        "town",
        "MMR012010701",
        "Buthidaung Town",
        (IRR_BUTHIDAUNG,),
        "The regime's Strategic Military Command in Buthidaung fell to the AA on 18 May 2024.",
    ),
    Record(
        "town",
        "MMR012010701",
        "Buthidaung Town",
        "aa",
        "held",
        "claimed",
        "2024-05-18",
        (IRR_BUTHIDAUNG,),
        "The AA says it took the town's Strategic Military Command and all remaining strongholds on Saturday 18 May.",
    ),
    Record(
        "township",
        "MMR012010",
        "Buthidaung",
        "aa",
        "held",
        "claimed",
        "2024-05-18",
        (IRR_BUTHIDAUNG,),
        "The AA says it has complete control of Buthidaung Township.",
    ),
    baseline(
        "town",
        "MMR012016701",
        "Toungup Town",
        (EURASIA_REVIEW_TOUNGUP,),
        "Junta forces held Toungup until the AA captured the town and the battalion bases around it in Nov 2024 (RFA).",
    ),
    Record(
        "town",
        "MMR012016701",
        "Toungup Town",
        "aa",
        "held",
        "assessed",
        "2024-11-20",
        (EURASIA_REVIEW_TOUNGUP, DVB_TAUNGUP),
        "A resident told RFA the AA captured the town on Wednesday 20 Nov; the AA's own statement gives 24 Nov "
        "(DVB, page undated).",
    ),
    baseline(
        "town",
        "MMR012009701",
        "Maungdaw Town",
        (TAIPEI_TIMES_MAUNGDAW,),
        "The military held its last outpost in Maungdaw until 8 Dec 2024 (AP).",
    ),
    Record(
        "town",
        "MMR012009701",
        "Maungdaw Town",
        "aa",
        "held",
        "claimed",
        "2024-12-08",
        (TAIPEI_TIMES_MAUNGDAW,),
        "The AA's spokesman said it seized the last military outpost in Maungdaw on Sunday 8 Dec; AP could not "
        "confirm it independently.",
    ),
    baseline(
        "town",
        "MMR012014701",
        "Ann Town",
        (DMG_ANN,),
        "The junta's garrison town of Ann, seat of the Western Command, fell to the AA on 6 Dec 2024 (DMG).",
    ),
    Record(
        "town",
        "MMR012014701",
        "Ann Town",
        "aa",
        "held",
        "assessed",
        "2024-12-06",
        (DMG_ANN, BSS_ANN_AFP),
        "The AA seized the garrison town on 6 Dec (DMG); the Western Command headquarters held out until Friday "
        "20 Dec, by the AA's account (AFP, which could not confirm it).",
    ),
    baseline(
        "town",
        "MMR012001701",
        "Sittwe Town",
        (RFA_SITTWE,),
        "Sittwe is one of the three Rakhine townships still in the junta's hands in Feb 2025 (RFA). No change found.",
    ),
    baseline(
        "town",
        "MMR012011701",
        "Kyaukpyu Town",
        (DMG_KYAUKPHYU, RFA_SITTWE),
        "The regime controls Kyaukphyu town in Jun 2024 (DMG) and the township in Feb 2025 (RFA). No change found.",
    ),
    baseline(
        "town",
        "MMR012012701",
        "Munaung Town",
        (RFA_SITTWE,),
        "Munaung is one of the three Rakhine townships still in the junta's hands in Feb 2025 (RFA). No change found.",
    ),
)

CHIN: tuple[Record, ...] = (
    baseline(
        "town",
        "MMR004001702",
        "Rihkhawdar Town",
        (NENOW_RIHKHAWDAR,),
        "The Myanmar army had two bases at Rihkhawdar and Khawmawi until Chin forces overran them on 13 Nov 2023.",
    ),
    Record(
        "town",
        "MMR004001702",
        "Rihkhawdar Town",
        "cnf",
        "held",
        "assessed",
        "2023-11-13",
        (NENOW_RIHKHAWDAR, NENOW_RIHKHAWDAR_FLAG),
        "The Champhai deputy commissioner (India) said the bases were taken on Monday 13 Nov; 43 Myanmar soldiers "
        "fled to Mizoram. The attacking force included the CNA (CNF's army), whose flag was raised over the town.",
    ),
    baseline(
        "town",
        "MMR004009701",
        "Paletwa Town",
        (IRR_PALETWA,),
        "The AA says it seized all 24 junta positions in Paletwa, including the LIB 289 headquarters.",
    ),
    Record(
        "town",
        "MMR004009701",
        "Paletwa Town",
        "aa",
        "held",
        "claimed",
        "2024-01-14",
        (IRR_PALETWA, AP_PALETWA),
        "The AA claims full control of the town after seizing all junta positions by Sunday 14 Jan; the military "
        "made no immediate comment (AP).",
    ),
    Record(
        "township",
        "MMR004009",
        "Paletwa",
        "aa",
        "held",
        "claimed",
        "2024-01-14",
        (AP_PALETWA, IRR_PALETWA),
        "The AA's spokesperson said the entire Paletwa region has become a 'Military Council-free area'.",
    ),
    baseline(
        "town",
        "MMR004008702",
        "Kyin Dway Town",
        (KHONUMTHUNG_KYINDWE,),
        "The Burma army held the town until the Chin Brotherhood drove it out after a 54-day offensive.",
    ),
    Record(
        "town",
        "MMR004008702",
        "Kyin Dway Town",
        "Chin Brotherhood",
        "held",
        "claimed",
        "2024-04-29",
        (KHONUMTHUNG_KYINDWE, IRR_KYINDWE),
        "The Chin Brotherhood alliance, with AA and PDF help, captured the camp and town on the morning of 29 Apr "
        "(Khonumthung); The Irrawaddy gives 28 Apr.",
    ),
    baseline(
        "town",
        "MMR004005702",
        "Cikha Town",
        (MIZZIMA_TONZANG,),
        "Infantry Battalion 269 and the police held Cikha until Chin forces took it on 19 May 2024.",
    ),
    Record(
        "town",
        "MMR004005702",
        "Cikha Town",
        "chinland",
        "held",
        "claimed",
        "2024-05-19",
        (MIZZIMA_TONZANG, MYANMAR_NOW_CHIN_GRIP),
        "Chin forces, the CNA among them, took the police station and the IB 269 base on the morning of 19 May, "
        "per the CNA's spokesperson (Mizzima); Myanmar Now (page undated) puts Tonzang Township under the "
        "Chinland Council, led by the CNF/CNA.",
    ),
    baseline(
        "town",
        "MMR004005701",
        "Tonzang Town",
        (MIZZIMA_TONZANG,),
        "Junta troops held Tonzang until Chin forces cleared them on 21 May 2024.",
    ),
    Record(
        "town",
        "MMR004005701",
        "Tonzang Town",
        "chinland",
        "held",
        "claimed",
        "2024-05-21",
        (MIZZIMA_TONZANG, MYANMAR_NOW_CHIN_GRIP),
        "'We can now say that we have captured the town' (CNA spokesperson, Mizzima): the CNA and a dozen Chin "
        "defence forces took it. Myanmar Now (page undated) puts Tonzang Township under the Chinland Council, "
        "led by the CNF/CNA.",
    ),
    baseline(
        "town",
        "MMR004007701",
        "Matupi Town",
        (DMG_MATUPI, TONGSAN_MATUPI),
        "The military's IB 304 and IB 140 held Matupi until the Chin Brotherhood seized the town on 29 Jun 2024.",
    ),
    Record(
        "town",
        "MMR004007701",
        "Matupi Town",
        "Chin Brotherhood",
        "held",
        "claimed",
        "2024-06-29",
        (DMG_MATUPI, TONGSAN_MATUPI),
        "The Chin Brotherhood announced it had completely captured the town on 29 Jun, after taking IB 304 "
        "(17 Jun) and IB 140 (Tongsan, page undated).",
    ),
    baseline(
        "town",
        "MMR004006701",
        "Mindat Town",
        (MIZZIMA_CBA_YEAR, IRR_CHIN_GRIP),
        "The regime lost control of Mindat on 22 Dec 2024 (The Irrawaddy, 9 Jan 2025), taken by the Chin "
        "Brotherhood (Mizzima).",
    ),
    Record(
        "town",
        "MMR004006701",
        "Mindat Town",
        "Chin Brotherhood",
        "held",
        "claimed",
        "2024-12-21",
        (MIZZIMA_CBA_YEAR, DVB_CBA_YEAR, IRR_CHIN_GRIP),
        "The day is the Chin Brotherhood's own, from its 30 Dec press conference: full control of Mindat by 21 Dec "
        "(DVB, page undated); The Irrawaddy (analysis, 9 Jan 2025) says the regime lost Mindat on 22 Dec; Mizzima "
        "(1 Jan 2025) lists Mindat among the alliance's captures of its first year.",
    ),
    baseline(
        "town",
        "MMR004002701",
        "Hakha Town",
        (MIZZIMA_HAKHA,),
        "Junta troops hold Hakha in Jun 2024: LIB 266 on Yone Mountain and patrols in the town (Mizzima). No change "
        "found.",
    ),
    baseline(
        "town",
        "MMR004001701",
        "Falam Town",
        (POWER_CORRIDORS_FALAM,),
        "The junta's Battalion 268 was its last position in Falam until 7 Apr 2025.",
    ),
    Record(
        "town",
        "MMR004001701",
        "Falam Town",
        "Chin Brotherhood",
        "held",
        "claimed",
        "2025-04-07",
        (POWER_CORRIDORS_FALAM, MYANMAR_NOW_FALAM),
        "A Chin Brotherhood official told RFA the alliance took the junta's remaining Battalion 268 on Monday 7 Apr, "
        "after an offensive begun in November 2024.",
    ),
)

RECORDS: tuple[Record, ...] = NORTHERN_SHAN + RAKHINE + CHIN


def mimu_names(db: Path) -> dict[str, str]:
    """MIMU English names by P-code: towns (``town_pcode``) and townships (``township_pcode``)."""
    if not db.is_file():
        raise SystemExit(f"error: {db} not found; install mm-geo-coder (requirements.txt)")
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        towns = connection.execute("SELECT DISTINCT town_pcode, town_eng FROM wards").fetchall()
        townships = connection.execute(
            "SELECT township_pcode, township_eng FROM wards UNION SELECT township_pcode, township_eng FROM villages"
        ).fetchall()
    return {pcode: name for pcode, name in towns + townships if pcode}


def check(records: tuple[Record, ...], names: dict[str, str]) -> None:
    """Stop with the record's id and field at the first record that breaks a rule."""
    seen: set[tuple[str, str]] = set()
    for record in records:
        where = f"record {record.record_id}"
        expected_length = 12 if record.kind == "town" else 9
        if record.kind not in ("town", "township") or len(record.pcode) != expected_length:
            raise SystemExit(f"error: {where}: place_pcode {record.pcode!r} is not a MIMU {record.kind} P-code")
        if names.get(record.pcode) != record.mimu_name:
            raise SystemExit(
                f"error: {where}: place_pcode {record.pcode} is {names.get(record.pcode)!r} in MIMU, "
                f"not {record.mimu_name!r}"
            )
        if record.controller not in GROUP_IDS + OWN_NAMES:
            raise SystemExit(f"error: {where}: controller {record.controller!r} is not a known group")
        if record.status not in STATUSES or record.confidence not in CONFIDENCES:
            raise SystemExit(f"error: {where}: status/confidence {record.status!r}/{record.confidence!r}")
        valid_from = date.fromisoformat(record.valid_from)
        if valid_from < BASELINE:
            raise SystemExit(f"error: {where}: valid_from {record.valid_from} is before the baseline {BASELINE}")
        if (record.kind, record.pcode, record.valid_from) in seen:
            raise SystemExit(f"error: {where}: a second record for the same place and date")
        seen.add((record.kind, record.pcode, record.valid_from))
        if not record.note.strip():
            raise SystemExit(f"error: {where}: note is empty")
        if not any(source.published for source in record.sources):
            raise SystemExit(f"error: {where}: no source with a publication date")
        for source in record.sources:
            parts = urlsplit(source.url)
            if parts.scheme not in ("http", "https") or not parts.netloc or not source.name.strip():
                raise SystemExit(f"error: {where}: source_url {source.url!r} is not an http(s) address with a name")
            if source.published and date.fromisoformat(source.published) < valid_from:
                raise SystemExit(f"error: {where}: source_date {source.published} is before valid_from")


def rows(records: tuple[Record, ...]) -> list[dict[str, str]]:
    """One CSV row per source, records ordered by date, then place kind and P-code."""
    ordered = sorted(records, key=lambda r: (r.valid_from, r.kind, r.pcode))
    return [
        {
            "record_id": record.record_id,
            "place_kind": record.kind,
            "place_pcode": record.pcode,
            "place_name": record.place_name,
            "controller": record.controller,
            "status": record.status,
            "confidence": record.confidence,
            "valid_from": record.valid_from,
            "source_name": source.name,
            "source_url": source.url,
            "source_date": source.published,
            "note": record.note,
        }
        for record in ordered
        for source in record.sources
    ]


def build(output: Path, db: Path = MIMU_DB) -> None:
    """Check every record against MIMU and the rules above, then write the CSV."""
    check(RECORDS, mimu_names(db))
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows(RECORDS))
    places = {(r.kind, r.pcode) for r in RECORDS}
    print(f"{output.name}: {len(RECORDS)} records on {len(places)} places")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="CSV to write")
    build(parser.parse_args(argv).output)


if __name__ == "__main__":
    main()
