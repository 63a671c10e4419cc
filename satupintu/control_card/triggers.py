"""
The append-only triggers, as SQL (the migration 0002 holds its own frozen copy).

Test support uses these: Django's test flush empties tables with DELETE on SQLite (PostgreSQL
uses TRUNCATE, which row triggers do not see), so transactional tests lift the DELETE trigger
for the flush and put it back afterwards.
"""

TABLE = "control_card_controlcardentry"
SQLITE_NO_DELETE = (
    f"CREATE TRIGGER IF NOT EXISTS control_card_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'kartu kendali hanya boleh ditambah (append-only)'); END;"
)
SQLITE_DROP_NO_DELETE = "DROP TRIGGER IF EXISTS control_card_no_delete"
