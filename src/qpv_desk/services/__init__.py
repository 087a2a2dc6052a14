"""Use cases: one function per user action, one unit of work each, plain data out.

Every function takes the open :class:`~qpv_desk.store.db.Database` first. The GUI and
the CLI call these and never touch an ORM session themselves.
"""
