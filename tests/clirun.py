"""Run `python -m scenario_game ARGS` for a test, in this process.

A new Python process per command cost the suite most of its time (about 0.2 s of start-up
each, hundreds of times). `scenario_game(*args)` calls the same `main()` the console script
and `python -m scenario_game` call, with its own standard streams, environment, current
folder and `sys.argv`, and gives back a `subprocess.CompletedProcess` just as
`subprocess.run(..., capture_output=True)` would: the exit status `sys.exit` would give
(2 for a usage error, 1 and the traceback on standard error for an uncaught exception),
output as bytes or as text with the same decoding and newline handling.

What only a real process shows (a closed or full standard output, a reader that goes away,
Ctrl-C, a terminal, the imports a command pulls in) is tested with real processes
elsewhere; and with SCENARIO_GAME_TEST_PROCESSES=1 every call here starts a real process
too, which CI does once for the CLI test files (`.ci/run`).
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
import traceback
from pathlib import Path

import scenario_game
from scenario_game import cli

REAL_PROCESSES = os.environ.get("SCENARIO_GAME_TEST_PROCESSES", "") not in ("", "0")
COMMAND = [sys.executable, "-m", "scenario_game"]
MAIN_FILE = str(Path(scenario_game.__file__).with_name("__main__.py"))


@functools.cache
def _stream_settings() -> tuple[str, str, str, str]:
    """How a child Python would set up its piped streams here: encoding and error handlers
    of standard input, output and error (they follow the locale and UTF-8 mode)."""
    code = "import sys; print(sys.stdin.encoding, sys.stdin.errors, sys.stdout.errors, sys.stderr.errors)"
    result = subprocess.run([sys.executable, "-c", code], stdin=subprocess.PIPE, capture_output=True, text=True, timeout=60)
    encoding, stdin_errors, stdout_errors, stderr_errors = result.stdout.split()
    return encoding, stdin_errors, stdout_errors, stderr_errors


def scenario_game(
    *args: str,
    input: str | bytes | None = None,
    text: bool = True,
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """`scenario-game ARGS` with `input` on standard input (nothing when None), in `cwd`,
    with `env` as the whole environment (this process's when None)."""
    args = [os.fspath(a) for a in args]
    if REAL_PROCESSES:
        return subprocess.run(
            [*COMMAND, *args],
            input=input if input is not None else ("" if text else b""),
            capture_output=True, text=text, env=env, cwd=cwd, timeout=timeout,
        )
    encoding, stdin_errors, stdout_errors, stderr_errors = _stream_settings()
    data = input if input is not None else b""
    if isinstance(data, str):
        data = data.encode(encoding, stdin_errors)
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors=stdin_errors)
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding=encoding, errors=stdout_errors)
    stderr = io.TextIOWrapper(err, encoding=encoding, errors=stderr_errors, line_buffering=True)

    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_argv, saved_env, saved_cwd = sys.argv, dict(os.environ), os.getcwd()
    try:
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
        sys.argv = [MAIN_FILE, *args]
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        try:
            status = _exit_status(cli.main(args))
        except SystemExit as exc:
            status = _exit_status(exc.code)
        except BaseException:  # what Python does with an uncaught exception at the top
            traceback.print_exc(file=stderr)
            status = 1
        for stream in (stdout, stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        sys.argv = saved_argv
        if env is not None:
            os.environ.clear()
            os.environ.update(saved_env)
        os.chdir(saved_cwd)
    stdout_bytes, stderr_bytes = out.getvalue(), err.getvalue()
    if not text:
        return subprocess.CompletedProcess([*COMMAND, *args], status, stdout_bytes, stderr_bytes)
    return subprocess.CompletedProcess([*COMMAND, *args], status, _as_text(stdout_bytes, encoding), _as_text(stderr_bytes, encoding))


def _exit_status(code: object) -> int:
    """The status `sys.exit(code)` ends a process with; a message code goes to stderr."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _as_text(data: bytes, encoding: str) -> str:
    """What `subprocess.run(..., text=True)` reads: decoded, with universal newlines."""
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding).read()
