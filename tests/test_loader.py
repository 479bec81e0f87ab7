"""The loader: a valid file becomes the model; each mistake an author can make becomes
one located `PATH:LINE: error: MESSAGE`. Expected lines are found by the text of the line
the author wrote (`line_of`), so each test says where the problem is."""

from pathlib import Path

import pytest

from scenario_game.loader import Problem, ScenarioError, load_bytes, load_path, load_scenario, load_text

FIXTURES = Path(__file__).parent / "fixtures"

BASE = """format = 1

[scenario]
title = "T"

[[chapters]]
id = "one"
title = "One"

[[chapters.nodes]]
id = "start"
text = "Hello."

[[chapters.nodes.choices]]
text = "A"
style = "curious"
goto = "done"

[[chapters.nodes]]
id = "done"
text = "Bye."
end = true

[[endings]]
id = "fin"
title = "Fin"
"""


DONE_ID, ONE_ID, FIN_ID = 'id = "done"', 'id = "one"', 'id = "fin"'


def edit(old, new, text=BASE):
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text, snippet, nth=1):
    """The 1-based line holding `snippet` (its nth occurrence)."""
    found = [number for number, line in enumerate(text.split("\n"), 1) if snippet in line]
    assert len(found) >= nth, snippet
    return found[nth - 1]


def errors(text):
    result = load_text(text, "s.toml")
    assert result.scenario is None
    return [(p.line, p.message) for p in result.problems if p.severity == "error"]


def only_error(text):
    found = errors(text)
    assert len(found) == 1, found
    return found[0]


def test_the_base_text_is_valid():
    result = load_text(BASE, "s.toml")
    assert result.problems == ()
    assert result.scenario is not None


# --- a valid file becomes the model ---------------------------------------------------


def test_the_format_pages_example_loads_into_the_model():
    scenario = load_scenario(FIXTURES / "format_example.toml")
    assert scenario.title == "The Quiet Dinner"
    assert scenario.summary == "Sam has been distant for weeks."
    assert scenario.partner == "Sam"
    assert scenario.id == "format_example"
    assert [(m.name, m.label, m.start, m.min, m.max) for m in scenario.meters] == [
        ("trust", "Trust", 40, 0, 100),
        ("closeness", "Closeness", 30, 0, 100),
    ]
    assert [c.id for c in scenario.chapters] == ["monday", "tuesday"]
    monday = scenario.chapter("monday")
    assert monday.start == "dinner"
    assert monday.nodes == ("dinner", "sam-snaps", "cold-night", "awkward-silence", "sam-puts-phone-down")
    dinner = scenario.nodes["dinner"]
    assert (dinner.speaker, dinner.mood, dinner.set) == ("Sam", "distracted", ("noticed_phone",))
    assert [(e.meter, e.kind, e.amount) for e in dinner.effects] == [("closeness", "add", -2)]
    first, second, third = dinner.choices
    assert [c.index for c in dinner.choices] == [0, 1, 2]
    assert [(e.meter, e.kind, e.amount) for e in first.effects] == [("trust", "add", -5), ("closeness", "down", 20)]
    assert [(e.meter, e.kind, e.amount) for e in second.effects] == [("trust", "add", 5), ("closeness", "up", 20)]
    assert second.advice == ("i-statements", "be-present", "no-phones-at-dinner")
    assert second.condition.source == "trust >= 30"
    assert third.style == "sarcastic"
    assert scenario.style("sarcastic").tone == "destructive"
    assert scenario.advice["no-phones-at-dinner"].sources == ("How Do I Rekindle Emotional Connection with My Partner?",)
    snaps = scenario.nodes["sam-snaps"]
    assert snaps.kind == "routes"
    assert [(r.goto, r.condition.source if r.condition else None) for r in snaps.routes] == [
        ("cold-night", "trust < 32"),
        ("awkward-silence", None),
    ]
    tuesday_start = scenario.nodes["tuesday-start"]
    assert tuesday_start.chapter == "tuesday"
    assert tuesday_start.choices[0].advice == ("quality-time",)  # a single string
    assert tuesday_start.choices[1].once is True
    assert [e.id for e in scenario.endings] == ["reconnected", "still-apart"]
    assert scenario.endings[-1].condition is None
    assert len(scenario.digest) == 64


