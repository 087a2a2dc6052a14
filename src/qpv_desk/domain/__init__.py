"""Plain-Python domain: enumerations, validation and aggregation rules (no Qt, no SQL)."""
