"""Team store: control records, fronts, events (PostGIS points, GiST index), deletions, imports, syncs.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

from geo.store_events import TEXT_COLUMNS

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table(
        "control_record",
        sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("record_id", sa.Text, nullable=False, unique=True),
        sa.Column("place_kind", sa.Text, nullable=False),
        sa.Column("place_pcode", sa.Text, nullable=False),
        sa.Column("place_name", sa.Text, nullable=False),
        sa.Column("controller", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("confidence", sa.Text, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("sources", sa.dialects.postgresql.JSONB, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("corrects", sa.Text),
        sa.Column("editor", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("place_kind IN ('town', 'township')", name="place_kind_known"),
        sa.CheckConstraint("status IN ('held', 'contested', 'unknown')", name="status_known"),
        sa.CheckConstraint("confidence IN ('assessed', 'claimed')", name="confidence_known"),
    )
    op.create_index("control_record_place", "control_record", ["place_kind", "place_pcode", "seq"])
    op.create_table(
        "front",
        sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
        *(sa.Column(name, sa.Text, nullable=False) for name in ("front", "actor", "status")),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date),
        *(sa.Column(name, sa.Text, nullable=False) for name in ("source", "notes")),
        sa.Column("geom", Geometry(srid=4326, spatial_index=False), nullable=False),
        sa.Column("editor", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "event",
        sa.Column("event_id_cnty", sa.Text, primary_key=True),
        sa.Column("event_date", sa.Date, nullable=False),
        *(sa.Column(name, sa.Text, nullable=False) for name in TEXT_COLUMNS if name != "event_id_cnty"),
        sa.Column("latitude", sa.Float, nullable=False),
        sa.Column("longitude", sa.Float, nullable=False),
        sa.Column("geo_precision", sa.Integer, nullable=False),
        sa.Column("fatalities", sa.Integer, nullable=False),
        sa.Column("km_to_china_border", sa.Float),
        sa.Column("km_to_nearest_crossing", sa.Float),
        sa.Column("acled_timestamp", sa.BigInteger),
        sa.Column("geom", Geometry("POINT", srid=4326, spatial_index=False), nullable=False),
    )
    op.create_index("event_geom", "event", ["geom"], postgresql_using="gist")
    op.create_index("event_date_index", "event", ["event_date"])
    op.create_index("event_state", "event", ["state", "event_date"])
    op.create_index("event_acled_timestamp", "event", ["acled_timestamp"])
    op.create_table(
        "event_deletion",
        sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("event_id_cnty", sa.Text, nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_table(
        "import_log",
        sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("accepted", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("editor", sa.Text, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "sync_log",
        sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("changed", sa.Integer, nullable=False),
        sa.Column("deleted", sa.Integer, nullable=False),
        sa.Column("newest_timestamp", sa.BigInteger),
        sa.Column("editor", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("sync_log", "import_log", "event_deletion", "event", "front", "control_record"):
        op.drop_table(table)
