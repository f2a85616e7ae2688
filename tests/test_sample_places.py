"""Every shipped sample event sits at its own named MIMU place, never at a capital standing in for it."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest
from pyproj import Geod
from rapidfuzz import fuzz

from geo.data.build_gazetteer import source_database
from geo.gazetteer import load_towns, normalise, township_at
from tests.test_data_rebuild import DATA

MAX_KM = 2.0
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return pd.read_csv(DATA / "sample_events.csv", dtype={"place_pcode": str}, keep_default_na=False)


@pytest.fixture(scope="module")
def places(sample: pd.DataFrame) -> pd.DataFrame:
    """Name, township P-code and coordinates of every place the sample uses, straight from MIMU."""
    towns = load_towns().rename(columns={"town_pcode": "pcode"})
    towns = towns[["pcode", "name_en", "township_pcode", "latitude", "longitude"]]
    codes = sorted({int(code) for code in sample["place_pcode"] if code.isdigit()})
    with sqlite3.connect(f"file:{source_database()}?mode=ro", uri=True) as connection:
        villages = pd.read_sql(
            "SELECT village_pcode AS pcode, village_eng AS name_en, township_pcode, latitude, longitude "
            f"FROM villages WHERE village_pcode IN ({','.join('?' * len(codes))})",
            connection,
            params=codes,
        )
    villages["pcode"] = villages["pcode"].astype(str)
    return pd.concat([towns, villages]).set_index("pcode")


def test_every_event_is_within_a_few_km_of_its_place(sample: pd.DataFrame, places: pd.DataFrame) -> None:
    assert sample["place_pcode"].isin(places.index).all()
    place = places.loc[sample["place_pcode"]]
    _, _, metres = GEOD.inv(sample["longitude"], sample["latitude"], place["longitude"], place["latitude"])
    assert (metres / 1000 <= MAX_KM).all(), sample.loc[metres / 1000 > MAX_KM, "event_id_cnty"].tolist()


def test_every_event_names_the_place_it_sits_at(sample: pd.DataFrame, places: pd.DataFrame) -> None:
    """The place is the one the report names (its location or notes), not a district town standing in."""
    for row in sample.itertuples():
        name = places.loc[row.place_pcode, "name_en"].split(" (")[0]
        text = normalise(f"{row.location} {row.notes}")
        score = fuzz.partial_ratio(normalise(name), text)
        assert score >= 80, f"{row.event_id_cnty} sits at {name}, which its report does not name"


def test_precision_and_placement_agree(sample: pd.DataFrame, places: pd.DataFrame) -> None:
    assert set(sample["geo_precision"]) <= {1, 2}
    exact = sample["geo_precision"] == 1
    assert (sample.loc[exact, "geo_placement"] == "").all()
    assert sample.loc[~exact, "geo_placement"].str.startswith("approximate: ").all()
    for row in sample[~exact].itertuples():
        assert places.loc[row.place_pcode, "name_en"].split(" (")[0] in row.geo_placement


def test_admin3_is_the_township_the_point_lies_in(sample: pd.DataFrame, places: pd.DataFrame) -> None:
    found = township_at(sample["longitude"], sample["latitude"])
    expected = places.loc[sample["place_pcode"], "township_pcode"].to_numpy()
    assert (found["township_pcode"].to_numpy() == expected).all()
    assert (found["township_en"].to_numpy() == sample["admin3"].to_numpy()).all()


def test_the_places_missing_before_are_their_own_points(sample: pd.DataFrame) -> None:
    """Kunlong, Namhsan, Paletwa, Maungdaw and Minbya once sat at Lashio, Hakha or Sittwe."""
    district_towns = load_towns().set_index("name_en").loc[["Lashio", "Hakha", "Sittwe"]]
    for location in ("Kunlong", "Namhsan", "Paletwa"):
        row = sample[sample["location"] == location].iloc[0]
        assert row["geo_precision"] == 1
        assert not (
            (district_towns["latitude"] == row["latitude"]) & (district_towns["longitude"] == row["longitude"])
        ).any()
    assert not sample["admin3"].isin(["Hakha"]).any()
    assert (sample.loc[sample["location"].str.contains("Minbya|Maungdaw"), "admin3"] != "Sittwe").all()
