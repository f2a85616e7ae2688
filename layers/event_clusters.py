"""Conflict events grouped into clusters: the readable view of dense data when zoomed out."""

from __future__ import annotations

from folium.plugins import MarkerCluster

from layers.events import EventsLayer


class EventClustersLayer(EventsLayer):
    """Events clustered with Leaflet.markercluster; a click on a cluster zooms in, on an event opens its popup.

    Options
    -------
    opacity : marker fill opacity.
    """

    id = "event_clusters"
    title = "Event clusters"
    default_visible = False
    z_order = 58
    asset_elements = (MarkerCluster,)

    def __init__(self, opacity: float = 0.8) -> None:
        super().__init__(opacity=opacity, cluster=True)


LAYER = EventClustersLayer()
