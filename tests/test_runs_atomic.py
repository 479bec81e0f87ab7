"""The save survives `kill -9`: a writer saving over and over is killed at random moments,
and every time the file on disk is a whole save, the last one written or the next."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from scenario_game import runs

pytestmark = pytest.mark.slow

WRITER = textwrap.dedent(
    """
    import sys, attrs
    from scenario_game import engine, runs
    from scenario_game.loader import load_scenario

    scenario = load_scenario(sys.argv[1])
    path = sys.argv[2]
    state = engine.start(scenario)
    recorder = runs.Recorder(scenario, "scratch")
    recorder.on_chapter(state)
    before = state
    after, outcome = engine.choose(scenario, state, engine.open_choices(scenario, state)[0])
    recorder.on_step(before, after, outcome, 1)
    run = recorder.run
    step = run.steps[0]
    # A large run, so that a write takes long enough to be interrupted in the middle.
    run = attrs.evolve(run, steps=tuple(attrs.evolve(step, number=i + 1) for i in range(400)), path=path)
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
    for round_ in range(25):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(FIXTURE), str(save), str(last)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=env,
        )
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(writer.pid, signal.SIGKILL)
        output = writer.communicate()[0].split()
        writer.wait()
        written = [int(n) for n in output if n.isdigit()]
        finished = written[-1] if written else last
        if not save.exists():
            assert last == 0 and finished == 0, "the save vanished"
            continue
        run = runs.read_run(save)  # raises if the file is half written
        version = int(run.replay_of.removeprefix("v"))
        assert version in (finished, finished + 1), (round_, version, finished)
        assert len(run.steps) == 400
        last = version
    assert last > 25, "the writer never got going"
    interrupted = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    print(f"{len(interrupted)} of 25 kills landed in the middle of a write")
    listed = runs.list_runs(tmp_path)
    assert [s.name for s in listed] == ["run.toml"] and listed[0].readable  # temporary files are never listed
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".toml") and p.name != "run.toml"]
