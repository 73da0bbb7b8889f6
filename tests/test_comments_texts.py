"""The `comments` text bank: package-data YAML, checked on load, errors named."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
import yaml

from smm_playbook.datagen import comments

SHIPPED = (resources.files("smm_playbook.datagen") / comments.TEXTS).read_text(
    encoding="utf-8"
)


def edited(change) -> str:
    """The shipped bank, parsed, changed by `change(raw)`, written back."""
    raw = yaml.safe_load(SHIPPED)
    change(raw)
    return yaml.safe_dump(raw, allow_unicode=True)


def test_the_shipped_bank_is_package_data_and_is_what_the_generator_uses():
    bank = comments.load_texts()
    assert bank["templates"] is not comments.TEMPLATES  # read afresh, same content
    assert bank["templates"] == comments.TEMPLATES
    assert bank["slots"] == comments.SLOTS
    assert set(comments.TEMPLATES) == set(comments.POOLS)
    for pool in comments.POOLS:
        for lang in comments.LANGUAGES:
            texts = comments.TEMPLATES[pool][lang]
            assert texts and all(t == t.strip() and t for t in texts), (pool, lang)
    # Quoted lists keep their spaces and their "" options.
    assert comments.TAILS["happy"]["en"][:3] == ("", "", " {happy}")
    assert comments.GREETINGS["casual"]["en"][0] == "Hi, "
    # A hashtag inside a `|` block is text, not a YAML comment.
    assert "#SpringHarvest" in comments.SLOTS["en"]["tag"]


def _set(path: str, value):
    def change(raw):
        *parents, last = path.split(".")
        node = raw
        for key in parents:
            node = node[key]
        if value is KeyError:
            del node[last]
        else:
            node[last] = value

    return change


MALFORMED = [
    (_set("greetings", KeyError), "the top level: missing greetings"),
    (_set("extras", {"a": 1}), "the top level: unknown extras"),
    (_set("templates.press", KeyError), "templates: missing press"),
    (_set("templates.praise.zh", KeyError), "templates.praise: missing zh"),
    (_set("templates.praise.fr", "Bonjour"), "templates.praise: unknown fr"),
    (_set("templates.praise.en", 42), "templates.praise.en: expected a `|` block"),
    (_set("templates.praise.en", "\n\n"), "templates.praise.en: is empty"),
    (_set("templates.praise.en", "love the {teh}\n"), "unknown slot {teh}"),
    (_set("templates.spam.zh", "领奖 {link\n"), "templates.spam.zh: "),
    (_set("slots.zh.host", KeyError), "slots.zh: needs `host`"),
    (_set("slots.en", ["tea"]), "slots.en: expected a mapping"),
    (_set("tails.happy.en", " {happy}"), "tails.happy.en: expected a list"),
    (_set("tails.happy.zh", []), "tails.happy.zh: is empty"),
    (_set("tails.flat", KeyError), "tails: needs a `flat` mood"),
    (_set("tails.happy.en", ["", " {smile}"]), "tails.happy.en: unknown slot"),
    (_set("moods.praise", "giddy"), "moods.praise: 'giddy' is not in tails"),
    (_set("greeted.hello", "casual"), "greeted.hello: not a template pool"),
    (_set("greeted.legal", "posh"), "greeted.legal: 'posh' is not in greetings"),
    (_set("moods.spam", ["selling"]), "moods.spam: ['selling'] is not in tails"),
    (
        _set("templates.refund.en", "where is my parcel\n"),
        "templates.refund.en: 'where is my parcel' must match",
    ),
    (
        _set("templates.repeat.zh", "快递还没到\n"),
        "templates.repeat.zh: '快递还没到' must",
    ),
    (
        _set("templates.complaint.en", "I want my money back\n"),
        "templates.complaint.en: 'I want my money back' must not match",
    ),
    (
        _set("templates.complaint.zh", "第二次了\n"),
        "templates.complaint.zh: '第二次了'",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), MALFORMED, ids=[m for _, m in MALFORMED]
)
def test_a_malformed_bank_names_the_file_and_the_key(change, message):
    with pytest.raises(comments.TextBankError) as caught:
        comments.load_texts(edited(change))
    assert str(caught.value).startswith("comments_texts.yaml: ")
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("text", ["slots: [\n", "- just\n- a list\n", ""])
def test_not_yaml_or_not_a_mapping_is_named(text):
    with pytest.raises(comments.TextBankError, match=r"^comments_texts\.yaml: "):
        comments.load_texts(text)


def test_an_author_can_add_a_line_and_the_generator_uses_it(monkeypatch):
    line = "the {tea} tastes like a Sunday morning"

    def change(raw):
        raw["templates"]["praise"]["en"] += line + "\n"

    bank = comments.load_texts(edited(change))
    assert bank["templates"]["praise"]["en"][-1] == line
    monkeypatch.setattr(comments, "TEMPLATES", bank["templates"])
    texts = comments.generate(np.random.default_rng(3))["text"]
    assert texts.str.contains("tastes like a Sunday morning").any()
