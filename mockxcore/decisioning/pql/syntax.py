"""The abstract syntax of a rule: what the parser builds and the compiler reads.

Nodes are plain frozen records. Every node keeps the offset of its first character so the
compiler can point at an unsupported construct; ``children`` lets the parser measure nesting
depth without recursion before anything recursive runs over the tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Node:
    pos: int

    def children(self) -> Iterator[Node]:
        return iter(())


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """A string, number or boolean written in the rule; coercion treats literals specially."""

    value: str | int | float | bool


@dataclass(frozen=True, slots=True)
class ListLiteral(Node):
    items: tuple[Node, ...]

    def children(self) -> Iterator[Node]:
        return iter(self.items)


@dataclass(frozen=True, slots=True)
class Name(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Param(Node):
    """``$1``, ``$2``...: positional inputs; a rule has one (the profile)."""

    index: int


@dataclass(frozen=True, slots=True)
class ContextRef(Node):
    """``@{schemaId}``: the decision request's context data of that schema."""

    schema: str


@dataclass(frozen=True, slots=True)
class TimeWord(Node):
    word: str  # now, today, yesterday, tomorrow (lower case)


@dataclass(frozen=True, slots=True)
class Path(Node):
    """``head.k1.k2``: a run of field steps, kept flat so long paths add no nesting."""

    head: Node
    keys: tuple[str, ...]

    def children(self) -> Iterator[Node]:
        yield self.head


@dataclass(frozen=True, slots=True)
class Method(Node):
    target: Node
    name: str
    args: tuple[Node, ...]

    def children(self) -> Iterator[Node]:
        yield self.target
        yield from self.args


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]

    def children(self) -> Iterator[Node]:
        return iter(self.args)


@dataclass(frozen=True, slots=True)
class Filter(Node):
    """``coll[cond]``."""

    target: Node
    condition: Node

    def children(self) -> Iterator[Node]:
        yield self.target
        yield self.condition


@dataclass(frozen=True, slots=True)
class Negate(Node):
    operand: Node

    def children(self) -> Iterator[Node]:
        yield self.operand


@dataclass(frozen=True, slots=True)
class Arithmetic(Node):
    """``a + b - c`` or ``a * b % c``: one level of left-associative operators, kept flat."""

    first: Node
    rest: tuple[tuple[str, Node], ...]

    def children(self) -> Iterator[Node]:
        yield self.first
        for _, operand in self.rest:
            yield operand


@dataclass(frozen=True, slots=True)
class Not(Node):
    operand: Node

    def children(self) -> Iterator[Node]:
        yield self.operand


@dataclass(frozen=True, slots=True)
class Logic(Node):
    """``a and b and c`` (``op == "and"``) or ``a or b or c``, kept flat."""

    op: str
    operands: tuple[Node, ...]

    def children(self) -> Iterator[Node]:
        return iter(self.operands)


@dataclass(frozen=True, slots=True)
class Compare(Node):
    op: str
    left: Node
    right: Node

    def children(self) -> Iterator[Node]:
        yield self.left
        yield self.right


@dataclass(frozen=True, slots=True)
class Membership(Node):
    """``x in L`` or, with ``negated``, ``x notIn L`` (which is not ``not (x in L)``)."""

    negated: bool
    left: Node
    right: Node

    def children(self) -> Iterator[Node]:
        yield self.left
        yield self.right


@dataclass(frozen=True, slots=True)
class Like(Node):
    left: Node
    pattern: Node

    def children(self) -> Iterator[Node]:
        yield self.left
        yield self.pattern


@dataclass(frozen=True, slots=True)
class Period(Node):
    """``this|last|next <unit>`` inside ``occurs``."""

    which: str
    unit: str


@dataclass(frozen=True, slots=True)
class OccursDistance(Node):
    """``t occurs <op> N <unit> before|after|from <anchor>``."""

    subject: Node
    op: str
    count: int
    unit: str
    direction: str
    anchor: Node

    def children(self) -> Iterator[Node]:
        yield self.subject
        yield self.anchor


@dataclass(frozen=True, slots=True)
class OccursDirection(Node):
    """``t occurs before|after|from <time>``."""

    subject: Node
    direction: str
    anchor: Node

    def children(self) -> Iterator[Node]:
        yield self.subject
        yield self.anchor


@dataclass(frozen=True, slots=True)
class OccursOn(Node):
    """``t occurs [on] <time>``."""

    subject: Node
    anchor: Node

    def children(self) -> Iterator[Node]:
        yield self.subject
        yield self.anchor


@dataclass(frozen=True, slots=True)
class OccursBetween(Node):
    subject: Node
    first: Node
    last: Node

    def children(self) -> Iterator[Node]:
        yield self.subject
        yield self.first
        yield self.last


@dataclass(frozen=True, slots=True)
class Clause(Node):
    """``V from <source> [where|: <condition>]``."""

    variable: str
    source: Node
    condition: Node | None

    def children(self) -> Iterator[Node]:
        yield self.source
        if self.condition is not None:
            yield self.condition


@dataclass(frozen=True, slots=True)
class Quantifier(Node):
    kind: str  # select, exists, forall (lower case)
    clauses: tuple[Clause, ...]

    def children(self) -> Iterator[Node]:
        return iter(self.clauses)


@dataclass(frozen=True, slots=True)
class Let(Node):
    name: str
    value: Node
    body: Node

    def children(self) -> Iterator[Node]:
        yield self.value
        yield self.body


@dataclass(frozen=True, slots=True)
class Lambda(Node):
    """``(Profile) => body``: the parameter names the profile."""

    parameter: str
    body: Node

    def children(self) -> Iterator[Node]:
        yield self.body


def is_literal(node: Node) -> bool:
    """Whether coercion should convert this operand to the other side's type (notes §7.2)."""
    if isinstance(node, Literal):
        return True
    return isinstance(node, ListLiteral) and all(is_literal(item) for item in node.items)


def too_deep(root: Node, limit: int) -> Node | None:
    """The first node found nested deeper than ``limit``, measured without recursion so any
    tree can be measured; None when the tree is within the limit."""
    stack = [(root, 1)]
    while stack:
        node, level = stack.pop()
        if level > limit:
            return node
        stack.extend((child, level + 1) for child in node.children())
    return None
