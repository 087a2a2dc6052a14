"""Storage: SQLAlchemy models, engine and sessions, migrations, backups."""
