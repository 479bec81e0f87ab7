"""Property tests: the loader answers every input with located problems (never another
exception), the condition parser raises nothing but ConditionError, and compiled
conditions agree with a small reference evaluator written here."""

import copy
import re
import tomllib
from pathlib import Path

import tomli_w
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenario_game import engine
from scenario_game.conditions import ConditionError, compile_condition
from scenario_game.loader import LoadResult, Problem, load_bytes, load_scenario, load_text
from scenario_game.model import Effect, Meter

FIXTURES = Path(__file__).parent / "fixtures"
RULES_TEXT = (FIXTURES / "rules.toml").read_text()
RULES_DATA = tomllib.loads(RULES_TEXT)

SETTINGS = settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROBLEM_LINE = re.compile(r"^[^\n]*:\d+: (error|warning): [^\n]+$")


def assert_well_formed(result, text):
    """What every load must give: a LoadResult of located, one-line problems."""
    assert isinstance(result, LoadResult)
    last_line = max(1, len(text.split("\n")))
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert problem.severity in ("error", "warning")
        assert 1 <= problem.line <= last_line, problem
        assert PROBLEM_LINE.match(str(problem)), str(problem)
    assert (result.scenario is None) == bool(result.errors)


# --- the loader on anything -----------------------------------------------------------


@SETTINGS
@given(st.text())
def test_loader_on_arbitrary_text(text):
    assert_well_formed(load_text(text, "f.toml"), text)


@SETTINGS
@given(st.binary())
def test_loader_on_arbitrary_bytes(data):
    result = load_bytes(data, "f.toml")
    assert isinstance(result, LoadResult)
    for problem in result.problems:
        assert problem.line >= 1 and PROBLEM_LINE.match(str(problem))


@SETTINGS
@given(st.lists(st.sampled_from(RULES_TEXT.split("\n")), max_size=40))
def test_loader_on_shuffled_lines_of_a_scenario(lines):
    text = "\n".join(lines)
    assert_well_formed(load_text(text, "f.toml"), text)


WORDS = [
    "format", "scenario", "title", "summary", "partner", "meters", "trust", "closeness", "mood",
    "label", "start", "min", "max", "styles", "tone", "advice", "source", "chapters", "id", "nodes",
    "text", "speaker", "effects", "set", "unset", "choices", "style", "feedback", "if", "once", "goto",
    "routes", "end", "ending", "endings", "when", "hub", "warm", "one", "two", "fin", "curious",
]
STRINGS = [
    "hub", "warm", "glow", "two-start", "one", "two", "fin", "adrift", "curious", "blame", "empathy",
    "trust > 3", "looked", "visited(hub) > 0", "(", "%+20", "%-150", "=5", "=x", "constructive",
    "Trust", "", "x y", "not", "-", "a" * 70,
]
scalars = st.one_of(
    st.integers(-300, 300),
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=False),
    st.sampled_from(STRINGS),
    st.text(max_size=8),
    st.dates(),
    st.datetimes(),
    st.times(),
)
keys = st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=6))
values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=6)),
    max_leaves=16,
)


@SETTINGS
@given(st.dictionaries(keys, values, max_size=8))
def test_loader_on_generated_toml_documents(document):
    text = tomli_w.dumps(document)
    assert_well_formed(load_text(text, "f.toml"), text)


def _containers(node, path=()):
    """Every table and array in a parsed document, with its path."""
    yield path, node
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, child in items:
        if isinstance(child, (dict, list)):
            yield from _containers(child, path + (key,))


@SETTINGS
@given(st.data())
def test_loader_on_mutations_of_a_valid_scenario(data):
    document = copy.deepcopy(RULES_DATA)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        places = [node for _, node in _containers(document) if node]
        target = data.draw(st.sampled_from(places), label="where")
        if isinstance(target, dict):
            key = data.draw(st.sampled_from(sorted(target)), label="key")
            action = data.draw(st.sampled_from(["delete", "replace", "add", "rename"]), label="action")
            if action == "delete":
                del target[key]
            elif action == "replace":
                target[key] = data.draw(values, label="value")
            elif action == "add":
                target[data.draw(keys, label="new key")] = data.draw(values, label="value")
            else:
                target[key + data.draw(st.sampled_from(["s", "x", "_", "-"]))] = target.pop(key)
        else:
            index = data.draw(st.integers(0, len(target) - 1), label="index")
            action = data.draw(st.sampled_from(["delete", "replace", "duplicate"]), label="action")
            if action == "delete":
                del target[index]
            elif action == "replace":
                target[index] = data.draw(values, label="value")
            else:
                target.insert(index, copy.deepcopy(target[index]))
    text = tomli_w.dumps(document)
    assert_well_formed(load_text(text, "f.toml"), text)


# --- the condition parser ---------------------------------------------------------------

METERS = ("trust", "closeness")
FLAGS = ("a", "b", "noticed_phone")
NODES = ("dinner", "sam-snaps")
TOKENS = [
    "trust", "closeness", "a", "b", "x1", "visited", "visited(dinner)", "visited(sam-snaps)", "(", ")",
    "-", "+", "and", "or", "not", "<", "<=", ">", ">=", "==", "!=", "=", "0", "7", "42", " ", "!", "&", "#",
    "Trust", "_", "'", '"', "\t", "é",
]


