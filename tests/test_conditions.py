"""The condition language of `if` and `when` (format page, "Conditions")."""

import pytest

from scenario_game.conditions import ConditionError, compile_condition, did_you_mean

METERS = {"trust", "closeness"}
NODES = {"dinner", "sam-snaps", "cold_night"}


def holds(source, meters=None, flags=(), visits=None):
    condition = compile_condition(source, METERS, NODES)
    return condition.holds(meters or {"trust": 40, "closeness": 30}, frozenset(flags), visits or {})


def error(source, meters=METERS, nodes=NODES):
    with pytest.raises(ConditionError) as info:
        compile_condition(source, meters, nodes)
    return info.value


# --- operands and comparisons -------------------------------------------------------


@pytest.mark.parametrize(
    "source, expected",
    [
        ("trust < 40", False),
        ("trust < 41", True),
        ("trust <= 40", True),
        ("trust <= 39", False),
        ("trust > 39", True),
        ("trust > 40", False),
        ("trust >= 40", True),
        ("trust >= 41", False),
        ("trust == 40", True),
        ("trust == 41", False),
        ("trust != 40", False),
        ("trust != 41", True),
        ("40 == trust", True),
        ("trust > closeness", True),
        ("closeness >= trust", False),
        ("trust >= -5", True),
    ],
)
def test_comparisons_on_meters_and_integers(source, expected):
    assert holds(source) is expected


def test_the_format_pages_example():
    source = "trust >= 40 and (noticed_phone or not argued)"
    assert holds(source, flags={"noticed_phone"}) is True
    assert holds(source, flags=set()) is True  # not argued
    assert holds(source, flags={"argued"}) is False
    assert holds(source, flags={"argued", "noticed_phone"}) is True
    assert holds(source, meters={"trust": 39, "closeness": 0}, flags={"noticed_phone"}) is False


def test_flags_are_false_until_set_and_need_no_declaration():
    assert holds("noticed_phone") is False
    assert holds("noticed_phone", flags={"noticed_phone"}) is True
    assert holds("not noticed_phone") is True


def test_visited_counts_entries_and_is_true_when_non_zero():
    assert holds("visited(dinner)") is False
    assert holds("visited(dinner)", visits={"dinner": 1}) is True
    assert holds("visited(dinner) > 0", visits={"dinner": 1}) is True
    assert holds("visited(dinner) > 1", visits={"dinner": 1}) is False
    assert holds("visited(dinner) == 3", visits={"dinner": 3}) is True
    # node ids may contain '-' and '_', and spaces inside the parentheses are fine
    assert holds("visited(sam-snaps) >= 2", visits={"sam-snaps": 2}) is True
    assert holds("visited( cold_night )", visits={"cold_night": 1}) is True


def test_a_bare_number_is_true_when_non_zero():
    assert holds("0") is False
    assert holds("1") is True
    assert holds("7") is True


def test_a_bare_meter_is_true_when_non_zero():
    # The page is silent on a bare meter; it is an integer, so it reads like a bare number.
    assert holds("trust", meters={"trust": 0, "closeness": 0}) is False
    assert holds("trust", meters={"trust": 3, "closeness": 0}) is True


def test_precedence_not_binds_tighter_than_and_which_binds_tighter_than_or():
    # `a or b and c` is `a or (b and c)`
    assert holds("a or b and c", flags={"a"}) is True
    assert holds("a or b and c", flags={"b"}) is False
    # `not a and b` is `(not a) and b`
    assert holds("not a and b", flags={"b"}) is True
    assert holds("not a and b", flags={"a", "b"}) is False
    assert holds("not (a and b)", flags={"a"}) is True
    # comparisons bind tighter than `not`
    assert holds("not trust > 50") is True


def test_keywords_may_touch_operators():
    assert holds("trust>=30and closeness<31") is True
    assert holds("(trust)>(closeness)") is True


