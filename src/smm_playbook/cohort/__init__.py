"""A cohort on a hub: learners' check outcomes in one store, for a trainer and an LMS.

`outbox` and `store` sit below the check engine (every `check()` reaches them)
and import nothing of the course; `report`, `export` and `lrs` sit beside the
command line and may read the exercise catalogue.
"""
