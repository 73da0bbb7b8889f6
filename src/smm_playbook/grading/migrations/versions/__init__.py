"""The gradebook's revisions, oldest first by their numbers (Alembic reads them)."""
