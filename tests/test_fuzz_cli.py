"""A seeded mutation loop through the real entry point: shipped scenarios and a real save,
cut, spliced and sprinkled with hostile bytes, must each give a located error or play,
never a traceback, a hang or a raw control character on any output.

In-process (`cli.main`) so that a hundred cases take seconds; the alarm only turns a hang
into a failure, it measures nothing."""

from __future__ import annotations

import io
import random
import re
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from hostile import RAW, played_save

from scenario_game import cli

ROOT = Path(__file__).parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
SEED = 20261201
INSERTS = [
    "\x1b]52;c;aGk=\x07", "\u202e", "\x9b", "\x00", "\r", "[", "]", "{", "}", '"', "'", '"""', "\\", ".",
    "=", ",", "\n", "#", "9" * 40, "9" * 4400, "-", "%+", "=9999999999999999999", "[[", "]]",
    "[/nope] [@click=app.quit]x[/]", "a." * 40 + "b = 1\n", "[" * 3000, "\udcff",
]


def mutate(text: str, rng: random.Random) -> str:
    """A few random edits: cut a span, repeat a line, insert something hostile, change a number."""
    for _ in range(rng.randint(1, 4)):
        if not text:
            break
        kind = rng.randrange(5)
        at = rng.randrange(len(text))
        if kind == 0:
            text = text[:at] + text[at + rng.randint(1, 80):]
        elif kind == 1:
            lines = text.split("\n")
            index = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines)), lines[index])
            text = "\n".join(lines)
        elif kind == 2:
            text = text[:at] + rng.choice(INSERTS) + text[at:]
        elif kind == 3:
            numbers = list(re.finditer(r"-?[0-9]+", text))
            if numbers:
                number = rng.choice(numbers)
                text = text[: number.start()] + rng.choice(["0", "-1", "101", "9" * 19, "9" * 5000, "1_000"]) + text[number.end():]
        else:
            text = text[:at]
    return text


@contextmanager
def no_hang(what: str):
    def alarm(signum, frame):
        raise AssertionError(f"hung: {what}")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(120)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_main(args: list[str], capsys, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with no_hang(" ".join(args)):
        try:
            status = cli.main(args)
        except SystemExit as exc:  # argparse's own refusals
            status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def assert_safe(out: str, err: str, args) -> None:
    assert not RAW.findall(out) and not RAW.findall(err), (args, RAW.findall(out + err)[:5])
    assert "Traceback" not in err, (args, err[-2000:])


def located(path: Path, text: str) -> bool:
    pattern = re.compile(rf"^{re.escape(str(path))}:\d+: (error|warning): \S")
    return all(pattern.match(line) for line in text.splitlines() if line.strip())


@pytest.mark.parametrize("source", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_mutated_scenarios_give_located_errors_or_play(source, tmp_path, capsys, monkeypatch):
    rng = random.Random(f"{SEED}-{source.name}")
    original = source.read_text("utf-8")
    for case in range(12):
        path = tmp_path / f"mutant-{case}.toml"
        path.write_bytes(mutate(original, rng).encode("utf-8", "surrogateescape"))
        status, out, err = run_main(["check", str(path)], capsys, monkeypatch)
        assert status in (0, 1), (case, status, err)
        assert_safe(out, err, case)
        assert located(path, out), (case, out[:2000])
        choices = ",".join(str(rng.randint(1, 4)) for _ in range(rng.randint(0, 30)))
        for args in (["stats", str(path)], ["graph", "--format", rng.choice(["dot", "mermaid"]), str(path)],
                     ["play", str(path), "--plain", "--no-save", *(["--choices", choices] if choices else [])]):
            status, out, err = run_main(args, capsys, monkeypatch)
            assert status in (0, 1, 2, 3, 4), (case, args, status, err)
            assert_safe(out, err, args)
            if status == 1 and args[0] == "play":
                assert located(path, err), (case, err[:2000])


def test_mutated_saves_are_refused_with_a_sentence_or_used(tmp_path, capsys, monkeypatch):
    saves = tmp_path / "saves"
    example = ROOT / "tests" / "fixtures" / "format_example.toml"
    original = played_save(tmp_path, saves).read_text("utf-8")
    rng = random.Random(SEED)
    for case in range(40):
        for old in saves.glob("*.toml"):
            old.unlink()
        save = saves / f"mutant-{case}.toml"
        save.write_bytes(mutate(original, rng).encode("utf-8", "surrogateescape"))
        status, out, err = run_main(["runs", "--saves", str(saves)], capsys, monkeypatch)
        assert status == 0, (case, err)
        assert_safe(out, err, case)
        for args in (["play", str(example), "--plain", "--no-save", "--resume", save.name, "--saves", str(saves), "--choices", "1,1,1"],
                     ["compare", save.name, save.name, "--saves", str(saves)]):
            status, out, err = run_main(args, capsys, monkeypatch)
            assert status in (0, 2, 3, 4, 5), (case, args, status, err)
            assert_safe(out, err, args)
            if status == 5:
                assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, (case, err)
