"""Seeded generators for the course's synthetic datasets (one module per dataset)."""