def test_arithmetic_extension_on_integers():
    assert holds("trust - closeness == 10") is True
    assert holds("trust + closeness == 70") is True
    assert holds("trust - 10 - 10 == 20") is True  # left to right
    assert holds("-trust == -40") is True
    assert holds("visited(dinner) + 1 == 3", visits={"dinner": 2}) is True


def test_condition_records_what_it_reads():
    condition = compile_condition("trust > 3 and (seen or visited(dinner)) and not argued", METERS, NODES)
    assert condition.flags == {"seen", "argued"}
    assert condition.meters == {"trust"}
    assert condition.visited_nodes == {"dinner"}
    assert condition.source == "trust > 3 and (seen or visited(dinner)) and not argued"


def test_nodes_may_be_left_unchecked():
    # Without a set of node ids (nodes=None) visited() of any id compiles.
    assert compile_condition("visited(anything)", METERS, None).holds({}, frozenset(), {"anything": 2})


# --- load errors, with the column ---------------------------------------------------


def test_a_name_compared_with_a_number_that_is_not_a_meter_is_an_error():
    exc = error("trsut >= 40")
    assert exc.column == 1
    assert "unknown meter 'trsut'" in exc.message
    assert "did you mean the meter 'trust'?" in exc.message


def test_a_flag_in_a_comparison_is_an_error():
    exc = error("trust > 3 and argued == 1")
    assert exc.column == 15
    assert "'argued' is not a meter" in exc.message and "flag" in exc.message


def test_a_flag_on_the_right_of_a_comparison_is_an_error():
    exc = error("trust > argued")
    assert exc.column == 9
    assert "flag" in exc.message


def test_a_flag_in_arithmetic_is_an_error():
    exc = error("trust + argued > 3")
    assert exc.column == 9
    assert "arithmetic" in exc.message


def test_a_comparison_result_cannot_be_compared():
    exc = error("(trust > 3) == (closeness > 3)")
    assert exc.column == 1
    assert "true/false" in exc.message


def test_visited_of_an_unknown_node_is_an_error_with_did_you_mean():
    exc = error("trust > 3 and visited(dinr)")
    assert exc.column == 23
    assert "unknown node 'dinr'" in exc.message
    assert "did you mean 'dinner'?" in exc.message


@pytest.mark.parametrize(
    "source, column, words",
    [
        ("", 1, "empty"),
        ("   ", 1, "empty"),
        ("trust >", 8, "end of condition"),
        ("trust = 3", 7, "'=='"),
        ("a && b", 3, "'and'"),
        ("a || b", 3, "'and' / 'or'"),
        ("!a", 1, "'not'"),
        ("trust >= 30 and (a or b", 17, "never closed"),
        ("(a b)", 4, "unexpected 'b'"),
        ("1 < trust < 3", 11, "chained"),
        ("and", 1, "unexpected 'and'"),
        ("a b", 3, "unexpected 'b'"),
        ("visited", 8, "visited(dinner)"),
        ("visited()", 9, "node id"),
        ("visited(dinner", 9, "node id"),
        ("Trust > 3", 1, "lowercase"),
        ("_x", 1, "lowercase"),
        ("trust > 3 # note", 11, "'#'"),
        ("__import__('os')", 12, "unexpected character"),  # never eval'd: a plain syntax error
    ],
)
def test_syntax_errors_carry_the_column(source, column, words):
    exc = error(source)
    assert exc.column == column, exc.message
    assert words in exc.message


def test_a_non_string_is_an_error():
    assert "string" in error(40).message


def test_nesting_is_limited_without_a_recursion_error():
    assert "nests too deeply" in error("(" * 500 + "trust" + ")" * 500).message
    assert "nests too deeply" in error("not " * 2000 + "a").message
    assert "nests too deeply" in error("- " * 2000 + "1").message
    assert "too long" in error(" and ".join(["a"] * 3000)).message
    # ordinary nesting is fine
    assert holds("(" * 20 + "trust > 3" + ")" * 20) is True


def test_did_you_mean():
    assert did_you_mean("chioces", ["choices", "goto"]) == "; did you mean 'choices'?"
    assert did_you_mean("zzz", ["choices", "goto"]) == ""
