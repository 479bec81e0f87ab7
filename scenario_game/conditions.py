"""The condition language of `if` and `when`: parsed once at load, evaluated many times.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (OP sum)?            OP is one of < <= > >= == !=
    sum     := unary (("+" | "-") unary)*
    unary   := "-" unary | atom
    atom    := INT | NAME | "visited" "(" NODE-ID ")" | "(" expr ")"

Names are resolved at compile time: a meter name is an integer, any other bare name is
a flag (a boolean). `+` and `-` are an extension of format 1 (the format reserves the
minus sign); they work on integers only.

A checked tree is turned into a Python function once (`to_function`): the function is
built as a Python syntax tree from the condition's own typed tree (numbers as constants,
names as subscripts and `in` tests) and compiled, so no text from a scenario file is
ever parsed or evaluated as Python.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Callable, Collection, Mapping

import attrs

from .records import frozen
from .limits import MAX_DIGITS, digits_too_long, shown

COMPARISONS = ("<=", ">=", "==", "!=", "<", ">")
KEYWORDS = frozenset({"and", "or", "not", "visited"})
MAX_DEPTH = 64  # deeper trees would exhaust Python's stack when parsed or evaluated


class ConditionError(Exception):
    """A condition that cannot be compiled; `column` is 1-based within the condition."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


# --- the tree ---------------------------------------------------------------------


@frozen
class Num:
    value: int


@frozen
class MeterRef:
    name: str


@frozen
class FlagRef:
    name: str


@frozen
class Visited:
    node: str


@frozen
class Neg:
    operand: object


@frozen
class Arith:
    op: str  # "+" or "-"
    left: object
    right: object


@frozen
class Compare:
    op: str
    left: object
    right: object


@frozen
class Truthy:
    """An integer used as a truth value: true when non-zero."""

    operand: object


@frozen
class Not:
    operand: object


@frozen
class And:
    left: object
    right: object


@frozen
class Or:
    left: object
    right: object


INT_NODES = (Num, MeterRef, Visited, Neg, Arith)


@frozen
class Condition:
    """A compiled condition: its source text and a typed tree whose root is boolean."""

    source: str
    tree: object
    _by_name: Callable | None = attrs.field(default=None, init=False, eq=False, repr=False)

    def holds(self, meters: Mapping[str, int], flags: Collection[str], visits: Mapping[str, int]) -> bool:
        test = self._by_name
        if test is None:  # compiled on first use, then kept
            test = to_function(self.tree, _meter_by_name, _visits_by_name)
            object.__setattr__(self, "_by_name", test)
        return bool(test(meters, flags, visits))

    @property
    def flags(self) -> frozenset[str]:
        return frozenset(n.name for n in walk(self.tree) if isinstance(n, FlagRef))

    @property
    def visited_nodes(self) -> frozenset[str]:
        return frozenset(n.node for n in walk(self.tree) if isinstance(n, Visited))

    @property
    def meters(self) -> frozenset[str]:
        return frozenset(n.name for n in walk(self.tree) if isinstance(n, MeterRef))


def walk(tree: object):
    """Every node of a condition tree, parents before children."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for name in ("operand", "left", "right"):
            child = getattr(node, name, None)
            if child is not None:
                stack.append(child)


# --- the compiler -------------------------------------------------------------------

_CMP = {"<": ast.Lt, "<=": ast.LtE, ">": ast.Gt, ">=": ast.GtE, "==": ast.Eq, "!=": ast.NotEq}


def _meter_by_name(name: str) -> ast.expr:
    return ast.Subscript(ast.Name("m", ast.Load()), ast.Constant(name), ast.Load())


def _visits_by_name(node: str) -> ast.expr:
    return ast.Call(ast.Attribute(ast.Name("v", ast.Load()), "get", ast.Load()), [ast.Constant(node), ast.Constant(0)], [])


def to_function(tree: object, meter: Callable[[str], ast.expr], visits: Callable[[str], ast.expr]) -> Callable:
    """`tree` as a function of (m, f, v): meters, flags and visit counts, read by the
    expressions `meter(name)` and `visits(node)` build (a subscript by name or by index).

    Only the checked tree's own node types are translated; their leaves become constants,
    so the compiled code can do nothing but read m, f and v and compute the condition."""

    def build(node: object) -> ast.expr:
        kind = type(node)
        if kind is Compare:
            return ast.Compare(build(node.left), [_CMP[node.op]()], [build(node.right)])
        if kind is And or kind is Or:
            return ast.BoolOp(ast.And() if kind is And else ast.Or(), [build(node.left), build(node.right)])
        if kind is Not:
            return ast.UnaryOp(ast.Not(), build(node.operand))
        if kind is FlagRef:
            return ast.Compare(ast.Constant(node.name), [ast.In()], [ast.Name("f", ast.Load())])
        if kind is MeterRef:
            return meter(node.name)
        if kind is Num:
            return ast.Constant(int(node.value))
        if kind is Visited:
            return visits(node.node)
        if kind is Truthy:
            return ast.Compare(build(node.operand), [ast.NotEq()], [ast.Constant(0)])
        if kind is Neg:
            return ast.UnaryOp(ast.USub(), build(node.operand))
        if kind is Arith:
            return ast.BinOp(build(node.left), ast.Add() if node.op == "+" else ast.Sub(), build(node.right))
        raise TypeError(f"not a condition node: {node!r}")  # pragma: no cover - programming error

    arguments = ast.arguments(posonlyargs=[], args=[ast.arg("m"), ast.arg("f"), ast.arg("v")], kwonlyargs=[], kw_defaults=[], defaults=[])
    expression = ast.Expression(ast.Lambda(arguments, build(tree)))
    code = compile(ast.fix_missing_locations(expression), "<condition>", "eval")
    return eval(code, {"__builtins__": {}})  # the code object built above, never file text


# --- the tokenizer ------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<int>[0-9]+)
  | (?P<op><=|>=|==|!=|<|>)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[()+\-])
    """,
    re.VERBOSE,
)
_NODE_ID = re.compile(r"\s*([A-Za-z0-9_\-]+)\s*\)")


