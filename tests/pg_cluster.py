"""A throwaway PostgreSQL + PostGIS cluster for the tests: initdb in a temp dir, a loopback port.

Run as root, the server runs as the unprivileged ``postgres`` user (pg_ctl refuses root).
Each test gets its own database cloned from a template that has the PostGIS extension.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

TEMPLATE = "template_postgis"


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian layout), if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def missing_parts() -> str:
    """Why a cluster cannot be started here ('' if it can)."""
    binaries = server_binaries()
    if binaries is None:
        return "PostgreSQL server not found: install Debian's postgresql (make test does, as root)"
    version = binaries.parent.name
    if not Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
        return f"PostGIS for PostgreSQL {version} not found: install Debian's postgis (make test does, as root)"
    return ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """One server in a fresh temp directory (one the ``postgres`` user can reach; pytest's are root-only);
    :meth:`new_database` hands out fresh PostGIS databases; :meth:`stop` removes it all."""

    def __init__(self) -> None:
        self.binaries = server_binaries()
        assert self.binaries is not None, missing_parts()
        self.directory = Path(tempfile.mkdtemp(prefix="mcm-postgis-"))
        self.port = _free_port()
        self._numbers = itertools.count()
        self._as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self._as_postgres, str(self.binaries / tool), *args], capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{tool} failed ({done.returncode}):\n{done.stdout}{done.stderr}")

    def start(self) -> None:
        if self._as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")
        data = self.directory / "data"
        self._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.directory} "
            "-c fsync=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(data), "-l", str(self.directory / "server.log"), "-o", options, "-w", "start")
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {TEMPLATE}")
        with psycopg.connect(self.url(TEMPLATE), autocommit=True) as connection:
            connection.execute("CREATE EXTENSION postgis")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.directory / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        name = f"test_{next(self._numbers)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)