def test_lines_are_recorded_on_the_model():
    scenario = load_text(BASE, "s.toml").scenario
    assert scenario.nodes["start"].line == line_of(BASE, 'id = "start"') - 1
    assert scenario.nodes["start"].choices[0].line == line_of(BASE, "[[chapters.nodes.choices]]")
    assert scenario.endings[0].line == line_of(BASE, "[[endings]]")


def test_defaults_labels_and_namespaces():
    text = edit(
        "[[chapters]]\nid = \"one\"",
        '[meters.self_worth]\nstart = 5\n\n[styles.teasing]\ntone = "neutral"\n\n[[chapters]]\nid = "one"',
    )
    # a chapter, a node and an ending may share an id: separate namespaces
    text = edit('id = "fin"', 'id = "one"', text)
    text = edit('id = "start"', 'id = "one"', text)
    scenario = load_text(text, "s.toml").scenario
    assert scenario is not None
    assert [(m.name, m.label, m.min, m.max) for m in scenario.meters] == [("self_worth", "Self_worth", 0, 100)]
    assert scenario.style("teasing").label == "Teasing"
    assert scenario.chapters[0].id == scenario.chapters[0].start == scenario.endings[0].id == "one"


def test_integer_effects_may_be_written_with_a_plus():
    text = edit('style = "curious"', 'style = "curious"\neffects = { trust = +5, closeness = "=-3" }')
    choice = load_text(text, "s.toml").scenario.nodes["start"].choices[0]
    assert [(e.kind, e.amount) for e in choice.effects] == [("add", 5), ("set", -3)]


def test_inline_tables_and_inline_arrays_of_tables_load_like_headers():
    text = """format = 1
scenario = { title = "Inline" }
meters = { trust = { start = 10 } }
chapters = [
  { id = "one", title = "One", nodes = [
      { id = "start", text = "Hi", choices = [{ text = "A", style = "curious", goto = "done" }, { text = "B", style = "blame", end = true }] },
      { id = "done", text = "Bye", routes = [{ if = "trust > 5", goto = "x" }, { goto = "x" }] },
      { id = "x", text = "X", ending = "fin" },
  ] },
]
endings = [{ id = "fin", title = "Fin" }]
"""
    result = load_text(text, "s.toml")
    assert result.errors == ()
    scenario = result.scenario
    assert [c.text for c in scenario.nodes["start"].choices] == ["A", "B"]
    assert scenario.nodes["done"].kind == "routes"
    assert scenario.nodes["x"].ending == "fin"


# --- errors: every class the format lists, each on its line -------------------------


def test_problem_prints_as_path_line_severity_message():
    assert str(Problem("a/b.toml", 7, "error", "oops")) == "a/b.toml:7: error: oops"
    assert str(Problem("a/b.toml", 9, "warning", "hm")) == "a/b.toml:9: warning: hm"


def test_toml_syntax_error_keeps_line_and_column():
    text = edit('text = "A"', 'text = "A')
    line, message = only_error(text)
    assert line == line_of(text, 'text = "A')
    assert message.startswith("TOML syntax error:")
    assert "(column 10)" in message


def test_toml_syntax_error_at_the_end_of_the_file():
    text = BASE + "notes = [1, 2"
    line, message = only_error(text)
    assert line == line_of(text, "notes = [1, 2")
    assert "TOML syntax error" in message and "end of the file" in message


def test_a_key_twice_is_a_toml_error_on_the_second():
    text = edit('text = "A"', 'text = "A"\ntext = "B"')
    line, message = only_error(text)
    assert line == line_of(text, 'text = "B"')


@pytest.mark.parametrize(
    "old, new, bad_line, words",
    [
        ("[[chapters.nodes.choices]]", "[[chapters.nodes.chioces]]", "[[chapters.nodes.chioces]]", "unknown key 'chioces' in node 'start'; did you mean 'choices'?"),
        ('text = "A"', 'txt = "A"', 'txt = "A"', "unknown key 'txt' in choice 1 of node 'start'; did you mean 'text'?"),
        ('goto = "done"', 'goot = "done"', 'goot = "done"', "did you mean 'goto'?"),
        ('title = "T"', 'title = "T"\nsumary = "x"', 'sumary = "x"', "unknown key 'sumary' in [scenario]; did you mean 'summary'?"),
        ("format = 1", "format = 1\nchapter = 1", "chapter = 1", "unknown key 'chapter' in the file; did you mean 'chapters'?"),
        ('id = "fin"', 'id = "fin"\nwhne = "x"', 'whne = "x"', "did you mean 'when'?"),
        ('title = "One"', 'title = "One"\nsumary = "x"', 'sumary = "x"', "in chapter 'one'; did you mean 'summary'?"),
    ],
)
def test_unknown_keys_with_did_you_mean(old, new, bad_line, words):
    text = edit(old, new)
    found = errors(text)
    assert any(line == line_of(text, bad_line) and words in message for line, message in found), found


