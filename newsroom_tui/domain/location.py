"""Where the store is: a TinyDB journal file, or a PostgreSQL database named by a libpq URL.

Why here, in the domain.  The config, the command line and the storage factory all have to tell the two
apart and show a URL without its password, and the config (domain) cannot import storage.  Pure string
work: no psycopg, so a TinyDB user never needs it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, unquote, urlsplit

__all__ = ["database_parts", "is_database_url", "local_name_for", "redact_url"]

_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(location: object) -> bool:
    """Whether `location` is a libpq URL (`postgresql://…` or `postgres://…`) rather than a file path."""
    return isinstance(location, str) and location.lower().startswith(_SCHEMES)


def redact_url(text: str) -> str:
    """`text` with the password of every libpq URL in it removed (user kept), and `password=` query values
    hidden: what any message may show.  Passwords come from .pgpass, PGPASSWORD or a service file; one
    written into a URL by hand must still never reach a terminal or a log."""
    text = re.sub(r"(postgres(?:ql)?://[^:/@\s]*):[^@/\s]*@", r"\1@", text, flags=re.IGNORECASE)
    return re.sub(r"(password=)[^&\s]*", r"\1***", text, flags=re.IGNORECASE)


def database_parts(url: str) -> tuple[str, str]:
    """(host, database) as a message names them: the socket folder or host name, and the database name.

    Unset parts are what libpq would use (PGHOST / PGDATABASE are not read here: "the default")."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    host = unquote(parts.hostname or "") if parts.hostname else ""
    if not host:
        host = (query.get("host") or [""])[0]
    if parts.port:
        host = f"{host}:{parts.port}"
    database = unquote(parts.path.lstrip("/")) or (query.get("dbname") or [""])[0]
    return host or "the default host", database or "the default database"


def local_name_for(url: str) -> str:
    """A file name for what stays on this machine for a database (the recovery journal's key, the desk's
    own word list): from host, port and database, never the password."""
    host, database = database_parts(redact_url(url))
    name = f"{host}-{database}"
    return quote(name, safe="").replace("%", "_")[:120] + ".pg"
