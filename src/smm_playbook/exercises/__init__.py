"""One module per exercise notebook; each declares its questions as classes.

`CATALOGUE` lists them in course order (used by `smm-playbook progress`).
"""

CATALOGUE = (
    "ex00_primer",
    "ex00_orientation",
    "ex01_strategy",
    "ex02_content",
    "ex03_moderation",
    "ex04_crisis",
    "ex05_paid",
    "ex06_roi",
    "ex07_creators",
    "ex08_listening",
)