@SETTINGS
@given(st.one_of(st.text(), st.lists(st.sampled_from(TOKENS), max_size=14).map(" ".join), st.lists(st.sampled_from(TOKENS), max_size=14).map("".join)))
def test_condition_parser_raises_only_condition_error(source):
    try:
        condition = compile_condition(source, METERS, NODES)
    except ConditionError as exc:
        assert 1 <= exc.column <= len(source) + 1
        assert exc.message
        return
    # what compiles evaluates to a bool on any state
    assert condition.holds({"trust": 3, "closeness": 0}, frozenset({"a"}), {"dinner": 1}) in (True, False)


# Generated well-formed conditions, as tuples: ("num", n) ("meter", m) ("visited", id)
# ("neg", e) ("arith", op, l, r) are integers; ("flag", f) ("truthy", e) ("not", c)
# ("and", l, r) ("or", l, r) ("cmp", op, l, r) are booleans.

int_exprs = st.recursive(
    st.one_of(
        st.integers(0, 120).map(lambda n: ("num", n)),
        st.sampled_from(METERS).map(lambda m: ("meter", m)),
        st.sampled_from(NODES).map(lambda n: ("visited", n)),
    ),
    lambda inner: st.one_of(
        inner.map(lambda e: ("neg", e)),
        st.tuples(st.just("arith"), st.sampled_from("+-"), inner, inner),
    ),
    max_leaves=5,
)
bool_exprs = st.recursive(
    st.one_of(
        st.sampled_from(FLAGS).map(lambda f: ("flag", f)),
        int_exprs.map(lambda e: ("truthy", e)),
        st.tuples(st.just("cmp"), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), int_exprs, int_exprs),
    ),
    lambda inner: st.one_of(
        inner.map(lambda c: ("not", c)),
        st.tuples(st.just("and"), inner, inner),
        st.tuples(st.just("or"), inner, inner),
    ),
    max_leaves=8,
)