def test_a_misspelt_way_on_also_leaves_the_node_with_none():
    text = edit("[[chapters.nodes.choices]]", "[[chapters.nodes.chioces]]")
    assert errors(text) == [
        (line_of(text, 'id = "start"') - 1, "node 'start' has no way on: give it choices, goto, routes, `end = true` or `ending`"),
        (line_of(text, "chioces"), "unknown key 'chioces' in node 'start'; did you mean 'choices'?"),
    ]


@pytest.mark.parametrize(
    "old, new, at, words",
    [
        ("format = 1\n", "", None, "missing the required top-level key 'format'"),
        ('title = "T"', 'summary = "S"', "[scenario]", "[scenario] is missing the required key 'title'"),
        ('text = "Hello."', 'speaker = "Sam"', 'id = "start"', "node 'start' is missing the required key 'text'"),
        ('style = "curious"\n', "", "[[chapters.nodes.choices]]", "choice 1 of node 'start' is missing the required key 'style'"),
        ('text = "A"\n', "", "[[chapters.nodes.choices]]", "choice 1 of node 'start' is missing the required key 'text'"),
        ('title = "Fin"', 'text = "x"', '[[endings]]', "ending 'fin' is missing the required key 'title'"),
        ('id = "done"\n', "", 'text = "Bye."', "a node is missing the required key 'id'"),
    ],
)
def test_missing_required_keys(old, new, at, words):
    text = edit(old, new)
    found = errors(text)
    expected_line = 1 if at is None else line_of(text, at)
    if at == 'id = "start"' or at == 'text = "Bye."':
        expected_line -= 1  # the node's [[chapters.nodes]] header
    assert any(line == expected_line and words in message for line, message in found), found


def test_missing_top_level_tables():
    assert errors("format = 1\n") == [
        (1, "the file is missing the required key 'scenario'"),
        (1, "the file is missing the required key 'chapters'"),
        (1, "the file is missing the required key 'endings'"),
    ]


def test_meter_start_is_required():
    text = edit("[[chapters]]\nid", "[meters.trust]\nlabel = \"Trust\"\n\n[[chapters]]\nid")
    assert only_error(text) == (line_of(text, "[meters.trust]"), "meter 'trust' is missing the required key 'start'")


@pytest.mark.parametrize(
    "old, new, bad_line, words",
    [
        ('title = "T"', "title = 3", "title = 3", "'title' in [scenario] must be a string, not an integer"),
        ('text = "A"', "text = ['A']", "text = ['A']", "must be a string, not an array"),
        ('goto = "done"', 'goto = "done"\nonce = "yes"', 'once = "yes"', "'once' in choice 1 of node 'start' must be true or false, not a string"),
        ('goto = "done"', 'goto = "done"\neffects = 5', "effects = 5", "'effects' in choice 1 of node 'start' must be a table"),
        ('goto = "done"', 'goto = "done"\nif = true', "if = true", "'if' in choice 1 of node 'start' must be a string, not a boolean"),
        ('goto = "done"', 'goto = "done"\nadvice = 3', "advice = 3", "must be a string or an array of strings, not an integer"),
        ('goto = "done"', 'goto = "done"\nset = ["ok", 3]', 'set = ["ok", 3]', "'set' in choice 1 of node 'start' must list strings, not an integer"),
        ('end = true', 'end = "yes"', 'end = "yes"', "'end' in node 'done' must be true or false, not a string"),
        ('[[chapters]]\nid = "one"', '[meters.trust]\nstart = 40.5\n\n[[chapters]]\nid = "one"', "start = 40.5", "'start' in meter 'trust' must be an integer, not a decimal number"),
        ('[[chapters]]\nid = "one"', '[meters.trust]\nstart = "40"\n\n[[chapters]]\nid = "one"', 'start = "40"', "must be an integer, not a string"),
        ("format = 1", "format = 1\nmeters = 3", "meters = 3", "'meters' in the file must be a table"),
        ('[[chapters]]\nid = "one"', "[meters]\ntrust = 3\n\n[[chapters]]\nid = \"one\"", "trust = 3", "meter 'trust' must be a table ([meters.trust]), not an integer"),
        ('goto = "done"', 'goto = "done"\neffects = { trust = 1.5 }', "effects = { trust = 1.5 }", "must be an integer or a string, not a decimal number"),
        ('id = "one"', "id = 1", "id = 1", "'id' in a chapter must be a string, not an integer"),
    ],
)
def test_wrong_types(old, new, bad_line, words):
    text = edit(old, new)
    found = errors(text)
    assert any(line == line_of(text, bad_line) and words in message for line, message in found), found


