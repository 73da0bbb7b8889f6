"""The checks every module's certification templates share (Modules 0-2 use them).

`ModuleChecks(templates, prefix)` builds each template on the bank's 200 seeds
once, and `tests()` returns the shared tests, for a test module to adopt with
`globals().update(checks.tests())`: the bank's rules hold on every seed, the
build is deterministic, the model answers earn every point, a typical wrong
answer gets its own feedback, and the correct option's text varies.
"""

from __future__ import annotations

import pytest

from bank_helpers import SEEDS, build, model_namespace, model_outcomes, rule_problems
from smm_playbook.checks import PLACEHOLDER, Incorrect
from smm_playbook.grading.items.framework import Template

DETERMINISM_SEEDS = range(25)
FEEDBACK_SEEDS = range(12)


def scored(section, namespace) -> dict[str, str]:
    """{var: "correct" | message}, as `model_outcomes` scores a namespace."""
    outcomes = {}
    for part in section.parts:
        value = namespace.get(part.var, PLACEHOLDER)
        value = value.item() if hasattr(value, "item") else value
        try:
            part.question.grade({part.var: value})
            outcomes[part.var] = "correct"
        except Incorrect as wrong:
            outcomes[part.var] = str(wrong)
    return outcomes


def key_texts(part):
    """The option texts the key names: one text, a set, or a list in order."""
    q = part.question
    if part.kind == "choice":
        return q.options[q.correct]
    if part.kind == "multi":
        return {q.options[x] for x in q.correct}
    return [q.options[x] for x in q.correct]


def fingerprint(section) -> tuple:
    """Everything a paper shows and scores, comparable across two builds."""
    parts = []
    for p in section.parts:
        q = p.question
        parts.append(
            (p.var, p.kind, p.prompt, p.model, p.key, getattr(q, "expected", None),
             tuple((m.answer, m.message) for m in getattr(q, "misconceptions", ())),
             dict(getattr(q, "why", {})), dict(getattr(q, "wrong", {})))
        )  # fmt: skip
    return (section.key, section.title, section.prompt, section.data_code, parts)


def with_wrong(part, answer) -> dict:
    """An override that keeps the part's own working and then sets `answer`."""
    code = f"{part.model}\n" if part.model else ""
    return {part.var: f"{code}{part.var} = {answer!r}"}


def parts_of(section) -> dict:
    return {part.var: part for part in section.parts}


class ModuleChecks:
    def __init__(self, templates, prefix: str) -> None:
        self.templates = {t.key: t for t in templates}
        self.prefix = prefix
        self._sections: dict[str, tuple] = {}
        self._solved: dict[str, tuple] = {}

    def sections(self, key: str) -> tuple:
        if key not in self._sections:
            template = self.templates[key]
            self._sections[key] = tuple(build(template, seed) for seed in SEEDS)
        return self._sections[key]

    def solved(self, key: str) -> tuple:
        """The namespace after each paper's data cell and model answers."""
        if key not in self._solved:
            self._solved[key] = tuple(model_namespace(s) for s in self.sections(key))
        return self._solved[key]

    def tests(self) -> dict:
        keys = sorted(self.templates)
        sections, solved, templates = self.sections, self.solved, self.templates

        def test_module_has_five_templates_with_unique_answer_names():
            assert len(templates) >= 5
            names = [p.var for key in templates for p in sections(key)[0].parts]
            assert len(names) == len(set(names))
            assert all(key.startswith(self.prefix) for key in templates)

        @pytest.mark.parametrize("key", keys)
        def test_rules_models_and_determinism(key):
            template = templates[key]
            papers = zip(SEEDS, sections(key), solved(key), strict=True)
            for seed, section, namespace in papers:
                fixed = Template(key, template.module, lambda rng, s=section: s)
                assert rule_problems(fixed, seed) == [], seed
                outcomes = scored(section, namespace)
                assert set(outcomes.values()) == {"correct"}, (seed, outcomes)
            for seed in DETERMINISM_SEEDS:
                assert fingerprint(build(template, seed)) == fingerprint(
                    sections(key)[seed]
                )

        @pytest.mark.parametrize("key", keys)
        def test_typical_mistakes_get_their_feedback(key):
            checked = 0
            for section in sections(key)[: len(FEEDBACK_SEEDS)]:
                for part in section.parts:
                    q = part.question
                    if part.kind == "value" and q.misconceptions:
                        wrong = q.misconceptions[0]
                        got = model_outcomes(section, with_wrong(part, wrong.answer))
                        assert got[part.var] == wrong.message
                        checked += 1
                    elif part.kind in ("order", "match") and q.wrong:
                        letters, note = next(iter(q.wrong.items()))
                        got = model_outcomes(section, with_wrong(part, letters))
                        assert got[part.var] == note
                        checked += 1
                    elif part.kind == "choice" and q.why:
                        letter, note = next(iter(q.why.items()))
                        got = model_outcomes(section, with_wrong(part, letter))
                        assert note in got[part.var]
                        checked += 1
            assert checked > 0

        @pytest.mark.parametrize("key", keys)
        def test_correct_option_text_varies(key):
            decisions = [p.var for p in sections(key)[0].parts if p.kind != "value"]
            for var in decisions:
                seen = {str(key_texts(parts_of(s)[var])) for s in sections(key)}
                assert len(seen) > 1, var

        return {
            f.__name__: f
            for f in (
                test_module_has_five_templates_with_unique_answer_names,
                test_rules_models_and_determinism,
                test_typical_mistakes_get_their_feedback,
                test_correct_option_text_varies,
            )
        }
