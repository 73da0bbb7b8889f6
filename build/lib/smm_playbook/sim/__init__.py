"""Simulator models: pure, seeded where random, no widgets and no plotting."""
