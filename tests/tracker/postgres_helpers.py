"""A wipeable PostgreSQL test database, named by TRACKER_TEST_POSTGRES (scripts/run-tests sets it)."""

import os

import pytest

from tracker.opening import open_database

URL = os.environ.get("TRACKER_TEST_POSTGRES")
needs_postgres = pytest.mark.skipif(not URL, reason="TRACKER_TEST_POSTGRES is not set (scripts/run-tests sets it)")


def fresh_postgres_database():
    """Empty the test database's schema, then open it as a new tracker database."""
    from playhouse.db_url import connect

    raw = connect(URL)
    raw.execute_sql("DROP SCHEMA public CASCADE")
    raw.execute_sql("CREATE SCHEMA public")
    raw.close()
    return open_database(URL, create=True)
