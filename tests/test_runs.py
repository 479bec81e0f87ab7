"""Runs: the record, its TOML save, the reader's refusals, and replay from a chapter snapshot."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from scenario_game import engine, runs
from scenario_game.progress import Names, run_name
from scenario_game.loader import load_scenario
from scenario_game.session import Session

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"


@pytest.fixture
def scenario():
    return load_scenario(str(FIXTURE))


def play(scenario, numbers, recorder=None, chapter=None, single=False, session=None):
    """Play reply numbers (as shown, from 1) in a play session, with the recorder observing it."""
    session = session or Session(scenario, chapter=chapter, single_chapter=single)
    if recorder:
        session.watch(recorder)
    if not session.started:
        session.start()
    for number in numbers:
        while session.state.status == engine.CHAPTER_END and not single:
            session.go_on()
        session.take(number)
    if session.state.status == engine.CHAPTER_END and not single:
        session.go_on()
    return session.state


def test_round_trip_keeps_every_field(scenario, tmp_path):
    recorder = runs.Recorder(scenario, tmp_path)
    final = play(scenario, [2, 2, 1], recorder)
    assert final.status == engine.ENDED
    saved = Path(recorder.path)
    assert saved.parent == tmp_path and saved.suffix == ".toml"
    text = saved.read_text()
    assert text.startswith("save_version = 1\n")
    read = runs.read_run(saved)
    assert read == recorder.run
    assert read.scenario_id == "format_example" and read.title == "The Quiet Dinner"
    assert read.digest == runs.file_digest(FIXTURE) == scenario.digest
    assert [c.chapter for c in read.chapters] == ["monday", "tuesday"]
    assert read.chapters[0].snapshot.meters == (("trust", 40), ("closeness", 30))
    assert read.chapters[1].first_step == 2
    assert "noticed_phone" in read.chapters[1].snapshot.flags
    steps = read.steps
    assert [(s.chapter, s.node, s.shown, s.index) for s in steps] == [
        ("monday", "dinner", 2, 1),
        ("tuesday", "tuesday-start", 2, 1),
        ("tuesday", "tuesday-start", 1, 0),
    ]
    assert steps[0].text == "I've been missing you lately. Can we talk while we eat?"
    assert (steps[0].style, steps[0].style_label, steps[0].tone) == ("i-statement", "I-statement", "constructive")
    assert steps[0].before == (("trust", 40), ("closeness", 28))
    assert steps[0].after == (("trust", 45), ("closeness", 42))
    assert read.position.status == engine.ENDED and read.ending == final.ending
    assert read.finished
    assert "tuesday-start#1" in read.position.taken
    assert read.updated >= read.created


def test_no_file_until_the_first_choice(scenario, tmp_path):
    recorder = runs.Recorder(scenario, tmp_path / "saves")
    Session(scenario, observers=[recorder]).start()
    assert recorder.path is None
    assert not (tmp_path / "saves").exists()


def test_new_runs_never_take_another_runs_file(scenario, tmp_path):
    paths = set()
    for _ in range(5):  # all in the same second: the names must still differ
        recorder = runs.Recorder(scenario, tmp_path)
        play(scenario, [1], recorder)
        paths.add(recorder.path)
    assert len(paths) == 5
    assert len(list(tmp_path.glob("*.toml"))) == 5
    assert not [p for p in tmp_path.iterdir() if not p.name.endswith(".toml")], "temporary files left behind"


def test_exclusive_write_refuses_an_existing_file(tmp_path):
    target = tmp_path / "a.toml"
    target.write_text("keep me")
    with pytest.raises(FileExistsError):
        runs.atomic_write(target, "save_version = 1\n", exclusive=True)
    assert target.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["a.toml"]


def test_a_failed_save_is_reported_and_play_goes_on(scenario, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    messages = []
    recorder = runs.Recorder(scenario, blocker, on_error=messages.append)
    play(scenario, [2, 2], recorder)
    assert len(messages) == 1 and "could not be saved" in messages[0]
    assert recorder.problem


def test_resume_state_goes_on_like_the_original(scenario, tmp_path):
    recorder = runs.Recorder(scenario, tmp_path)
    play(scenario, [1], recorder)  # monday ends; the run stops at the chapter's end
    run = runs.read_run(recorder.path)
    assert not run.finished
    resumed = Session(scenario, history=(run.chapters, run.steps, run.position))
    straight = play(scenario, [1, 2, 1])
    again = play(scenario, [2, 1], session=resumed)
    assert again.meters == straight.meters and again.ending == straight.ending


def test_replay_from_a_chapter_snapshot_matches_playing_there(scenario, tmp_path):
    recorder = runs.Recorder(scenario, tmp_path)
    play(scenario, [1, 2, 1], recorder)
    run = runs.read_run(recorder.path)
    replay = run.replay_from(scenario, "tuesday")
    straight = engine.next_chapter(scenario, play(scenario, [1], single=True))
    assert replay.meters == straight.meters
    assert replay.flags == straight.flags
    assert replay.visits == straight.visits
    assert replay.node == straight.node == "tuesday-start"
    # and playing the same choices from there ends the same way
    a = play(scenario, [2, 1], session=Session(scenario, snapshot=run.chapter_start("tuesday").snapshot, single_chapter=True), single=True)
    b = play(scenario, [2, 1], session=Session(scenario, snapshot=straight.chapter_start, single_chapter=True), single=True)
    assert a.meters == b.meters == run.steps[-1].after
    # the first chapter's snapshot is the state before its entry effects ran
    first = run.replay_from(scenario, "monday")
    assert first.meters == engine.start(scenario).meters == (("trust", 40), ("closeness", 28))
    with pytest.raises(runs.SaveError, match="never started chapter"):
        runs.read_run(recorder.path).replay_from(scenario, "sunday")


def test_once_only_choices_stay_taken_in_a_replay(scenario, tmp_path):
    recorder = runs.Recorder(scenario, tmp_path)
    play(scenario, [1, 2], recorder)  # tuesday: the once-only "turn on the TV" is taken
    run = runs.read_run(recorder.path)
    assert run.position.taken == frozenset({"tuesday-start#1"})
    resumed = run.resume_state()
    assert [c.index for c in engine.open_choices(scenario, resumed)] == [0]


# --- the reader's refusals ------------------------------------------------------------


def a_save(scenario, folder) -> Path:
    recorder = runs.Recorder(scenario, folder)
    play(scenario, [2], recorder)
    return Path(recorder.path)


@pytest.mark.parametrize(
    "mangle, reason",
    [
        (lambda text: text[: len(text) // 2], "damaged"),
        (lambda text: "", "empty"),
        (lambda text: text.replace("save_version = 1", "save_version = 99"), "newer"),
        (lambda text: text.replace("save_version = 1", "save_version = 0"), "older"),
        (lambda text: text.replace("save_version = 1", 'save_version = "1"'), "must be an integer"),
        (lambda text: text.replace("save_version = 1\n", ""), "no top-level `save_version`"),
        (lambda text: text.replace("[end]\nsteps = 1", "[end]\nsteps = 4"), "truncated"),
        (lambda text: text[: text.index("[end]")], "truncated"),
        (lambda text: text.replace('status = "choosing"', 'status = "dancing"'), "unknown status"),
        (lambda text: 'format = 1\n[scenario]\ntitle = "x"\n', "scenario file"),
    ],
)
def test_broken_saves_are_refused_with_a_reason(scenario, tmp_path, mangle, reason):
    path = a_save(scenario, tmp_path)
    path.write_text(mangle(path.read_text()))
    before = path.read_bytes()
    with pytest.raises(runs.SaveError, match=reason):
        runs.read_run(path)
    assert path.read_bytes() == before


def test_truncation_at_every_line_is_never_read_as_a_good_save(scenario, tmp_path):
    path = a_save(scenario, tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    for cut in range(len(lines) - 1):
        text = "".join(lines[: cut + 1])
        with pytest.raises(runs.SaveError):
            runs.run_from_toml(text)


def test_list_runs_reports_unreadable_saves_and_keeps_the_rest(scenario, tmp_path):
    good = a_save(scenario, tmp_path)
    (tmp_path / "truncated.toml").write_text(good.read_text()[:200])
    (tmp_path / "newer.toml").write_text(good.read_text().replace("save_version = 1", "save_version = 2"))
    (tmp_path / "foreign.toml").write_text('[tool.black]\nline-length = 88\n')
    (tmp_path / "binary.toml").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "notes.txt").write_text("not a save")
    (tmp_path / ".x.toml.123.tmp").write_text("half")
    snapshot = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    found = runs.list_runs(tmp_path)
    by_name = {s.name: s for s in found}
    assert set(by_name) == {good.name, "truncated.toml", "newer.toml", "foreign.toml", "binary.toml"}
    assert by_name[good.name].readable and not by_name[good.name].scenario_changed
    assert "newer Reconnect" in by_name["newer.toml"].problem
    assert "not a Reconnect save" in by_name["foreign.toml"].problem
    assert "UTF-8" in by_name["binary.toml"].problem
    assert by_name["truncated.toml"].problem
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == snapshot  # nothing changed or deleted


def test_a_changed_scenario_file_is_flagged(scenario, tmp_path):
    copy = tmp_path / "quiet.toml"
    shutil.copy(FIXTURE, copy)
    changed = load_scenario(str(copy))
    saves = tmp_path / "saves"
    recorder = runs.Recorder(changed, saves)
    play(changed, [2], recorder)
    assert runs.list_runs(saves)[0].scenario_state == runs.SAME
    copy.write_text(copy.read_text().replace("Sam goes to bed early.", "Sam goes to bed."))
    assert runs.list_runs(saves)[0].scenario_state == runs.CHANGED
    copy.unlink()
    assert runs.list_runs(saves)[0].scenario_state == runs.MISSING


def test_list_runs_of_a_missing_folder_is_empty(tmp_path):
    assert runs.list_runs(tmp_path / "nowhere") == []
    assert not (tmp_path / "nowhere").exists()


def test_latest_unfinished_skips_finished_and_other_scenarios(scenario, tmp_path):
    finished = runs.Recorder(scenario, tmp_path)
    play(scenario, [2, 1], finished)
    assert finished.run.finished
    unfinished = runs.Recorder(scenario, tmp_path)
    play(scenario, [2], unfinished)
    latest = runs.latest_unfinished(tmp_path, FIXTURE, scenario.id)
    assert latest is not None and latest.path == unfinished.path
    assert runs.latest_unfinished(tmp_path, "elsewhere/other.toml", "other") is None


def test_plan_play_refuses_what_it_cannot_do(scenario, tmp_path):
    with pytest.raises(runs.SaveError, match="no unfinished run"):
        runs.plan_play(scenario, tmp_path, resume=runs.LATEST)
    with pytest.raises(runs.SaveError, match="needs --chapter"):
        runs.plan_play(scenario, tmp_path, from_run="x.toml")
    with pytest.raises(runs.SaveError, match="no such save"):
        runs.plan_play(scenario, tmp_path, chapter="monday", from_run="x.toml")
    single = runs.Recorder(scenario, tmp_path, mode=runs.CHAPTER)
    play(scenario, [2], single, chapter="monday", single=True)
    with pytest.raises(runs.SaveError, match="never started chapter 'tuesday'"):
        runs.plan_play(scenario, tmp_path, chapter="tuesday", from_run=Path(single.path).name)
    with pytest.raises(runs.SaveError, match="nothing left to play"):
        runs.plan_play(scenario, tmp_path, resume=Path(single.path).name)


def test_names_are_safe_file_names(scenario):
    import datetime as dt

    when = dt.datetime(2026, 1, 2, 3, 4, 5)
    assert runs.new_save_name("after-the-argument", when, 0) == "after-the-argument-20260102-030405.toml"
    assert runs.new_save_name("../../etc", when, 2) == "etc-20260102-030405-3.toml"
    assert os.sep not in runs.new_save_name("a/b", when, 0)


def test_replaying_a_chapter_in_the_same_game_forks_a_new_run(scenario, tmp_path):
    recorder = runs.Recorder(scenario, tmp_path)
    session = Session(scenario, single_chapter=True)
    play(scenario, [1], recorder, single=True, session=session)  # monday played, at its end
    first = recorder.path
    kept = Path(first).read_bytes()
    session.replay_chapter()
    assert len(list(tmp_path.glob("*.toml"))) == 1  # the replay is saved once a reply is taken in it
    play(scenario, [2], single=True, session=session)
    assert recorder.path != first
    assert Path(first).read_bytes() == kept  # the first attempt is kept as it was
    second = runs.read_run(recorder.path)
    assert second.replay_of == Path(first).name
    assert [s.index for s in second.steps] == [1]
    assert second.chapters[0].snapshot == runs.read_run(first).chapters[0].snapshot


def test_runs_and_compare_import_no_textual_or_rich():
    import subprocess
    import sys

    code = (
        "import sys, scenario_game.runs, scenario_game.compare;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_any_mangled_save_is_read_or_refused_never_crashes(scenario, tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    text = a_save(scenario, tmp_path).read_text()

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.integers(0, len(text)), st.integers(0, len(text)), st.text(max_size=12))
    def mangled(start, end, insert):
        start, end = sorted((start, end))
        try:
            run = runs.run_from_toml(text[:start] + insert + text[end:])
        except runs.SaveError:
            return
        assert isinstance(run, runs.Run)
        run_name(run, Names.of(None))  # a run that reads is also one that can be described

    mangled()


def test_save_text_kept_part_by_part_is_the_whole_document(scenario, tmp_path):
    """The recorder serialises each step once; the file is still the one whole TOML document."""
    import tomllib

    import attrs

    recorder = runs.Recorder(scenario, tmp_path)
    play(scenario, [2, 1], recorder)
    run = recorder.run
    text = runs.SaveText()
    assert text.text(run) == runs.run_to_toml(run)
    longer = attrs.evolve(run, steps=run.steps + (attrs.evolve(run.steps[-1], number=len(run.steps) + 1, written="my own words"),))
    assert text.text(longer) == runs.run_to_toml(longer)
    # A record that is not an extension of the last one (steps replaced) is written afresh.
    rewritten = attrs.evolve(run, steps=(attrs.evolve(run.steps[0], text="other words"),))
    assert text.text(rewritten) == runs.run_to_toml(rewritten)
    assert tomllib.loads(Path(recorder.path).read_text())["end"] == {"steps": len(run.steps), "chapters": len(run.chapters)}
    assert runs.run_from_toml(text.text(longer)).steps[-1].written == "my own words"