def test_format_has_to_be_the_integer_one():
    assert only_error(edit("format = 1", 'format = "1"')) == (1, "'format' must be the integer 1, not a string")
    text = edit("format = 1", "# a comment\nformat = 2")
    assert only_error(text) == (2, "unsupported format 2; this version of the game reads format 1")


def test_entries_of_arrays_of_tables_must_be_tables():
    text = edit('title = "One"', 'title = "One"\nnodes = [1, "x"]').split("[[chapters.nodes]]")[0] + '[[endings]]\nid = "fin"\ntitle = "Fin"\n'
    assert errors(text) == [
        (line_of(text, "nodes = [1"), "entry 1 of 'nodes' in chapter 'one' must be a table ([[chapters.nodes]]), not an integer"),
        (line_of(text, "nodes = [1"), "entry 2 of 'nodes' in chapter 'one' must be a table ([[chapters.nodes]]), not a string"),
    ]


def test_empty_lists_are_errors():
    assert errors('format = 1\nchapters = []\nendings = []\n[scenario]\ntitle = "x"\n') == [
        (2, "a scenario needs at least one chapter"),
        (3, "a scenario needs at least one ending"),
    ]
    text = edit("end = true", "choices = []")
    assert only_error(text) == (line_of(text, "choices = []"), "node 'done' has an empty list of choices")


def test_duplicate_node_ids_across_chapters():
    text = BASE.replace("[[endings]]", '[[chapters]]\nid = "two"\ntitle = "Two"\n\n[[chapters.nodes]]\nid = "done"\ntext = "x"\nend = true\n\n[[endings]]')
    assert only_error(text) == (
        line_of(text, 'id = "done"', nth=2),
        f"duplicate node id 'done' (first defined on line {line_of(text, DONE_ID)}); node ids are unique across the scenario",
    )


def test_duplicate_chapter_and_ending_ids():
    text = BASE.replace("[[endings]]", '[[chapters]]\nid = "one"\n\n[[chapters.nodes]]\nid = "other"\ntext = "x"\nend = true\n\n[[endings]]')
    assert only_error(text) == (line_of(text, 'id = "one"', nth=2), f"duplicate chapter id 'one' (first defined on line {line_of(text, ONE_ID)})")
    text = edit('title = "Fin"', 'title = "Fin"\nwhen = "trust > 3"') + '\n[[endings]]\nid = "fin"\ntitle = "Again"\n'
    assert only_error(text) == (line_of(text, 'id = "fin"', nth=2), f"duplicate ending id 'fin' (first defined on line {line_of(text, FIN_ID)})")


