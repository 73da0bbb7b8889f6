"""The query lab's Boolean query language: grammar, parser and syntax tree.

A small, safe language in the style of the listening tools' Boolean queries,
parsed by `lark` (an LALR grammar), never by `eval`. What a learner can write:

    willow              a word (any case); also matches #willow and @willow
    #willowtea          a hashtag or @handle only
    "willow tea"        a phrase: these words next to each other, in this order
    tea*                a word beginning with "tea" (Latin letters only)
    小满茶               Chinese: these characters in a row, inside any longer text
    a AND b, a b        both (a space means AND, as in a search engine)
    a OR b              either
    NOT a, a NOT b      without a
    a NEAR/3 b          a and b at most 3 words apart, in either order
                        (in Chinese each character counts as a word)
    lang:zh  platform:weibo   only posts in that language or on that platform
    ( … )               grouping

Binding, tightest first: NEAR, NOT, AND, OR, so `a OR b c` is `a OR (b AND c)`.
Every mistake raises `QueryError`, whose message says where and what was wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

MAX_LENGTH = 1_000  # characters
MAX_DEPTH = 12  # nested parentheses
MAX_TERMS = 120
MAX_NEAR = 20
FIELDS = ("lang", "platform")

GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr (OR and_expr)*
?and_expr: unary (AND? unary)*
?unary: NOT unary -> negation
      | near
?near: atom (NEAR atom)*
?atom: PHRASE -> phrase
     | FIELD -> field
     | WORD -> word
     | "(" or_expr ")"
OR.3: /OR(?=[\s()"]|$)/
AND.3: /AND(?=[\s()"]|$)/
NOT.3: /NOT(?=[\s()"]|$)/
NEAR.3: /NEAR\/\d+(?=[\s()"]|$)/
FIELD.2: /[A-Za-z_]+:[^\s()"]*/
PHRASE: /"[^"]*"/
WORD: /[^\s()"]+/
%ignore /\s+/
"""
# The basic lexer reads AND, OR, NOT and NEAR/n as operators wherever they stand, so
# "willow OR AND tea" is an error and not a search for the word "AND".
_PARSER = Lark(GRAMMAR, parser="lalr", lexer="basic", maybe_placeholders=False)
_FRIENDLY = {
    "OR": "OR",
    "AND": "AND",
    "NOT": "NOT",
    "NEAR": "NEAR/n",
    "WORD": "a word",
    "PHRASE": 'a "phrase"',
    "FIELD": "lang: or platform:",
    "LPAR": "(",
    "RPAR": ")",
    "$END": "the end of the query",
}
# Curly and corner quotes, as Chinese and word-processor keyboards type them.
_QUOTES = str.maketrans({c: '"' for c in "“”„«»「」『』"})


class QueryError(ValueError):
    """A query that cannot be run; `column` (1-based) points at the problem."""

    def __init__(self, message: str, query: str = "", column: int | None = None):
        self.column = column
        self.query = query
        if column is not None and query:
            caret = " " * (column - 1) + "^"
            message = f"{message}\n    {query}\n    {caret}"
        super().__init__(message)


# --- the syntax tree -------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str  # as written (normalised), for messages
    prefix: bool = False  # tea*: any word starting with "tea"


@dataclass(frozen=True)
class Field:
    name: str  # "lang" or "platform"
    value: str  # lower case


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class Near:
    left: Node
    right: Node
    distance: int


# A node of the syntax tree.
Node = Term | Field | And | Or | Not | Near


@dataclass(frozen=True)
class Query:
    """A parsed query: its syntax tree, the normalised text and any warnings."""

    tree: Node
    text: str
    warnings: tuple[str, ...] = ()


