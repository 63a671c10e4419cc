"""
The history's append-only triggers as SQL (the migration 0002 holds its own frozen copy).

Test support uses these: SQLite flushes a transactional test's tables with DELETE, so a browser
test lifts the DELETE trigger for the flush and the complaint tests put it back.
"""

TABLE = "complaints_complaintevent"
SQLITE_NO_DELETE = (
    f"CREATE TRIGGER IF NOT EXISTS complaint_event_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'riwayat pengaduan hanya boleh ditambah (append-only)'); END;"
)
SQLITE_DROP_NO_DELETE = "DROP TRIGGER IF EXISTS complaint_event_no_delete"