@pytest.mark.parametrize(
    "old, new, bad_line, message",
    [
        ('goto = "done"', 'goto = "dnoe"', 'goto = "dnoe"', "unknown goto target 'dnoe' in choice 1 of node 'start'; did you mean 'done'?"),
        ("end = true", 'goto = "strat"', 'goto = "strat"', "unknown goto target 'strat' in node 'done'; did you mean 'start'?"),
        ("end = true", 'ending = "fni"', 'ending = "fni"', "unknown ending 'fni' in node 'done'; did you mean 'fin'?"),
        ('goto = "done"', 'ending = "fim"', 'ending = "fim"', "unknown ending 'fim' in choice 1 of node 'start'; did you mean 'fin'?"),
        ('style = "curious"', 'style = "curios"', 'style = "curios"', "unknown style 'curios' in choice 1 of node 'start'; did you mean 'curious'?"),
        ('goto = "done"', 'goto = "done"\nadvice = ["empathy", "i-statement"]', "advice = [", "unknown advice id 'i-statement' in choice 1 of node 'start'; did you mean 'i-statements'?"),
        ('goto = "done"', 'goto = "done"\nadvice = "zzzz"', 'advice = "zzzz"', "unknown advice id 'zzzz' in choice 1 of node 'start'"),
        ('goto = "done"', 'goto = "done"\neffects = { trsut = 5 }', "effects = {", "effect on unknown meter 'trsut' in choice 1 of node 'start'; did you mean 'trust'?"),
        ('goto = "done"', 'goto = "done"\nset = ["trust"]', 'set = ["trust"]', "'trust' in 'set' of choice 1 of node 'start' is a meter, not a flag; change meters with `effects`"),
        ('goto = "done"', 'goto = "done"\nunset = ["Seen"]', 'unset = ["Seen"]', "'Seen' in 'unset' of choice 1 of node 'start' is not a valid flag name"),
    ],
)
def test_unknown_references(old, new, bad_line, message):
    text = edit(old, new)
    assert only_error(text) == (line_of(text, bad_line), message)


def test_an_effect_in_a_sub_table_is_located_at_its_own_key():
    text = edit('[[chapters.nodes]]\nid = "done"', '[chapters.nodes.effects]\ntrust = 1\ntrsut = 3\n\n[[chapters.nodes]]\nid = "done"')
    assert only_error(text) == (line_of(text, "trsut = 3"), "effect on unknown meter 'trsut' in node 'start'; did you mean 'trust'?")


@pytest.mark.parametrize(
    "value, words",
    [
        ('"%+120"', "fair math takes a percentage from 0 to 100, not 120"),
        ('"%-101"', "not 101"),
        ('"+5"', "is not a valid effect"),
        ('"%20"', "is not a valid effect"),
        ('"= 5"', "is not a valid effect"),
        ("true", "must be an integer or a string, not a boolean"),
    ],
)
def test_bad_effect_values(value, words):
    text = edit('goto = "done"', f'goto = "done"\neffects = {{ trust = {value} }}')
    line, message = only_error(text)
    assert line == line_of(text, "effects = {")
    assert message.startswith("effect trust = ") and words in message


@pytest.mark.parametrize(
    "condition, words, column",
    [
        ("trust >= 30 and (noticed or not argued", "this '(' is never closed", 23),
        ("trsut > 3", "unknown meter 'trsut'; did you mean the meter 'trust'?", 7),
        ("argued > 3", "'argued' is not a meter, so it is a flag", 7),
        ("trust + argued > 3", "flag cannot be used in a comparison or arithmetic", 15),
        ("visited(dnoe) > 0", "visited() of unknown node 'dnoe'; did you mean 'done'?", 15),
        ("trust = 3", "use '=='", 13),
        ("", "empty condition", 7),
    ],
)
def test_bad_conditions_point_at_line_and_file_column(condition, words, column):
    text = edit('style = "curious"', f'style = "curious"\nif = "{condition}"')
    line, message = only_error(text)
    assert line == line_of(text, "if = ")
    assert words in message
    assert message.startswith(f"bad condition {condition!r} in choice 1 of node 'start': ")
    assert message.endswith(f"(column {column})")


def test_bad_conditions_in_routes_and_endings():
    text = edit("end = true", '[[chapters.nodes.routes]]\nif = "trust >"\ngoto = "start"\n[[chapters.nodes.routes]]\ngoto = "done"')
    line, message = only_error(text)
    assert line == line_of(text, 'if = "trust >"') and "in route 1 of node 'done'" in message
    text = edit('title = "Fin"', 'title = "Fin"\nwhen = "closeness >> 3"') + '\n[[endings]]\nid = "z"\ntitle = "Z"\n'
    line, message = only_error(text)
    assert line == line_of(text, "when = ") and "in ending 'fin'" in message and "(column 20)" in message


def test_a_condition_in_a_multi_line_string_gives_its_own_column():
    text = edit('style = "curious"', 'style = "curious"\nif = """\ntrust >"""')
    line, message = only_error(text)
    assert line == line_of(text, 'if = """')
    assert message.endswith("(column 8 of the condition)")