def normalise(text: str) -> str:
    """Full-width letters and brackets to ASCII, curly quotes to straight ones."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES)


def parse(query: str) -> Query:
    """Parse a query string into a `Query`, or raise `QueryError`."""
    if not isinstance(query, str):
        raise QueryError(
            f"A query is text, such as 'willow AND tea'; got {type(query).__name__}."
        )
    text = normalise(query).strip()
    _precheck(text)
    try:
        tree = _Build(text).transform(_PARSER.parse(text))
    except VisitError as error:  # our own checks, raised inside the transformer
        if isinstance(error.orig_exc, QueryError):
            raise error.orig_exc from None
        raise
    except UnexpectedInput as error:
        raise _syntax_error(error, text) from None
    _check_tree(tree, text)
    return Query(tree, text, tuple(_warnings(text)))


def _precheck(text: str) -> None:
    if not text:
        raise QueryError("The query is empty. Try, for example: willow AND tea")
    if len(text) > MAX_LENGTH:
        raise QueryError(
            f"The query is {len(text):,} characters long; keep it under "
            f"{MAX_LENGTH:,} (split it into several queries)."
        )
    depth, quoted = 0, False
    for column, char in enumerate(text, start=1):
        quoted ^= char == '"'
        depth += 0 if quoted else {"(": 1, ")": -1}.get(char, 0)
        if depth > MAX_DEPTH:
            raise QueryError(
                f"More than {MAX_DEPTH} brackets inside each other; simplify.",
                text,
                column,
            )
        if depth < 0:
            raise QueryError(
                "This ')' closes a bracket that was never opened.", text, column
            )
    if depth > 0:
        raise QueryError(
            f"{depth} bracket(s) opened with '(' are never closed with ')'.",
            text,
            text.rfind("(") + 1,
        )
    if text.count('"') % 2:
        raise QueryError(
            'A phrase in quotes needs a closing quote (").', text, text.rfind('"') + 1
        )


def _syntax_error(error: UnexpectedInput, text: str) -> QueryError:
    column = getattr(error, "column", None)
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        return QueryError(
            "The query stops too early: something must follow the last operator.",
            text,
            len(text),
        )
    if isinstance(error, UnexpectedToken):
        found = error.token
        wanted = sorted({_FRIENDLY.get(e, e) for e in error.expected})
        message = f"'{found}' cannot come here. Expected {', '.join(wanted)}."
        if found.type in ("AND", "OR", "NEAR"):
            message = f"'{found}' needs a word, phrase or bracket on each side."
        elif found.type == "RPAR" and text[: found.column - 1].rstrip().endswith("("):
            message = "A bracket closes before anything was written inside it."
        elif found.type == "RPAR":
            message = "Something is missing before this ')': an operator needs a "
            message += "word or phrase after it."
        return QueryError(message, text, found.column)
    if isinstance(error, UnexpectedCharacters):
        return QueryError(f"'{error.char}' cannot be read here.", text, column)
    return QueryError("The query cannot be read.", text, column)  # pragma: no cover


@v_args(inline=True)
class _Build(Transformer):
    """Tokens and rules to syntax-tree nodes, validating each one."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def word(self, token: Token) -> Term:
        value = str(token)
        if value.upper().startswith("NEAR/") or value.upper() == "NEAR":
            raise QueryError(
                "Write NEAR in capitals with a distance, such as NEAR/3.",
                self.text,
                token.column,
            )
        prefix = value.endswith("*")
        stem = value.rstrip("*")
        if "*" in stem or (prefix and not re.fullmatch(r"[#@]?[0-9A-Za-z_]{3,}", stem)):
            raise QueryError(
                "A * works only at the end of a word of at least 3 Latin letters "
                "(tea*). Chinese terms already match inside longer words.",
                self.text,
                token.column,
            )
        return Term(stem.casefold(), prefix)

    def phrase(self, token: Token) -> Term:
        inner = str(token)[1:-1].strip()
        if not inner:
            raise QueryError("These quotes are empty.", self.text, token.column)
        if "*" in inner:
            raise QueryError(
                "A * cannot be used inside a phrase.", self.text, token.column
            )
        return Term(inner.casefold())

    def field(self, token: Token) -> Field:
        name, _, value = str(token).partition(":")
        if name.lower() not in FIELDS:
            raise QueryError(
                f"'{name}:' is not a filter this lab knows; use lang: or platform:.",
                self.text,
                token.column,
            )
        if not value:
            raise QueryError(
                f"Say which {name.lower()}, e.g. lang:zh.", self.text, token.column
            )
        return Field(name.lower(), value.casefold())

    def negation(self, _not: Token, child: Node) -> Not:
        return Not(child)

    def near(self, *items: Node | Token) -> Node:
        """Lark passes the operands and the NEAR/n tokens between them in turn."""
        node = cast(Node, items[0])
        for operator, right in zip(
            cast(tuple[Token, ...], items[1::2]),
            cast(tuple[Node, ...], items[2::2]),
            strict=True,
        ):
            distance = int(str(operator).split("/")[1])
            if distance > MAX_NEAR:
                raise QueryError(
                    f"NEAR/{distance} is too far apart to mean 'together'; use at "
                    f"most NEAR/{MAX_NEAR}.",
                    self.text,
                    operator.column,
                )
            node = Near(node, right, distance)
        return node

    def and_expr(self, *items: Node | Token) -> And:
        return And(tuple(i for i in items if not isinstance(i, Token)))

    def or_expr(self, *items: Node | Token) -> Or:
        return Or(tuple(i for i in items if not isinstance(i, Token)))


def _check_tree(tree: Node, text: str) -> None:
    if _count_terms(tree) > MAX_TERMS:
        raise QueryError(f"More than {MAX_TERMS} terms; split the query.")
    if not _finds_something(tree):
        raise QueryError(
            "This query has no word to find posts with: NOT and filters only "
            "narrow what words find. For example: willow NOT tree."
        )
    for node in _walk(tree):
        if isinstance(node, Near):
            for side in (node.left, node.right):
                if not _spannable(side):
                    raise QueryError(
                        "NEAR/n joins words, phrases or bracketed OR-lists of them, "
                        "not AND, NOT or filters: write (a OR b) NEAR/3 c.",
                        text,
                    )


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in _children(node):
        yield from _walk(child)


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, And | Or):
        return node.children
    if isinstance(node, Not):
        return (node.child,)
    if isinstance(node, Near):
        return (node.left, node.right)
    return ()


def _count_terms(tree: Node) -> int:
    return sum(isinstance(node, Term) for node in _walk(tree))


def _spannable(node: Node) -> bool:
    if isinstance(node, Term):
        return True
    return isinstance(node, Or) and all(_spannable(c) for c in node.children)


def _finds_something(node: Node) -> bool:
    """False when no word would find a post: only NOT and filters, which narrow."""
    if isinstance(node, Term):
        return True
    if isinstance(node, And):
        return any(_finds_something(c) for c in node.children)
    if isinstance(node, Or):
        return all(_finds_something(c) for c in node.children)
    return isinstance(node, Near)


def _warnings(text: str) -> list[str]:
    found = re.findall(r"(?<![\w\"])(and|or|not|near)(?![\w\"])", text)
    return [
        f"'{word}' in lower case is searched as a word; write {word.upper()} for the "
        "operator."
        for word in dict.fromkeys(found)
    ]
