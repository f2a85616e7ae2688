"""The shipped boundary data: names, counts, CRS, validity, areas and consistency."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from geo.boundaries import CONFLICT_STATES, Boundaries, area_km2

STATES_AND_REGIONS = {
    "Ayeyarwady",
    "Bago",
    "Chin",
    "Kachin",
    "Kayah",
    "Kayin",
    "Magway",
    "Mandalay",
    "Mon",
    "Nay Pyi Taw",
    "Rakhine",
    "Sagaing",
    "Shan",
    "Tanintharyi",
    "Yangon",
}

# Official areas in km² (Myanmar 2014 census; Yunnan provincial government) and the
# tolerance each meets. Rakhine is 7.3% small: the echarts source draws it at 32,334 km²
# and the 1:1M coastline simplifies its tidal islands (geo/data/SOURCES.md, "Areas").
OFFICIAL_AREA_KM2 = {"Shan": (155_801, 0.05), "Chin": (36_019, 0.05), "Rakhine": (36_778, 0.08)}
YUNNAN_AREA_KM2 = 394_100
UTM_47N = "EPSG:32647"


def test_every_layer_is_wgs84(boundaries: Boundaries) -> None:
    for frame in (boundaries.states, boundaries.yunnan, boundaries.countries, boundaries.borders, boundaries.crossings):
        assert frame.crs.to_epsg() == 4326


def test_states_are_the_fifteen_states_and_regions(boundaries: Boundaries) -> None:
    states = boundaries.states
    assert len(states) == 15
    assert set(states["name"]) == STATES_AND_REGIONS
    kinds = dict(zip(states["name"], states["kind"], strict=True))
    assert {name for name, kind in kinds.items() if kind == "State"} == {
        "Chin",
        "Kachin",
        "Kayah",
        "Kayin",
        "Mon",
        "Rakhine",
        "Shan",
    }
    assert kinds["Nay Pyi Taw"] == "Union territory"
    assert set(CONFLICT_STATES) <= set(states["name"])


@pytest.mark.parametrize(("name", "official", "tolerance"), [(k, *v) for k, v in sorted(OFFICIAL_AREA_KM2.items())])
def test_conflict_state_area_matches_official_figure(
    boundaries: Boundaries, name: str, official: int, tolerance: float
) -> None:
    states = boundaries.states.set_index("name")
    measured = area_km2(states.loc[[name]]).iloc[0]
    assert measured == pytest.approx(official, rel=tolerance)


def test_yunnan_area_matches_official_figure(boundaries: Boundaries) -> None:
    assert area_km2(boundaries.yunnan).sum() == pytest.approx(YUNNAN_AREA_KM2, rel=0.05)


def test_states_tile_the_national_outline(boundaries: Boundaries) -> None:
    myanmar = boundaries.countries.set_index("iso3").loc[["MMR"]]
    states = boundaries.states
    union_area = area_km2(states.dissolve()).iloc[0]
    outline_area = area_km2(myanmar).iloc[0]
    assert union_area == pytest.approx(outline_area, rel=0.002)
    overlap = area_km2(states).sum() - union_area
    assert overlap < 0.001 * union_area


@pytest.mark.parametrize(
    ("island", "lon", "lat", "country", "state"),
    [
        ("Great Coco Island", 93.365, 14.112, "Myanmar", "Yangon"),
        ("Preparis Island", 93.624, 14.877, "Myanmar", "Yangon"),
        ("Landfall Island", 93.007, 13.654, "India", None),
    ],
)
def test_islands_in_the_andaman_sea_belong_where_the_source_says(
    boundaries: Boundaries, island: str, lon: float, lat: float, country: str, state: str | None
) -> None:
    # DCW draws the Coco Islands and Preparis inside India; the build gives them to Myanmar's Yangon Region.
    point = shapely.Point(lon, lat)
    assert list(boundaries.countries[boundaries.countries.contains(point)]["name"]) == [country], island
    assert list(boundaries.states[boundaries.states.contains(point)]["name"]) == ([state] if state else []), island


def test_no_state_overlaps_another(boundaries: Boundaries) -> None:
    states = boundaries.states.to_crs("EPSG:6933")
    tree = shapely.STRtree(states.geometry.values)
    left, right = tree.query(states.geometry.values, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i < j:
            shared = states.geometry.iloc[i].intersection(states.geometry.iloc[j]).area / 1e6
            assert shared < 1.0, f"{states['name'].iloc[i]} and {states['name'].iloc[j]} overlap by {shared:.1f} km²"


def test_borders_cover_myanmars_land_neighbours(boundaries: Boundaries) -> None:
    borders = boundaries.borders.set_index("neighbour_iso3")
    assert set(borders.index) == {"CHN", "IND", "BGD", "LAO", "THA"}
    # Commonly cited lengths (km). A 1:1M source skips river meanders and stops where the Naf
    # and Pakchan estuaries open to the sea, so its lines run short (SOURCES.md), never long.
    official = {"CHN": 2_185, "IND": 1_643, "BGD": 271, "LAO": 238, "THA": 2_416}
    for iso3, length in official.items():
        assert 0.65 * length < borders.loc[iso3, "length_km"] < 1.02 * length, iso3
    assert "China" in borders.loc["CHN", "name"]


def test_china_border_runs_along_yunnan(boundaries: Boundaries) -> None:
    """Most of the China–Myanmar border is Yunnan's edge (about 2,000 of 2,185 km); the rest is Tibet's."""
    border = gpd.GeoSeries([boundaries.china_border], crs=4326).to_crs(UTM_47N).iloc[0]
    yunnan_edge = boundaries.yunnan.to_crs(UTM_47N).boundary.union_all()
    along_yunnan = border.intersection(yunnan_edge.buffer(1_000)).length
    assert 0.85 < along_yunnan / border.length < 0.97


def test_crossings_lie_in_myanmar_near_a_border(boundaries: Boundaries) -> None:
    crossings = boundaries.crossings.to_crs(UTM_47N)
    borders = boundaries.borders.to_crs(UTM_47N).union_all()
    assert len(crossings) >= 6
    # Kawthaung–Ranong is a boat crossing of the Pakchan estuary, beyond the land border's end.
    for name, point in zip(crossings["name"], crossings.geometry, strict=True):
        assert point.distance(borders) < 30_000, name
    assert crossings["source"].str.contains("GeoNames|MIMU town").all()
    assert {"Chinshwehaw – Qingshuihe", "Rihkhawdar – Zokhawthar"} <= set(crossings["name"])