@pytest.mark.parametrize(
    "meter, bad_line, message",
    [
        ("start = 140", "start = 140", "start 140 of meter 'trust' is outside its range 0..100"),
        ("start = -1", "start = -1", "start -1 of meter 'trust' is outside its range 0..100"),
        ("start = 5\nmin = 10", "start = 5", "start 5 of meter 'trust' is outside its range 10..100"),
        ("start = 50\nmax = 20", "start = 50", "start 50 of meter 'trust' is outside its range 0..20"),
        ("start = 5\nmin = 10\nmax = 0", "min = 10", "meter 'trust' has min 10 above max 0"),
    ],
)
def test_start_outside_its_range(meter, bad_line, message):
    text = edit("[[chapters]]\nid", f"[meters.trust]\n{meter}\n\n[[chapters]]\nid")
    assert only_error(text) == (line_of(text, bad_line), message)


def test_start_on_the_bounds_is_fine():
    text = edit("[[chapters]]\nid", "[meters.trust]\nstart = 0\n[meters.closeness]\nstart = 100\n[meters.mood]\nstart = -3\nmin = -3\nmax = -3\n\n[[chapters]]\nid")
    assert load_text(text, "s.toml").errors == ()


def test_a_node_with_no_way_on_or_two():
    text = edit("end = true\n", "")
    assert only_error(text) == (line_of(text, 'id = "done"') - 1, "node 'done' has no way on: give it choices, goto, routes, `end = true` or `ending`")
    text = edit("end = true", 'end = true\ngoto = "start"')
    assert only_error(text) == (line_of(text, 'id = "done"') - 1, "node 'done' has more than one way on (goto and end = true); keep exactly one")
    text = edit("end = true", "end = false")
    assert "has no way on" in only_error(text)[1]
    # a mistyped `end` is one error, not also "no way on"
    text = edit("end = true", 'end = "yes"')
    assert only_error(text) == (line_of(text, 'end = "yes"'), "'end' in node 'done' must be true or false, not a string")


def test_a_choice_with_no_way_on_or_two():
    text = edit('goto = "done"\n', "")
    assert only_error(text) == (line_of(text, "[[chapters.nodes.choices]]"), "choice 1 of node 'start' has no way on: give it `goto`, `end = true` or `ending`")
    text = edit('goto = "done"', 'goto = "done"\nending = "fin"')
    assert only_error(text) == (line_of(text, "[[chapters.nodes.choices]]"), "choice 1 of node 'start' has more than one way on (goto and ending); keep exactly one")


def test_routes_need_a_final_unconditional_entry():
    text = edit("end = true", '[[chapters.nodes.routes]]\nif = "trust > 3"\ngoto = "start"\n[[chapters.nodes.routes]]\ngoto = "start"\nif = "trust > 10"')
    assert only_error(text) == (
        line_of(text, 'if = "trust > 10"'),
        "the last route of node 'done' has an `if`; the last route must have none, so that some route is always taken",
    )
    text = edit("end = true", '[[chapters.nodes.routes]]\ngoto = "start"\n[[chapters.nodes.routes]]\ngoto = "start"')
    assert only_error(text) == (
        line_of(text, "[[chapters.nodes.routes]]"),
        "route 1 of node 'done' has no `if` but is not the last route; only the last route goes without one",
    )


def test_endings_need_a_final_unconditional_entry():
    text = BASE + 'when = "trust > 3"\n'
    assert only_error(text) == (
        line_of(text, "when = "),
        "the last ending (ending 'fin') has a `when`; the last ending must have none, so that the scenario always has an ending",
    )
    text = BASE + '\n[[endings]]\nid = "two"\ntitle = "Two"\n'
    assert only_error(text) == (line_of(text, "[[endings]]"), "ending 'fin' is missing the required key 'when' (only the last ending goes without one)")


