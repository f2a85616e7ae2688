"""Team widgets: who may edit (Streamlit's OpenID Connect sign-in), events from the shared store,
and the editors' ACLED sync.

Sign-in is on when the operator configures ``[auth]`` in ``.streamlit/secrets.toml`` (see
README). Then only signed-in users edit, and every record carries their e-mail address (or
name); ``[team] anonymous_viewers = false`` also keeps anonymous users from viewing.
Without ``[auth]`` the page works as before: editors type their name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from geo.acled_sync import ACLED_BASE_URL, TERMS, AcledClient, AcledError, Credentials, sync
from geo.boundaries import Boundaries
from geo.events import ImportResult
from geo.store import ControlStore
from geo.store_events import EventFacets, ImportLog


@dataclass(frozen=True)
class Identity:
    can_edit: bool
    editor: str | None
    """The signed-in user's name for records; None when sign-in is off (editors type a name)."""


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets[name]) if name in st.secrets else {}
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return {}


def identity() -> Identity:
    """Who is using the page; stops the page for anonymous users if the operator allows no viewers."""
    if not _secrets_section("auth"):
        return Identity(can_edit=True, editor=None)
    if st.user.get("is_logged_in"):
        name = str(st.user.get("email") or st.user.get("name") or st.user.get("sub"))
        st.sidebar.caption(f"Signed in as {name}")
        st.sidebar.button("Sign out", on_click=st.logout, key="sign_out")
        return Identity(can_edit=True, editor=name)
    if _secrets_section("team").get("anonymous_viewers", True):
        st.sidebar.button("Sign in to edit", on_click=st.login, key="sign_in")
        return Identity(can_edit=False, editor=None)
    st.info("This map is for signed-in team members.")
    st.button("Sign in", on_click=st.login, key="sign_in")
    st.stop()
    raise AssertionError("unreachable")


def facets_frame(facets: EventFacets) -> pd.DataFrame:
    """The columns ``ui.sidebar.filter_widgets`` reads (dates, actors, sub-event types, ACLED's
    admin1), made from the store's facets, so the filters are offered without loading every
    stored event into the session."""
    dates = [pd.Timestamp(facets.first), pd.Timestamp(facets.last)]
    lists = {
        "actor1": list(facets.actors),
        "sub_event_type": list(facets.sub_event_types),
        "admin1_raw": list(facets.admin1_raw),
    }
    length = max(2, *(len(values) for values in lists.values()))
    return pd.DataFrame(
        {
            "event_date": dates + [dates[1]] * (length - 2),
            "actor2": [""] * length,
        }
        | {column: values + [""] * (length - len(values)) for column, values in lists.items()}
    )


FACETS_FRESH_SECONDS = 60


@st.cache_resource(ttl=FACETS_FRESH_SECONDS, max_entries=4, show_spinner=False)
def store_facets(location: str, _store: ControlStore) -> EventFacets:
    """The store's facets (count, dates, distinct types and actors for the filter widgets), found
    once a minute per app process instead of on every page run: at 2.5 million events the scan
    took about 1.4 s of a 1.8 s page run. Writes made through this process clear it at once
    (:func:`share_upload`, the ACLED sync); another process's show within a minute. Counts,
    figures and the map always come from the store itself."""
    return _store.event_facets()


def store_has_events(store: ControlStore) -> EventFacets | None:
    """The store's facets when it holds events (synced or imported), else None."""
    facets = store_facets(store.location, store)
    return facets if facets.count else None


def acled_credentials() -> Credentials:
    """The operator's ACLED account from Streamlit secrets ``[acled]`` or the environment."""
    section = _secrets_section("acled")
    if section.get("username") and section.get("password"):
        return Credentials(str(section["username"]), str(section["password"]))
    return Credentials.from_env()


def acled_sync_panel(store: ControlStore, boundaries: Boundaries, who: Identity) -> None:
    """Editors' button to fetch ACLED's new, changed and deleted events into the shared store."""
    with st.expander("ACLED sync (editors)"):
        st.caption(TERMS)
        history = store.syncs()
        if history:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "when (UTC)": log.synced_at.strftime("%Y-%m-%d %H:%M"),
                            "added": log.added,
                            "changed": log.changed,
                            "deleted": log.deleted,
                            "by": log.editor,
                        }
                        for log in reversed(history)
                    ]
                ),
                hide_index=True,
            )
        if not who.can_edit:
            st.caption("Sign in to sync.")
            return
        since = st.date_input(
            "Only events on or after (first sync)", value=None, key="acled_since", format="YYYY-MM-DD"
        )
        if not st.button("Sync from ACLED now", key="acled_sync"):
            return
        try:
            client = AcledClient(acled_credentials(), os.environ.get("ACLED_BASE_URL", ACLED_BASE_URL))
            with st.spinner("Fetching from ACLED…"):
                log = sync(
                    store,
                    client,
                    boundaries,
                    since=since if isinstance(since, date) else None,
                    editor=who.editor or "page",
                )
        except AcledError as error:
            st.error(f"ACLED sync failed: {error}")
            return
        finally:
            store_facets.clear()  # even a failed sync may have stored its first pages
        st.success(f"Synced: {log.added} added, {log.changed} changed, {log.deleted} deleted.")


def share_upload(store: ControlStore, uploaded: ImportResult, who: Identity) -> None:
    """Editors add an uploaded file's accepted events to the shared store; its row report is kept there."""
    if not who.can_edit:
        return
    label = f"Add these {uploaded.accepted:,} events to the team store"
    if not st.sidebar.button(label, key="share_upload"):
        return
    changes = store.upsert_events(uploaded.events)
    store_facets.clear()
    report = uploaded.report(full_path=False)
    store.log_import(
        ImportLog(
            uploaded.path.name,
            uploaded.accepted,
            uploaded.rejected_rows,
            report,
            who.editor or "page",
            datetime.now(UTC),
        )
    )
    st.sidebar.success(
        f"Team store: {changes.added:,} added, {changes.changed:,} changed, {changes.unchanged:,} already there."
    )
