"""The save survives `kill -9`: a writer saving over and over is killed at moments picked
by a seeded draw (after its k-th save, so usually in the middle of the next), and every
time the file on disk is a whole save, the last one written or the next. Nothing here
waits on the clock, so a busy machine changes where the kills land, not the verdict."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scenario_game import runs

pytestmark = pytest.mark.slow

WRITER = textwrap.dedent(
    """
    import os, stat, sys, attrs
    from scenario_game import engine, runs
    from scenario_game.loader import load_scenario
    from scenario_game.session import Session

    real_fsync = os.fsync

    def fsync(fd):
        # The new save is whole in its temporary file and not yet in place: say so and
        # wait for the test, which answers to go on or kills the writer right here.
        if stat.S_ISREG(os.fstat(fd).st_mode):
            print("sync", flush=True)
            sys.stdin.readline()
        real_fsync(fd)

    os.fsync = fsync
    scenario = load_scenario(sys.argv[1])
    path = sys.argv[2]
    recorder = runs.Recorder(scenario, "scratch")
    Session(scenario, observers=[recorder]).start()  # a chapter starts: nothing is saved before a reply
    state = engine.start(scenario)
    before = state
    after, outcome = engine.choose(scenario, state, engine.open_choices(scenario, state)[0])
    run = attrs.evolve(recorder.run, path=path)
    step = runs.Step(1, state.chapter, state.node, 1, 0, outcome.choice.text, "curious", "Curious", "constructive", tuple(before.meters), tuple(after.meters))
    run = attrs.evolve(run, steps=tuple(attrs.evolve(step, number=i + 1) for i in range(400)))
    n = int(sys.argv[3])
    print("ready", flush=True)
    while True:
        n += 1
        runs.save(attrs.evolve(run, replay_of=f"v{n}"))
        print(n, flush=True)
    """
)

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"


def test_kill_9_leaves_the_old_save_or_the_new_one(tmp_path):
    save = tmp_path / "run.toml"
    rng = random.Random(4)
    last = 0
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    killed_mid_write = 0
    for round_ in range(25):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(FIXTURE), str(save), str(last)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=env,
        )
        assert writer.stdout.readline().strip() == "ready"
        mid_write = rng.random() < 0.5  # else killed as soon as its last save is reported
        saves_to_finish = rng.randint(0 if mid_write else 1, 3)
        finished = last
        while True:
            line = writer.stdout.readline().strip()
            assert line, "the writer stopped by itself"
            if line == "sync":
                if finished - last == saves_to_finish and mid_write:
                    break  # killed with the next save whole in its temporary file
                writer.stdin.write("\n")
                writer.stdin.flush()
                continue
            finished = int(line)
            if finished - last == saves_to_finish and not mid_write:
                break
        os.kill(writer.pid, signal.SIGKILL)
        writer.communicate()
        killed_mid_write += mid_write
        if mid_write:  # its own temporary file is left; earlier writers' ones its saves removed
            assert len([p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]) == 1
        if not save.exists():
            assert finished == 0, "the save vanished"
            continue
        run = runs.read_run(save)  # raises if the file is half written
        version = int(run.replay_of.removeprefix("v"))
        # Killed before its next save was in place: the last one reported. Killed right
        # after a report: that one, or the next if its rename beat the kill.
        assert version == finished if mid_write else version in (finished, finished + 1), (round_, version, finished)
        assert len(run.steps) == 400
        last = version
    assert killed_mid_write > 0 and last > 0
    runs.save(runs.read_run(save))  # the next save in the folder removes them (their writers are dead)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    listed = runs.list_runs(tmp_path)
    assert [s.name for s in listed] == ["run.toml"] and listed[0].readable  # temporary files are never listed
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".toml") and p.name != "run.toml"]
