"""Sign-in for real: `streamlit run` with [auth] pointing at a local OpenID Connect provider
(PyPI oidc-provider-mock) started here, driven in Chromium; the control record saved on the
page carries the signed-in editor."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import Page, expect

from geo.store import DATA_ENV, open_store
from tests.conftest import REPO_ROOT, free_port, wait_until_healthy

pytestmark = pytest.mark.browser
EDITOR = "ana@example.org"


@pytest.fixture
def signed_in_page_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The page with [auth] set to a local OIDC provider, and a store of its own."""
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    port = free_port()
    with run_server_in_thread() as provider:
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
            'cookie_secret = "a cookie secret for the test only"\n'
            'client_id = "myanmar-conflict-map"\n'
            'client_secret = "test client secret"\n'
            f'server_metadata_url = "http://localhost:{provider.server_port}/.well-known/openid-configuration"\n'
        )
        command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless=true"]
        command += [f"--server.port={port}", "--server.address=localhost", "--server.fileWatcherType=none"]
        command += [f"--secrets.files={secrets}"]
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
            try:
                wait_until_healthy(f"http://localhost:{port}", process, log)
                yield f"http://localhost:{port}"
            finally:
                process.terminate()
                process.wait(timeout=20)


def test_an_editor_signs_in_and_their_record_names_them(
    signed_in_page_url: str, browser_page: tuple[Page, list[str]], tmp_path: Path
) -> None:
    page, _ = browser_page
    page.goto(signed_in_page_url + "/?asof=2024-01-31")
    expect(page.get_by_text("Sign in (sidebar) to record control.")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Sign in to edit").click()
    page.locator("input[name=sub]").fill(EDITOR)
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text(f"Signed in as {EDITOR}")).to_be_visible(timeout=60_000)
    place = page.get_by_role("combobox", name="Place")
    place.click()
    page.keyboard.type("Kutkai (township")  # typed, as a user does: the list filters as each key arrives
    expect(page.get_by_role("option", name=re.compile(r"^Kutkai \(township"))).to_be_visible(timeout=30_000)
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Saved as {EDITOR}")).to_be_visible(timeout=30_000)
    # Submit the form once all is quiet, as a user who reads the form first does (a run under way
    # re-renders it and can drop the click).
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
    page.get_by_label("Source name").fill("Sign-in test fixture")
    page.get_by_label("Source URL (http or https)").fill("https://example.org/sign-in-test")
    # Press Save once the page is quiet: a click that lands while a run re-renders the form can be lost.
    for _ in range(2):  # quiet, and still quiet a second later
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
        page.wait_for_timeout(1_000)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: Kutkai")).to_be_visible(timeout=30_000)
    saved = [r for r in open_store(tmp_path / "data", seed=None).records() if r.record_id.startswith("edit:")]
    assert [(r.place_name, r.editor) for r in saved] == [("Kutkai", EDITOR)]
