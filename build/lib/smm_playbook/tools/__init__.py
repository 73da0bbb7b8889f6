"""Authoring tools for trainers and course authors."""
