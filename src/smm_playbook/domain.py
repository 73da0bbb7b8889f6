"""Facts about the course's fictional tea brand that several layers share.

A constant lives here when both a data generator (`datagen`) and a model (`sim`)
need it, so that models never import generators.
"""

from __future__ import annotations

# Relative arrivals of comments and DMs by local hour: quiet night, morning and
# lunch bumps, evening peak (the `comments` dataset and the moderation queue).
HOURLY_INTENSITY = (
    0.9, 0.5, 0.3, 0.2, 0.2, 0.25, 0.4, 0.8, 1.2, 1.3, 1.1, 1.1,
    1.5, 1.4, 1.0, 1.0, 1.05, 1.2, 1.5, 2.0, 2.3, 2.2, 1.7, 1.2,
)  # fmt: skip
