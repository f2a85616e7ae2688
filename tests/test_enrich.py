"""Enrichment on hand-made geometry: two box 'states', a straight border, two crossings."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, MultiPolygon, Point, box

from geo.enrich import assign_state, distance_to_border_km, enrich_events, nearest_crossing

GEOD = Geod(ellps="WGS84")

# Shan box below Kachin box, sharing the edge at latitude 24; the border runs along
# the boxes' east side at 99°E.
STATES = gpd.GeoDataFrame(
    {"name": ["Shan", "Kachin"]},
    geometry=[box(97.0, 22.0, 99.0, 24.0), box(97.0, 24.0, 99.0, 26.0)],
    crs="EPSG:4326",
)
BORDER = LineString([(99.0, 22.0), (99.0, 26.0)])
CROSSINGS = gpd.GeoDataFrame(
    {"name": ["Gate South", "Gate North"]},
    geometry=[Point(98.99, 23.5), Point(98.99, 25.5)],
    crs="EPSG:4326",
)


def events(
    points: list[tuple[float, float]], admin1: list[str] | None = None, index: list[int] | None = None
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"admin1": admin1 if admin1 is not None else [""] * len(points)},
        geometry=[Point(lon, lat) for lon, lat in points],
        crs="EPSG:4326",
        index=index,
    )


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000


def test_points_get_the_state_they_fall_in() -> None:
    placed = assign_state(events([(98.0, 23.0), (98.0, 25.0)]), STATES)
    assert placed["state"].tolist() == ["Shan", "Kachin"]


def test_point_on_a_shared_edge_is_counted_once() -> None:
    sample = events([(98.0, 24.0), (98.0, 23.0)])
    placed = assign_state(sample, STATES)
    assert len(placed) == 2
    assert placed["state"].iloc[0] in {"Shan", "Kachin"}
    assert placed["state"].iloc[1] == "Shan"


def test_points_just_off_the_edge_snap_and_far_ones_stay_outside() -> None:
    # 99.02°E is ~2 km east of the Shan box; 99.2°E is ~20 km east
    placed = assign_state(events([(99.02, 23.0), (99.2, 23.0)]), STATES)
    assert placed["state"].iloc[0] == "Shan"
    assert pd.isna(placed["state"].iloc[1])
    assert pd.isna(assign_state(events([(99.02, 23.0)]), STATES, snap_km=0)["state"].iloc[0])


def test_points_off_an_island_of_a_multipolygon_state_snap_to_it() -> None:
    coast = gpd.GeoDataFrame(
        {"name": ["Shan", "Islands"]},
        geometry=[
            box(97.0, 22.0, 99.0, 24.0),
            MultiPolygon([box(92.0, 19.0, 92.2, 19.2), box(93.0, 19.0, 93.2, 19.2)]),
        ],
        crs="EPSG:4326",
    )
    # ~2 km off the second island's east shore, ~2 km off Shan's south edge, and at sea far from both
    placed = assign_state(events([(93.22, 19.1), (98.0, 21.98), (95.0, 19.1)]), coast)
    assert placed["state"].tolist()[:2] == ["Islands", "Shan"]
    assert pd.isna(placed["state"].iloc[2])


def test_a_shared_location_is_placed_once_and_each_event_keeps_its_own_admin1_check() -> None:
    sample = events(
        [(98.0, 23.0), (99.5, 23.0), (98.0, 23.0), (98.0, 23.0), (99.02, 23.0)],
        admin1=["Shan", "", "Kachin", "", "Shan"],
        index=[7, 8, 9, 10, 11],
    )
    enriched = enrich_events(sample, STATES, BORDER, CROSSINGS)
    assert enriched.index.tolist() == [7, 8, 9, 10, 11]
    assert enriched["state"].fillna("-").tolist() == ["Shan", "-", "Shan", "Shan", "Shan"]
    assert enriched["admin1_agrees"].tolist() == [True, pd.NA, False, pd.NA, True]
    assert enriched["km_to_china_border"].iloc[0] == enriched["km_to_china_border"].iloc[2]
    assert enriched["km_to_china_border"].iloc[1] == pytest.approx(geodesic_km((99.5, 23.0), (99.0, 23.0)), rel=2e-3)
    assert enriched["nearest_crossing"].tolist() == ["Gate South"] * 5


def test_admin1_agreement_is_true_false_or_unknown() -> None:
    sample = events(
        [(98.0, 23.0), (98.0, 23.0), (98.0, 25.0), (98.0, 23.0), (99.5, 23.0)],
        admin1=["Shan-North", "Kachin", "kachin state", "", "Shan"],
    )
    placed = assign_state(sample, STATES)
    assert placed["admin1_agrees"].dtype == "boolean"
    assert placed["admin1_agrees"].tolist() == [True, False, True, pd.NA, False]


def test_results_follow_the_events_index() -> None:
    sample = events([(98.0, 25.0), (98.0, 23.0)], admin1=["Kachin", "Shan"], index=[10, 3])
    placed = assign_state(sample, STATES)
    assert placed.index.tolist() == [10, 3]
    assert placed.loc[3, "state"] == "Shan"
    distances = distance_to_border_km(sample, BORDER)
    assert distances.index.tolist() == [10, 3]


def test_distance_to_border_matches_the_geodesic() -> None:
    sample = events([(98.9, 23.0), (98.0, 25.0), (99.0, 24.0)])
    km = distance_to_border_km(sample, BORDER)
    assert km.iloc[0] == pytest.approx(geodesic_km((98.9, 23.0), (99.0, 23.0)), rel=2e-3)
    assert km.iloc[1] == pytest.approx(geodesic_km((98.0, 25.0), (99.0, 25.0)), rel=2e-3)
    assert km.iloc[2] == pytest.approx(0.0, abs=1e-6)


def test_border_layer_in_another_crs_gives_the_same_distance() -> None:
    sample = events([(98.9, 23.0), (97.5, 22.5)])
    as_layer = gpd.GeoDataFrame({"name": ["border"]}, geometry=[BORDER], crs="EPSG:4326").to_crs("EPSG:3857")
    pd.testing.assert_series_equal(
        distance_to_border_km(sample, as_layer), distance_to_border_km(sample, BORDER), rtol=1e-6
    )


def test_nearest_crossing_name_and_distance() -> None:
    sample = events([(98.5, 23.4), (98.0, 25.9)])
    nearest = nearest_crossing(sample, CROSSINGS)
    assert nearest["nearest_crossing"].tolist() == ["Gate South", "Gate North"]
    assert nearest["km_to_nearest_crossing"].iloc[0] == pytest.approx(
        geodesic_km((98.5, 23.4), (98.99, 23.5)), rel=2e-3
    )


def test_no_crossings_gives_missing_values() -> None:
    nearest = nearest_crossing(events([(98.5, 23.4)]), CROSSINGS.iloc[0:0])
    assert pd.isna(nearest["nearest_crossing"].iloc[0])
    assert pd.isna(nearest["km_to_nearest_crossing"].iloc[0])


def test_enrich_events_adds_all_columns_without_touching_the_input() -> None:
    sample = events([(98.5, 23.4), (99.5, 23.0)], admin1=["Shan", "Shan"])
    before = sample.copy()
    enriched = enrich_events(sample, STATES, BORDER, CROSSINGS)
    pd.testing.assert_frame_equal(sample, before)
    added = ["state", "admin1_agrees", "km_to_china_border", "nearest_crossing", "km_to_nearest_crossing"]
    assert list(enriched.columns) == [*sample.columns, *added]
    assert enriched["state"].tolist()[0] == "Shan" and pd.isna(enriched["state"].iloc[1])
    assert enriched["admin1_agrees"].tolist() == [True, False]
    assert enriched["km_to_china_border"].iloc[1] == pytest.approx(geodesic_km((99.5, 23.0), (99.0, 23.0)), rel=2e-3)
    assert enriched["nearest_crossing"].tolist() == ["Gate South", "Gate South"]


def test_events_without_crs_are_refused() -> None:
    sample = events([(98.0, 23.0)]).set_crs(None, allow_override=True)
    with pytest.raises(ValueError, match="no CRS"):
        assign_state(sample, STATES)