@pytest.mark.parametrize(
    "old, new, bad_line, words",
    [
        ('id = "done"', 'id = "Done"', 'id = "Done"', "'Done' is not a valid id"),
        ('id = "done"', 'id = "1done"', 'id = "1done"', "is not a valid id"),
        ('id = "done"', 'id = ""', 'id = ""', "'' is not a valid id"),
        ('id = "done"', f'id = "{"d" * 65}"', 'id = "ddd', "1-64 characters"),
        ('id = "one"', 'id = "chapter one"', 'id = "chapter one"', "is not a valid id"),
        ("[[chapters]]\nid", "[meters.Trust]\nstart = 1\n\n[[chapters]]\nid", "[meters.Trust]", "'Trust' is not a valid meter name"),
        ("[[chapters]]\nid", "[meters.self-worth]\nstart = 1\n\n[[chapters]]\nid", "[meters.self-worth]", "'self-worth' is not a valid meter name"),
        ("[[chapters]]\nid", '[styles.Cold]\ntone = "neutral"\n\n[[chapters]]\nid', "[styles.Cold]", "'Cold' is not a valid style id"),
        ("[[chapters]]\nid", '[advice."my advice"]\ntitle = "t"\ntext = "x"\n\n[[chapters]]\nid', '[advice."my advice"]', "'my advice' is not a valid advice id"),
    ],
)
def test_bad_identifiers(old, new, bad_line, words):
    text = edit(old, new)
    found = errors(text)
    assert any(line == line_of(text, bad_line) and words in message for line, message in found), found


def test_a_64_character_id_is_fine():
    text = edit('id = "done"', f'id = "{"d" * 64}"')
    text = edit('goto = "done"', f'goto = "{"d" * 64}"', text)
    assert load_text(text, "s.toml").errors == ()


def test_styles_and_advice_of_a_scenario():
    text = edit(
        "[[chapters]]\nid",
        '[styles.teasing]\ntone = "destrutive"\n\n[styles.mild]\nlabel = "Mild"\n\n'
        '[advice.mine]\ntitle = "Mine"\n\n[advice.ours]\ntitle = "Ours"\ntext = "t"\nsorce = "x"\n\n[[chapters]]\nid',
    )
    assert errors(text) == [
        (line_of(text, 'tone = "destrutive"'), "tone 'destrutive' of style 'teasing' must be one of constructive, destructive, neutral; did you mean 'destructive'?"),
        (line_of(text, "[styles.mild]"), "style 'mild' is missing the required key 'tone'"),
        (line_of(text, "[advice.mine]"), "advice 'mine' is missing the required key 'text'"),
        (line_of(text, 'sorce = "x"'), "unknown key 'sorce' in advice 'ours'; did you mean 'source'?"),
    ]


def test_all_problems_come_at_once_sorted_by_line():
    text = edit('style = "curious"', 'style = "curios"')
    text = edit('goto = "done"', 'goto = "dnoe"', text)
    text = edit('title = "Fin"', 'titel = "Fin"', text)
    found = errors(text)
    assert [line for line, _ in found] == sorted(line for line, _ in found)
    assert len(found) == 4  # style, goto, missing title, unknown key titel


def test_inline_arrays_of_tables_are_located_per_element():
    text = edit(
        '[[chapters.nodes.choices]]\ntext = "A"\nstyle = "curious"\ngoto = "done"',
        'choices = [\n  { text = "A", style = "curious", goto = "done" },\n  { text = "B", style = "curios", goto = "done" },\n]',
    )
    assert only_error(text) == (line_of(text, "text = \"B\""), "unknown style 'curios' in choice 2 of node 'start'; did you mean 'curious'?")
    text = edit(
        '[[chapters.nodes.choices]]\ntext = "A"\nstyle = "curious"\ngoto = "done"',
        'choices = [{ text = "A", style = "curious", goto = "done" }, { text = "B", style = "curios", goto = "done" }]',
    )
    assert only_error(text) == (line_of(text, "choices = ["), "unknown style 'curios' in choice 2 of node 'start'; did you mean 'curious'?")


def test_header_like_lines_inside_multi_line_strings_do_not_move_locations():
    text = edit(
        'text = "Hello."',
        'text = """Hello.\n[[chapters]]\nid = "fake"\n[[chapters.nodes]]\ngoto = "nowhere"\n"""',
    )
    text = edit('text = "Bye."', "text = '''\n[[endings]]\nid = 'x'\n'''", text)
    text = edit('goto = "done"', 'goto = "dnoe"', text)
    text = edit('title = "Fin"', 'title = "Fin"\nwhen = "trust > 1"', text) + '[[endings]]\nid = "last"\ntitle = "Last"\n'
    text = edit('end = true', 'end = true\nspekaer = "x"', text)
    found = errors(text)
    assert found == [
        (line_of(text, 'goto = "dnoe"'), "unknown goto target 'dnoe' in choice 1 of node 'start'; did you mean 'done'?"),
        (line_of(text, 'spekaer = "x"'), "unknown key 'spekaer' in node 'done'; did you mean 'speaker'?"),
    ]
    lines = [line for line, _ in found]
    assert lines == [line_of(text, 'goto = "dnoe"'), line_of(text, "spekaer")]
    # and a multi-line array holding a header-like string
    text = edit('goto = "done"', 'goto = "done"\nset = [\n  "ok",\n  "[[chapters]]",\n]\nonce = 3')
    found = errors(text)
    assert (line_of(text, "once = 3"), "'once' in choice 1 of node 'start' must be true or false, not an integer") in found
    assert any(line == line_of(text, "set = [") and "'[[chapters]]'" in message for line, message in found)


