"""The MIMU gazetteer: counts, positions, spelling-tolerant search and township look-up."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from geo import gazetteer
from geo.boundaries import Boundaries
from geo.gazetteer import GazetteerDataError, find_places, load_towns, load_townships, normalise, township_at

LAUKKAING = "MMR015022701"
MONEKOE = "MMR015009702"
HSENI = "MMR015002701"
MRAUK_U = "MMR012003701"
KYAUKPYU = "MMR012011701"
CHINSHWEHAW = "MMR015022702"


def test_counts_and_columns() -> None:
    towns = load_towns()
    townships = load_townships()
    assert list(towns.columns[: len(gazetteer.TOWN_COLUMNS)]) == list(gazetteer.TOWN_COLUMNS)
    assert towns["town_pcode"].is_unique and townships["pcode"].is_unique
    assert len(towns) >= 480
    assert set(towns["rank"]) == {1, 2, 3, 4}
    # 330 of MIMU's 332 township codes have located places and so an area; the rest are Kokang/Wa sub-townships.
    assert (townships["unit"] == "township").sum() == 330
    assert townships["pcode"].str[-3:].astype(int).lt(200).sum() == 330
    assert townships.crs.to_epsg() == 4326
    assert townships.geometry.is_valid.all() and not townships.geometry.is_empty.any()


def test_towns_lie_in_their_state_and_township(boundaries: Boundaries) -> None:
    towns = load_towns()
    states = boundaries.states.set_index("name").geometry
    outline_names = towns["state_en"].str.replace(r"\s*\(.*\)$", "", regex=True)
    points = shapely.points(towns["longitude"], towns["latitude"])
    distance = shapely.distance(states.reindex(outline_names).to_numpy(), points)
    assert distance.max() < 0.02, towns.loc[distance.argmax(), "name_en"]  # within ~2 km of the outline
    own = township_at(towns["longitude"], towns["latitude"])["township_pcode"].to_numpy()
    assert (own == towns["township_pcode"].to_numpy()).mean() > 0.98


def test_seats_and_capitals() -> None:
    towns = load_towns().set_index("town_pcode")
    assert towns.loc["MMR012001701", ["name_en", "rank"]].tolist() == ["Sittwe", 1]
    assert towns.loc["MMR015001701", ["name_en", "rank"]].tolist() == ["Lashio", 2]
    assert towns.loc[LAUKKAING, "rank"] == 3
    assert towns.loc[CHINSHWEHAW, "rank"] == 4
    townships = load_townships().set_index("pcode")
    assert townships.loc["MMR015022", "seat_town_pcode"] == LAUKKAING


@pytest.mark.parametrize(
    ("query", "pcode"),
    [
        ("Laukkai", LAUKKAING),
        ("Laukkaing", LAUKKAING),
        ("laukkaing town", LAUKKAING),
        ("Mong Ko", MONEKOE),
        ("Monekoe", MONEKOE),
        ("Hseni", HSENI),
        ("Hsenwi", HSENI),
        ("Mrauk U", MRAUK_U),
        ("Mrauk-U", MRAUK_U),
        ("Myauk U", MRAUK_U),
        ("Kyaukphyu", KYAUKPYU),
        ("Kyaukpyu", KYAUKPYU),
        ("Chinshwehaw", CHINSHWEHAW),
        ("Chin Shwe Haw", CHINSHWEHAW),
        ("Namhkam", "MMR015010701"),
        ("Kyaingtong", "MMR016001701"),  # alias table
        ("Momeik", "MMR015017701"),  # alias table
        ("လောက်ကိုင်", LAUKKAING),
        ("ပလက်ဝမြို့", "MMR004009701"),
    ],
)
def test_find_places_by_variant(query: str, pcode: str) -> None:
    towns = [match for match in find_places(query, limit=3) if match.kind == "town"]
    assert towns and towns[0].pcode == pcode


def test_find_places_shapes_its_answer() -> None:
    matches = find_places("Paletwa")
    assert [m.kind for m in matches[:2]] == ["town", "township"]
    town = matches[0]
    assert (town.name_en, town.name_my, town.score) == ("Paletwa", "ပလက်ဝ", 100.0)
    assert abs(town.latitude - 21.30) < 0.05 and abs(town.longitude - 92.86) < 0.05
    assert [m.kind for m in find_places("Tamu")].count("crossing") == 1
    assert find_places("Xyzzyq") == []
    assert find_places("   ") == []
    assert len(find_places("Mong", limit=4)) <= 4


def test_search_as_you_type_and_kind_named_in_the_query() -> None:
    town = next(m for m in find_places("Rih") if m.kind == "town")
    assert (town.name_en, town.score) == ("Rihkhawdar", gazetteer.PREFIX_SCORE)
    assert find_places("Rih", prefix=False) == []
    assert find_places("Ri") == []  # too short to be a prefix
    assert find_places("Lashio Township")[0].kind == "township"
    assert find_places("Lashio")[0].kind == "town"
    assert find_places("လားရှိုးမြို့နယ်")[0].kind == "township"


def test_normalise_keys() -> None:
    assert normalise("Mrauk-U Town") == normalise("mrauk u")
    assert normalise("Kyaukphyu") == normalise("Kyaukpyu")
    assert normalise("Monekoe") == normalise("Mong Ko")
    assert normalise("လောက်ကိုင်မြို့") == normalise("လောက်ကိုင်")


def test_township_at_is_vectorised_and_honest_about_misses() -> None:
    result = township_at(np.array([98.765, 92.855, 90.0, np.nan]), np.array([23.687, 21.304, 15.0, np.nan]))
    assert result["township_pcode"].tolist() == ["MMR015022", "MMR004009", "", ""]
    assert result.loc[1, ["township_en", "district_en", "state_en"]].tolist() == ["Paletwa", "Matupi", "Chin"]


def test_loaders_return_copies() -> None:
    towns, townships = load_towns(), load_townships()
    towns.loc[0, "name_en"] = "changed"
    townships.loc[0, "name_en"] = "changed"
    assert load_towns().loc[0, "name_en"] != "changed"
    assert load_townships().loc[0, "name_en"] != "changed"


def test_bad_alias_is_reported_with_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,pcode,source\nGood,MMR015022701,a source\nBad,MMR999999701,a source\n")
    monkeypatch.setattr(gazetteer, "ALIASES_FILE", aliases)
    gazetteer._aliases.cache_clear()
    try:
        with pytest.raises(GazetteerDataError, match=r"line 3: pcode 'MMR999999701'"):
            gazetteer._aliases()
    finally:
        gazetteer._aliases.cache_clear()