def reference(tree, meters, flags, visits):
    """A straightforward evaluator of the generated tuples."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "meter":
        return meters[tree[1]]
    if kind == "visited":
        return visits.get(tree[1], 0)
    if kind == "neg":
        return -reference(tree[1], meters, flags, visits)
    if kind == "arith":
        left, right = reference(tree[2], meters, flags, visits), reference(tree[3], meters, flags, visits)
        return left + right if tree[1] == "+" else left - right
    if kind == "flag":
        return tree[1] in flags
    if kind == "truthy":
        return reference(tree[1], meters, flags, visits) != 0
    if kind == "not":
        return not reference(tree[1], meters, flags, visits)
    if kind == "and":
        return reference(tree[1], meters, flags, visits) and reference(tree[2], meters, flags, visits)
    if kind == "or":
        return reference(tree[1], meters, flags, visits) or reference(tree[2], meters, flags, visits)
    left, right = reference(tree[2], meters, flags, visits), reference(tree[3], meters, flags, visits)
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right, "==": left == right, "!=": left != right}[tree[1]]


# Binding strength, loosest first: or 1, and 2, not 3, comparison 4, + - 5, unary - 6, atoms 7.
def render_minimal(tree):
    """Source text with only the parentheses the grammar needs: tests precedence too."""

    def wrap(child, at_least):
        text, strength = render_minimal(child)
        return f"( {text} )" if strength < at_least else text

    kind = tree[0]
    if kind == "num":
        return str(tree[1]), 7
    if kind in ("meter", "flag"):
        return tree[1], 7
    if kind == "visited":
        return f"visited({tree[1]})", 7
    if kind == "neg":
        return f"- {wrap(tree[1], 6)}", 6
    if kind == "arith":
        return f"{wrap(tree[2], 5)} {tree[1]} {wrap(tree[3], 6)}", 5
    if kind == "truthy":
        return render_minimal(tree[1])
    if kind == "cmp":
        return f"{wrap(tree[2], 5)} {tree[1]} {wrap(tree[3], 5)}", 4
    if kind == "not":
        return f"not {wrap(tree[1], 3)}", 3
    if kind == "and":
        return f"{wrap(tree[1], 2)} and {wrap(tree[2], 3)}", 2
    return f"{wrap(tree[1], 1)} or {wrap(tree[2], 2)}", 1


def render_full(tree):
    """Source text with every compound part in parentheses."""
    kind = tree[0]
    if kind == "num":
        return str(tree[1])
    if kind in ("meter", "flag"):
        return tree[1]
    if kind == "visited":
        return f"visited( {tree[1]} )"
    if kind == "neg":
        return f"(-{render_full(tree[1])})"
    if kind == "arith":
        return f"({render_full(tree[2])}{tree[1]}{render_full(tree[3])})"
    if kind == "truthy":
        return render_full(tree[1])
    if kind == "cmp":
        return f"({render_full(tree[2])}{tree[1]}{render_full(tree[3])})"
    if kind == "not":
        return f"(not {render_full(tree[1])})"
    return f"({render_full(tree[1])} {kind} {render_full(tree[2])})"


states = st.tuples(
    st.fixed_dictionaries({m: st.integers(-20, 130) for m in METERS}),
    st.frozensets(st.sampled_from(FLAGS)),
    st.dictionaries(st.sampled_from(NODES), st.integers(0, 4)),
)


@SETTINGS
@given(bool_exprs, st.lists(states, min_size=1, max_size=5))
def test_holds_agrees_with_the_reference_evaluator(tree, many):
    minimal = compile_condition(render_minimal(tree)[0], METERS, NODES)
    full = compile_condition(render_full(tree), METERS, NODES)
    for meters, flags, visits in many:
        expected = bool(reference(tree, meters, flags, visits))
        assert minimal.holds(meters, flags, visits) is expected, (minimal.source, meters, flags, visits)
        assert full.holds(meters, flags, visits) is expected, (full.source, meters, flags, visits)


@SETTINGS
@given(bool_exprs)
def test_a_condition_knows_its_flags_meters_and_nodes(tree):
    def leaves(node, kind):
        if node[0] == kind:
            yield node[1]
        for part in node[1:]:
            if isinstance(part, tuple):
                yield from leaves(part, kind)

    condition = compile_condition(render_minimal(tree)[0], METERS, NODES)
    assert condition.flags == set(leaves(tree, "flag"))
    assert condition.meters == set(leaves(tree, "meter"))
    assert condition.visited_nodes == set(leaves(tree, "visited"))


# --- effects and play -------------------------------------------------------------------

meters = st.tuples(st.integers(-50, 50), st.integers(0, 100)).map(lambda t: (t[0], t[0] + t[1])).flatmap(
    lambda bounds: st.tuples(st.just(bounds), st.integers(*bounds))
)


@SETTINGS
@given(meters, st.integers(0, 100), st.sampled_from(["up", "down"]))
def test_fair_math_stays_in_range_and_never_jumps_to_a_bound(meter_and_value, amount, kind):
    (low, high), value = meter_and_value
    meter = Meter("m", "M", value, low, high)
    result = Effect("m", kind, amount).apply(value, meter)
    if kind == "up":
        assert value <= result <= high
        # exactly the page's formula: v + (max - v) * N / 100, rounded down
        assert result * 100 <= value * 100 + (high - value) * amount < (result + 1) * 100
        if amount < 100 and value < high:
            assert result < high
    else:
        assert low <= result <= value
        # v - (v - min) * N / 100, rounded up
        assert (result - 1) * 100 < value * 100 - (value - low) * amount <= result * 100
        if amount < 100 and value > low:
            assert result > low


@SETTINGS
@given(meters, st.integers(-1000, 1000), st.sampled_from(["add", "set"]))
def test_add_and_set_clamp(meter_and_value, amount, kind):
    (low, high), value = meter_and_value
    meter = Meter("m", "M", value, low, high)
    result = Effect("m", kind, amount).apply(value, meter)
    unclamped = value + amount if kind == "add" else amount
    assert result == min(high, max(low, unclamped))


RULES = load_scenario(FIXTURES / "rules.toml")


@SETTINGS
@given(st.lists(st.integers(0, 10), max_size=12))
def test_any_play_keeps_meters_in_range_and_stops_cleanly(picks):
    state = engine.start(RULES)
    for pick in picks:
        if state.status == engine.CHAPTER_END:
            state = engine.next_chapter(RULES, state)
        if state.status != engine.CHOOSING:
            break
        offered = engine.open_choices(RULES, state)
        assert offered
        state, outcome = engine.choose(RULES, state, offered[pick % len(offered)])
        assert [c.name for c in outcome.changes] == ["trust", "mood", "closeness"]
        for meter in RULES.meters:
            assert meter.min <= state.meter(meter.name) <= meter.max
    assert state.status in (engine.CHOOSING, engine.CHAPTER_END, engine.ENDED)
    if state.status == engine.ENDED:
        assert state.ending in {e.id for e in RULES.endings}


# --- the line map ------------------------------------------------------------------------

plain_keys = st.one_of(st.sampled_from(WORDS), st.text(alphabet="abc XY-_.é'", min_size=1, max_size=5))
plain_values = st.recursive(
    st.one_of(st.integers(), st.booleans(), st.sampled_from(STRINGS), st.text(alphabet="ab]}[{#,\"' =\n", max_size=6)),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(plain_keys, children, max_size=4)),
    max_leaves=16,
)


def _paths(node, path=()):
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, child in items:
        yield path + (key,)
        if isinstance(child, (dict, list)):
            yield from _paths(child, path + (key,))


@SETTINGS
@given(st.dictionaries(plain_keys, plain_values, max_size=6))
def test_line_map_finds_every_key_and_element_of_a_document(document):
    from scenario_game.linemap import LineMap

    text = tomli_w.dumps(document)
    lines = LineMap(text).lines
    missing = [path for path in _paths(document) if path not in lines]
    assert not missing, (text, missing)