# --- files and bytes ----------------------------------------------------------------


def test_non_utf8_bytes_are_a_located_error():
    data = BASE.replace('text = "Bye."', 'text = "Caf\xe9"').encode("latin-1")
    result = load_bytes(data, "s.toml")
    assert result.scenario is None
    assert [(p.line, p.message) for p in result.problems] == [
        (line_of(BASE, 'text = "Bye."'), "the file is not valid UTF-8: byte 0xe9 at column 12; save it as UTF-8"),
    ]


def test_a_utf8_byte_order_mark_is_accepted():
    assert load_bytes(b"\xef\xbb\xbf" + BASE.encode(), "s.toml").errors == ()


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_one_located_error(data):
    result = load_bytes(data, "s.toml")
    assert [(p.line, p.severity) for p in result.problems] == [(1, "error")]
    assert "the file is empty" in result.problems[0].message
    assert load_text(data.decode("utf-8-sig"), "s.toml").problems == result.problems


def test_load_path_reports_missing_files_and_folders(tmp_path):
    missing = load_path(tmp_path / "nope.toml")
    assert missing.scenario is None and missing.problems[0].line == 1
    assert "cannot read the file" in missing.problems[0].message
    folder = load_path(tmp_path)
    assert folder.problems[0].message == "is a folder, not a scenario file"


def test_load_scenario_raises_scenario_error_with_every_error(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(edit('style = "curious"', 'style = "curios"', edit('goto = "done"', 'goto = "dnoe"')))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert len(info.value.problems) == 2
    assert all(str(p).startswith(f"{path}:") for p in info.value.problems)


def test_warnings_do_not_stop_a_load():
    result = load_path(FIXTURES / "warnings.toml")
    assert result.scenario is not None
    assert result.errors == ()
    assert len(result.warnings) >= 4


def test_dotted_keys_are_located_on_their_own_lines():
    text = edit('style = "curious"', 'style = "curious"\neffects.trust = 1\neffects . "trsut" = 2\nfeedback = """\n[[chapters]]\nid = 3\n"""\nonce = 3')
    assert errors(text) == [
        (line_of(text, 'effects . "trsut"'), "effect on unknown meter 'trsut' in choice 1 of node 'start'; did you mean 'trust'?"),
        (line_of(text, "once = 3"), "'once' in choice 1 of node 'start' must be true or false, not an integer"),
    ]
    text = edit("format = 1", "format = 1\nmeters.trust.start = 40\nmeters.mood.start = 140")
    assert only_error(text) == (3, "start 140 of meter 'mood' is outside its range 0..100")


def test_nested_inline_arrays_are_located_per_element_and_key():
    text = """format = 1
scenario = { title = "Inline" }
chapters = [
  { id = "one", title = "One", nodes = [
      { id = "start", text = \"\"\"Hi ]
} {\"\"\", choices = [
          { text = "A", style = "curios", goto = "done" },
          { text = "B", style = "curious", goto = "dnoe" },
      ] },
      "oops",
      { id = "done", text = 'x]', end = true, spekaer = "S" },
  ] },
]
endings = [{ id = "fin", title = "Fin" }]
"""
    assert errors(text) == [
        (line_of(text, 'style = "curios"'), "unknown style 'curios' in choice 1 of node 'start'; did you mean 'curious'?"),
        (line_of(text, 'goto = "dnoe"'), "unknown goto target 'dnoe' in choice 2 of node 'start'; did you mean 'done'?"),
        (line_of(text, '"oops"'), "entry 2 of 'nodes' in chapter 'one' must be a table ([[chapters.nodes]]), not a string"),
        (line_of(text, "spekaer"), "unknown key 'spekaer' in node 'done'; did you mean 'speaker'?"),
    ]