@frozen
class _Token:
    kind: str  # int, op, name, punct, end
    text: str
    column: int  # 1-based


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            char = source[pos]
            hint = ""
            if char == "=":
                hint = " (use '==' to compare)"
            elif char in "&|":
                hint = " (use 'and' / 'or')"
            elif char == "!":
                hint = " (use 'not' or '!=')"
            raise ConditionError(f"unexpected character {char!r}{hint}", pos + 1)
        kind = match.lastgroup
        if kind != "space":
            tokens.append(_Token(kind, match.group(), pos + 1))
            # visited(...) takes a node id, which may contain '-': read it whole.
            if kind == "punct" and match.group() == "(" and len(tokens) >= 2 and tokens[-2].text == "visited":
                node = _NODE_ID.match(source, match.end())
                if node is not None:
                    tokens.append(_Token("nodeid", node.group(1), node.start(1) + 1))
                    tokens.append(_Token("punct", ")", node.end()))
                    pos = node.end()
                    continue
        pos = match.end()
    tokens.append(_Token("end", "", len(source) + 1))
    return tokens


# --- the parser ---------------------------------------------------------------------


class _Parser:
    def __init__(self, source: str, meters: Collection[str], nodes: Collection[str] | None) -> None:
        self.source = source
        self.tokens = _tokenize(source)
        self.pos = 0
        self.meters = meters
        self.nodes = nodes
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.pos]

    def advance(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        token = self.token
        return token.kind == kind and (text is None or token.text == text)

    def expect_end(self) -> None:
        if not self.at("end"):
            token = self.token
            raise ConditionError(f"unexpected {_describe(token)}; expected 'and', 'or' or the end", token.column)

    # Each parse method returns (tree, kind, column) where kind is "int" or "bool".

    def parse(self) -> object:
        if self.at("end"):
            raise ConditionError("empty condition", 1)
        tree, kind, column = self.parse_or()
        self.expect_end()
        return self.as_bool(tree, kind, column)

    def as_bool(self, tree: object, kind: str, column: int) -> object:
        return Truthy(tree) if kind == "int" else tree

    def parse_or(self):
        left, kind, column = self.parse_and()
        while self.at("name", "or"):
            self.advance()
            right, rkind, rcolumn = self.parse_and()
            left = Or(self.as_bool(left, kind, column), self.as_bool(right, rkind, rcolumn))
            kind = "bool"
        return left, kind, column

    def parse_and(self):
        left, kind, column = self.parse_not()
        while self.at("name", "and"):
            self.advance()
            right, rkind, rcolumn = self.parse_not()
            left = And(self.as_bool(left, kind, column), self.as_bool(right, rkind, rcolumn))
            kind = "bool"
        return left, kind, column

    def nest(self, column: int) -> None:
        """Refuse nesting deeper than MAX_DEPTH before Python's own stack runs out."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"the condition nests too deeply (at most {MAX_DEPTH} levels)", column)

    def parse_not(self):
        if self.at("name", "not"):
            column = self.advance().column
            self.nest(column)
            operand, kind, ocolumn = self.parse_not()
            self.depth -= 1
            return Not(self.as_bool(operand, kind, ocolumn)), "bool", column
        return self.parse_compare()

    def parse_compare(self):
        left, kind, column = self.parse_sum()
        if self.at("op"):
            op_token = self.advance()
            self.require_int(left, kind, column, f"before '{op_token.text}'")
            right, rkind, rcolumn = self.parse_sum()
            self.require_int(right, rkind, rcolumn, f"after '{op_token.text}'")
            if self.at("op"):
                raise ConditionError("comparisons cannot be chained; join them with 'and'", self.token.column)
            return Compare(op_token.text, left, right), "bool", column
        return left, kind, column

    def parse_sum(self):
        left, kind, column = self.parse_unary()
        while self.at("punct", "+") or self.at("punct", "-"):
            op_token = self.advance()
            self.require_int(left, kind, column, f"before '{op_token.text}'")
            right, rkind, rcolumn = self.parse_unary()
            self.require_int(right, rkind, rcolumn, f"after '{op_token.text}'")
            left = Arith(op_token.text, left, right)
            kind = "int"
        return left, kind, column

    def parse_unary(self):
        if self.at("punct", "-"):
            column = self.advance().column
            self.nest(column)
            operand, kind, ocolumn = self.parse_unary()
            self.depth -= 1
            self.require_int(operand, kind, ocolumn, "after '-'")
            if isinstance(operand, Num):
                return Num(-operand.value), "int", column
            return Neg(operand), "int", column
        return self.parse_atom()

    def parse_atom(self):
        token = self.token
        if token.kind == "int":
            if digits_too_long(token.text):
                raise ConditionError(f"the number {shown(token.text)} is too long; numbers have at most {MAX_DIGITS} digits", token.column)
            self.advance()
            return Num(int(token.text)), "int", token.column
        if token.kind == "punct" and token.text == "(":
            self.advance()
            self.nest(token.column)
            tree, kind, _ = self.parse_or()
            self.depth -= 1
            if self.at("end"):
                raise ConditionError("this '(' is never closed; add a ')'", token.column)
            if not self.at("punct", ")"):
                raise ConditionError(f"unexpected {_describe(self.token)}; expected ')', 'and' or 'or'", self.token.column)
            self.advance()
            return tree, kind, token.column
        if token.kind == "name" and token.text == "visited":
            return self.parse_visited()
        if token.kind == "name" and token.text not in KEYWORDS:
            self.advance()
            if token.text in self.meters:
                return MeterRef(token.text), "int", token.column
            if not re.fullmatch(r"[a-z][a-z0-9_]*", token.text):
                raise ConditionError(
                    f"{token.text!r} is not a valid meter or flag name (lowercase a-z, 0-9 and _, starting with a letter)",
                    token.column,
                )
            return FlagRef(token.text), "bool", token.column
        raise ConditionError(f"unexpected {_describe(token)}; expected a number, a name, 'visited(...)' or '('", token.column)

    def parse_visited(self):
        start = self.advance()
        if not self.at("punct", "("):
            raise ConditionError("'visited' needs a node id in parentheses, as in visited(dinner)", self.token.column)
        self.advance()
        if not self.at("nodeid"):
            raise ConditionError("'visited(' needs a node id followed by ')'", self.token.column)
        node_token = self.advance()
        self.advance()  # the ')' read with the id
        if self.nodes is not None and node_token.text not in self.nodes:
            raise ConditionError(
                f"visited() of unknown node {node_token.text!r}{did_you_mean(node_token.text, self.nodes)}",
                node_token.column,
            )
        return Visited(node_token.text), "int", start.column

    def require_int(self, tree: object, kind: str, column: int, where: str) -> None:
        if kind == "int":
            return
        if isinstance(tree, FlagRef):
            meters = did_you_mean(tree.name, self.meters, prefix="did you mean the meter")
            if meters:
                raise ConditionError(f"unknown meter {tree.name!r}{meters}", column)
            raise ConditionError(
                f"{tree.name!r} is not a meter, so it is a flag, and a flag cannot be used in a comparison "
                f"or arithmetic ({where}); test it bare, as in '{tree.name}' or 'not {tree.name}'",
                column,
            )
        raise ConditionError(f"a true/false value cannot be used in a comparison or arithmetic ({where})", column)


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "end of condition"
    return repr(token.text)


def did_you_mean(name: str, known: Collection[str], prefix: str = "did you mean") -> str:
    """'; did you mean 'x'?' when a known name is close to `name`, else ''."""
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; {prefix} {match[0]!r}?" if match else ""


def compile_condition(source: str, meters: Collection[str], nodes: Collection[str] | None = None) -> Condition:
    """Parse and type-check `source`; raise ConditionError with a 1-based column."""
    if not isinstance(source, str):
        raise ConditionError("a condition must be a string", 1)
    try:
        tree = _Parser(source, meters, nodes).parse()
    except RecursionError:
        raise ConditionError(f"the condition nests too deeply (at most {MAX_DEPTH} levels)", 1) from None
    if _depth(tree) > MAX_DEPTH:
        raise ConditionError(f"the condition is too long or nests too deeply (at most {MAX_DEPTH} levels); split it", 1)
    return Condition(source, tree)


def _depth(tree: object) -> int:
    """The height of a condition tree, found without recursion."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        for name in ("operand", "left", "right"):
            child = getattr(node, name, None)
            if child is not None:
                stack.append((child, depth + 1))
    return deepest
