"""The `scenario-game` command: the TUI by default, and play/check/... subcommands.

Each subcommand is a small function that returns an exit status; nothing here
imports Textual unless the TUI is asked for.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .safetext import OutputError, SafeStream, json_text

EXIT_INVALID = 1
EXIT_SAVE = 5  # a save that cannot be read or used, or runs that cannot be compared
EXIT_BROKEN_PIPE = 141  # as a Unix tool killed by SIGPIPE


def _stdout() -> SafeStream:
    """Standard output through the one output rule: text from files is shown, never obeyed."""
    return SafeStream(sys.stdout)


def _out(text: str = "", stream=None) -> None:
    SafeStream(stream or sys.stdout).write(text + "\n")


def _err(text: str) -> None:
    _stdout().flush()
    if sys.stderr is not None:
        SafeStream(sys.stderr).write(text + "\n")


# --- check -------------------------------------------------------------------------


def scenario_files(paths: list[str]) -> list[str]:
    """Files named, and every `*.toml` below each folder named, in a stable order."""
    found: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(str(p) for p in sorted(path.rglob("*.toml")) if p.is_file())
        else:
            found.append(raw)
    return found


def cmd_check(args: argparse.Namespace) -> int:
    from .checking import check_path

    files = scenario_files(args.paths)
    errors = warnings = 0
    data = []
    for path in files:
        problems, report = check_path(path, exact=args.report or args.json)
        if args.json:
            data.append({"path": path, "problems": [{"path": p.path, "line": p.line, "severity": p.severity, "message": p.message} for p in problems], "report": report and report.as_data()})
        else:
            for problem in problems:
                _out(str(problem))
            if args.report and report is not None:
                _out(f"{path}: report")
                for line in report.lines():
                    _out(f"  {line}")
        errors += sum(p.severity == "error" for p in problems)
        warnings += sum(p.severity == "warning" for p in problems)
        if report is not None and report.search_exhausted and not args.json:
            _err(f"note: {path}: the search for runs that show dead ends and loops reached its limit; some may not be reported")
    if args.json:
        _out(json_text({"files": data, "errors": errors, "warnings": warnings}, indent=2))
    if not files:
        _err(f"no scenario files (*.toml) found in {' '.join(args.paths)}")
        return EXIT_INVALID
    count = f"{len(files)} file{'s' if len(files) != 1 else ''}"
    if errors or warnings:
        _err(f"{count} checked: {errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}")
    else:
        _err(f"{count} checked: clean")
    return EXIT_INVALID if errors else 0


# --- play --------------------------------------------------------------------------


def load_or_report(path: str):
    """The scenario, or None after printing its errors to stderr (play needs no flow
    analysis: that is `check`'s work, and on a big story it costs more than the load)."""
    from .loader import load_path

    result = load_path(path, analyse=False)
    if result.scenario is None:
        for problem in result.problems:
            _err(str(problem))
        return None
    return result.scenario


def resolve_story(args: argparse.Namespace) -> bool:
    """Turn `play NAME` into a file: a path as given, or a story id (a file's name without
    `.toml`) from your scenarios folder or the bundled stories. False after saying why not."""
    from .library import find_story, known_ids

    name = args.story = args.file
    found = find_story(name, args.scenarios)
    if found is not None:
        args.file = str(found)
        return True
    path = Path(name)
    if path.suffix or os.sep in name or (os.altsep and os.altsep in name):
        return True  # a path: the loader says what is wrong with it, with its location
    from .conditions import did_you_mean

    ids = known_ids(args.scenarios)
    _err(f"error: no story {name!r} (as a file or a story id){did_you_mean(name, ids)} Stories: {', '.join(ids) or 'none found'} (scenario-game list shows them)")
    return False


def cmd_play(args: argparse.Namespace) -> int:
    if not resolve_story(args):
        return EXIT_INVALID
    if not args.plain:
        if has_terminal():
            return _play_tui(args)
        if getattr(args, "watch", False):
            _err("error: --watch needs a terminal (it reloads the scenario in the TUI)")
            return 2
        _err("note: no terminal here (standard input or output is not one, or TERM=dumb), so playing as plain text (--plain)")
        args.plain = True
    if getattr(args, "watch", False):
        _err("error: --watch reloads the scenario in the TUI; drop --plain to use it")
        return 2
    from . import engine
    from .plain import PlainExit, PlainPlayer, choice_numbers, stdin_source

    scenario = load_or_report(args.file)
    if scenario is None:
        return EXIT_INVALID
    if args.chapter is not None and args.chapter not in {c.id for c in scenario.chapters}:
        from .conditions import did_you_mean

        known = [c.id for c in scenario.chapters]
        _err(f"error: no chapter {args.chapter!r} in {args.file}{did_you_mean(args.chapter, known)}; chapters: {', '.join(known)}")
        return 2
    from .runs import Recorder, SaveError, plan_play

    try:
        plan = plan_play(scenario, args.saves, scenario_file=args.file, chapter=args.chapter, resume=args.resume, from_run=args.from_run)
    except SaveError as exc:
        _err(f"error: {exc}")
        return EXIT_SAVE
    for note in plan.notes:
        _err(note)
    recorder = None
    if not args.no_save:
        recorder = Recorder(scenario, args.saves, run=plan.run, mode=plan.mode, replay_of=plan.replay_of, on_error=lambda m: _err(f"warning: {m}"))
    scripted = choice_numbers(args.choices) if args.choices else []
    source = stdin_source(scripted)
    session = plan.session(
        scenario, seed=reply_seed(args, scripted=bool(scripted) or not source.interactive), keep_words=args.keep_words, observers=[recorder] if recorder else []
    )
    player = PlainPlayer(session, source, _stdout())
    _out(scenario.title)
    if scenario.summary:
        _out(scenario.summary)
    _out()
    try:
        state = player.play()
    except PlainExit as exc:
        from .plain import EXIT_INPUT_ENDED

        _err(exc.message)
        if exc.status == EXIT_INPUT_ENDED:
            _err("Input ended before the story did (Ctrl-D, or the end of piped input); the run is kept where it stopped.")
        _report_save(recorder, args.story, stopped=True)
        return exc.status
    if state.status == engine.ENDED:
        player.show_ending(state)
    _out()
    _out(player.final_line(state))
    _report_save(recorder, args.story)
    return 0


def reply_seed(args: argparse.Namespace, *, scripted: bool) -> int | None:
    """The shuffle of a new run's replies: `--seed N`; none (file order) with `--in-order`
    or for scripted play (`--choices`, or piped input), so scripts keep the file's numbers;
    else a fresh one, so each interactive run shows its replies in its own order."""
    if getattr(args, "in_order", False):
        return None
    if getattr(args, "seed", None) is not None:
        return args.seed
    if scripted:
        return None
    import secrets

    return secrets.randbelow(1_000_000)


def _report_save(recorder, scenario_file: str, stopped: bool = False) -> None:
    """One line on stderr saying where the run went, so stdout keeps its last line."""
    if recorder is not None and stopped and (recorder.run is None or recorder.path is None):
        _err("Nothing was saved: a run is saved from its first reply.")
        return
    if recorder is None or recorder.run is None or recorder.path is None:
        return
    if recorder.problem:
        _err(f"warning: {recorder.problem}")
    elif recorder.run.finished:
        _err(f"run saved to {recorder.path}")
    else:
        _err(f"run saved to {recorder.path} (go on with: scenario-game play {scenario_file} --plain --resume)")


# --- list and runs -----------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from .library import listing

    for line in listing(args.scenarios, args.saves):
        _out(line)
    return 0


# --- runs --------------------------------------------------------------------------


def cmd_runs(args: argparse.Namespace) -> int:
    from .progress import runs_listing
    from .runs import SaveError, list_runs

    try:
        saved = list_runs(args.saves)
    except SaveError as exc:
        _err(f"error: {exc}")
        return EXIT_SAVE
    for line in runs_listing(saved, args.saves, width=output_width()):
        _out(line)
    return 0


def output_width() -> int:
    """Columns for wrapped output: the terminal's (or $COLUMNS), at most 100."""
    import shutil

    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns))


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import CompareError, common_chapters, compare_all, compare_runs, pick_chapter, render
    from .progress import load_names
    from .runs import SaveError, find_save, read_run

    loaded = []
    for label, name in (("A", args.save_a), ("B", args.save_b)):
        try:
            loaded.append(read_run(find_save(name, args.saves)))
        except SaveError as exc:
            _err(f"error: save {label} ({name}): {exc}")
            return EXIT_SAVE
    run_a, run_b = loaded
    names = load_names(run_a)
    try:
        if run_a.scenario_id != run_b.scenario_id:
            compare_runs(run_a, run_b, None, names)  # raises, saying why
        both = sorted(common_chapters(run_a, run_b), key=lambda c: names.chapter_number(c) or 0)
        if args.chapter is not None:
            comparisons = [compare_runs(run_a, run_b, pick_chapter(args.chapter, both, names), names)]
        else:
            comparisons = compare_all(run_a, run_b, names)
    except CompareError as exc:
        _err(f"error: {exc}")
        return EXIT_SAVE
    for line in render(comparisons, width=output_width(), all_chapters=both):
        _out(line)
    return 0


def has_terminal() -> bool:
    """Whether the TUI has somewhere to draw: standard input and output are terminals and
    TERM is not `dumb` (or Textual was given another driver, as `serve` does)."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True

    def tty(stream) -> bool:
        try:
            return stream is not None and stream.isatty()
        except (ValueError, OSError):
            return False

    return tty(sys.stdin) and tty(sys.stdout) and os.environ.get("TERM", "") != "dumb"


def _play_tui(args: argparse.Namespace) -> int:
    _pause_garbage_collection()
    from .tui.app import run_app

    return run_app(scenario_file=args.file, args=args)


def cmd_library(args: argparse.Namespace) -> int:
    if not has_terminal():
        _err("error: the library needs a terminal (standard input or output is not one, or TERM=dumb); "
             "list the stories with `scenario-game list`, play one with `scenario-game play ID --plain`")
        return 2
    _pause_garbage_collection()
    from .tui.app import run_app

    return run_app(scenario_file=None, args=args)


def _pause_garbage_collection() -> None:
    """Start-up makes many objects and next to no garbage, and the collector's passes over
    them cost about a tenth of the time to the first screen; the app turns it back on (with
    its start-up objects frozen) once that screen is up."""
    import gc

    gc.disable()


def cmd_serve(args: argparse.Namespace) -> int:
    from .tui.serve import exposure_warning, serve

    warning = exposure_warning(args.host, args.port, args.saves)
    if warning:
        _err(warning)
    _err(f"Reconnect in your browser: http://{args.host}:{args.port}  (runs saved in {args.saves}; Ctrl+C stops)")
    try:
        return serve(args.host, args.port, args.saves, args.scenarios)
    except OSError as exc:
        _err(f"error: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}")
        return EXIT_INVALID


# --- authoring: schema, graph, new, stats ------------------------------------------


def cmd_schema(args: argparse.Namespace) -> int:
    if args.write is not None:
        from .scaffold import SCHEMA_FILE, ScaffoldError, write_schema

        if not Path(args.write).is_dir():
            _err(f"error: {args.write}: no such folder (give the folder of your stories)")
            return EXIT_INVALID
        try:
            path, what = write_schema(args.write)
        except ScaffoldError as exc:
            _err(f"error: {exc}")
            return EXIT_INVALID
        _err(f"{what} {path}: start each story in {args.write} with `#:schema {SCHEMA_FILE}`")
        return 0
    from .schema import schema_text

    _stdout().write(schema_text())
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from .library import docs_folder

    folder = docs_folder()
    pages = sorted(p.stem for p in folder.glob("*.md")) if folder is not None else []
    if args.page is None:
        for page in pages:
            _out(f"{page}\t{folder / (page + '.md')}")
        return 0
    if args.page not in pages:
        _err(f"error: no page {args.page!r}; pages: {', '.join(pages) or 'none installed'}")
        return EXIT_INVALID
    _stdout().write((folder / f"{args.page}.md").read_text(encoding="utf-8"))
    return 0


def _load_for_authoring(path: str):
    """The scenario for graph/stats, or None after printing its errors (like check) on stdout."""
    from .loader import load_path

    result = load_path(path, analyse=False)
    if result.scenario is None:
        for problem in result.errors:
            _out(str(problem))
        _err(f"{path}: cannot be read as a scenario; fix the errors above (scenario-game check {path})")
    return result.scenario


def cmd_graph(args: argparse.Namespace) -> int:
    from .graph import FORMATS

    scenario = _load_for_authoring(args.file)
    if scenario is None:
        return EXIT_INVALID
    _stdout().write(FORMATS[args.format](scenario))
    return 0


def cmd_randomtest(args: argparse.Namespace) -> int:
    from .randomtest import randomtest

    if args.plays < 1:
        _err(f"--plays must be at least 1, not {args.plays}")
        return EXIT_INVALID
    scenario = _load_for_authoring(args.file)
    if scenario is None:
        return EXIT_INVALID
    result = randomtest(scenario, args.plays, args.seed)
    if args.json:
        import json

        _out(json.dumps(result.as_data(scenario), indent=2))
    else:
        for line in result.lines(scenario):
            _out(_printable(line))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, write_starter

    try:
        path, schema = write_starter(args.path)
    except ScaffoldError as exc:
        _err(f"error: {exc}")
        return EXIT_INVALID
    if schema is not None:
        _err(f"wrote {schema}: the schema your editor reads for completion and checks (refresh it with `scenario-game schema --write {schema.parent}`)")
    _err(f"wrote {path}: check it with `scenario-game check {path}`, play it with `scenario-game play {path} --plain`")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .stats import scenario_stats, stats_lines

    scenario = _load_for_authoring(args.file)
    if scenario is None:
        return EXIT_INVALID
    if args.json:
        _out(json_text(scenario_stats(scenario), indent=2))
    else:
        for line in stats_lines(scenario):
            _out(line)
    return 0


def cmd_coach(args: argparse.Namespace) -> int:
    """Read replies in the player's own words: TEXT, or each line of standard input."""
    import json

    from .coach import MAX_REPLY, read, reading_lines
    from .loader import builtin_advice, builtin_styles

    titles = {aid: advice.title for aid, advice in builtin_advice().items()}
    labels = {sid: style.label for sid, style in builtin_styles().items()}
    texts = [args.text] if args.text is not None else (line.rstrip("\r\n")[:MAX_REPLY] for line in sys.stdin)
    for number, text in enumerate(texts):
        reading = read(text[:MAX_REPLY])
        if args.json:
            _out(json.dumps(reading.as_json(), ensure_ascii=True))
            continue
        if number:
            _out("")
        for line in reading_lines(reading, titles, labels):
            _out(_printable(line))
    return 0


def _printable(text: str) -> str:
    """Control characters from the player's words shown escaped, never sent to the terminal."""
    return "".join(ch if ch.isprintable() or ch == "\t" else f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}" for ch in text)


# --- the parser --------------------------------------------------------------------


def _port(text: str) -> int:
    """A TCP port for --port: 0-65535 (the socket layer raised OverflowError beyond that)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, not {port}")
    return port


def build_parser(commands_wanted: set[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `commands_wanted`, only those commands' parsers are
    built (see `commands_asked`: building every one took a tenth of the TUI's start-up)."""

    def wanted(name: str) -> bool:
        return commands_wanted is None or name in commands_wanted

    parser = argparse.ArgumentParser(
        prog="scenario-game",
        description="Reconnect: practise the conversations that rebuild a connection. With no command, opens the library.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--scenarios", metavar="DIR", default="scenarios", help="your own folder of stories, shown beside the bundled ones (default ./scenarios, when there is one)")
    parser.add_argument("--saves", metavar="DIR", default=None, help="folder for saved runs (default $SCENARIO_GAME_SAVES, else your data folder, e.g. ~/.local/share/reconnect/saves)")
    parser.set_defaults(func=cmd_library)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    if wanted("play"):
        play = commands.add_parser("play", help="play a story, by id or file (the TUI, or --plain for text)")
        play.add_argument("file", metavar="ID|FILE", help="a story id from `scenario-game list` (bundled or in your scenarios folder), or a scenario file")
        play.add_argument("--plain", action="store_true", help="play as plain text, without the TUI")
        play.add_argument("--chapter", metavar="ID", help="play only this chapter, from the scenario's starting meters and flags")
        play.add_argument("--choices", metavar="N,N,...", help="choice numbers to take, before reading standard input")
        play.add_argument("--no-save", action="store_true", help="do not save the run")
        order = play.add_mutually_exclusive_group()
        order.add_argument("--seed", metavar="N", type=int, help="shuffle the replies of a new run in the order seed N gives (with --choices, numbers count in that order)")
        order.add_argument("--in-order", action="store_true", help="show replies in the order the file gives them (no shuffle)")
        play.add_argument(
            "--keep-words",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="keep the replies you write in your own words (w at a decision) in the run's save (the default); "
            "--no-keep-words keeps them out (a saved run going on keeps its own setting unless told)",
        )
        play.add_argument("--watch", action="store_true", help="for authors: reload the file when it is saved and replay the run's replies (TUI only; the run is not saved)")
        play.add_argument("--resume", metavar="SAVE", nargs="?", const="", default=None, help="go on with a saved run (default: the latest unfinished run of FILE)")
        play.add_argument("--from-run", metavar="SAVE", help="with --chapter: start that chapter from the state SAVE recorded as it began")
        play.add_argument("--saves", metavar="DIR", default=argparse.SUPPRESS, help="folder for saved runs")
        play.add_argument("--scenarios", metavar="DIR", default=argparse.SUPPRESS, help="your own folder of stories, where ids are looked up before the bundled ones")
        play.set_defaults(func=cmd_play)

    if wanted("serve"):
        served = commands.add_parser("serve", help="play in a web browser: serves the game on http://HOST:PORT (this computer only, by default)")
        served.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
        served.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000)")
        served.add_argument("--saves", metavar="DIR", default=argparse.SUPPRESS, help="folder for the runs played in the browser")
        served.add_argument("--scenarios", metavar="DIR", default=argparse.SUPPRESS, help="your own folder of stories")
        served.set_defaults(func=cmd_serve)

    if wanted("list"):
        listed = commands.add_parser("list", help="the library as plain text: id, title, chapters, where from, your progress")
        listed.add_argument("--saves", metavar="DIR", default=argparse.SUPPRESS, help="folder of saved runs")
        listed.add_argument("--scenarios", metavar="DIR", default=argparse.SUPPRESS, help="your own folder of stories (default ./scenarios, when there is one)")
        listed.set_defaults(func=cmd_list)

    if wanted("runs"):
        runs = commands.add_parser("runs", help="saved runs by story: endings reached, best meters, each run's date and how it ended; unreadable ones with the reason")
        runs.add_argument("--saves", metavar="DIR", default=argparse.SUPPRESS, help="folder of saved runs")
        runs.set_defaults(func=cmd_runs)

    if wanted("compare"):
        compare = commands.add_parser("compare", help="how two runs of a story differed, chapter by chapter, scene by scene")
        compare.add_argument("save_a", metavar="SAVE_A")
        compare.add_argument("save_b", metavar="SAVE_B")
        compare.add_argument("--chapter", metavar="N", help="only this chapter: its number in the story or its title (default: every chapter both runs played)")
        compare.add_argument("--saves", metavar="DIR", default=argparse.SUPPRESS, help="folder of saved runs, for SAVE names without a path")
        compare.set_defaults(func=cmd_compare)

    if wanted("check"):
        check = commands.add_parser("check", help="check scenario files or folders and report every problem")
        check.add_argument("paths", nargs="+", metavar="PATH")
        check.add_argument("--json", action="store_true", help="print the problems and the report as JSON")
        check.add_argument("--report", action="store_true", help="after the problems, show each ending's meter ranges (exact when every run can be played) and each chapter's path count")
        check.set_defaults(func=cmd_check)

    if wanted("schema"):
        schema = commands.add_parser("schema", help="print the JSON Schema of scenario format 1 (for editors), or --write it into a folder")
        schema.add_argument("--write", metavar="DIR", help="place scenario-1.schema.json in DIR, beside your stories, for a relative `#:schema` line")
        schema.set_defaults(func=cmd_schema)

    if wanted("docs"):
        docs = commands.add_parser("docs", help="print a page of the docs (authoring: a tutorial, reference: every key, ...); with no page, list them")
        docs.add_argument("page", metavar="PAGE", nargs="?")
        docs.set_defaults(func=cmd_docs)

    if wanted("graph"):
        graph = commands.add_parser("graph", help="print the story map as a Mermaid or Graphviz DOT graph")
        graph.add_argument("file", metavar="FILE")
        graph.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="mermaid (default) or dot")
        graph.set_defaults(func=cmd_graph)

    if wanted("new"):
        new = commands.add_parser("new", help="write a small, commented starter scenario (never over an existing file)")
        new.add_argument("path", metavar="PATH")
        new.set_defaults(func=cmd_new)

    if wanted("randomtest"):
        randomtest = commands.add_parser("randomtest", help="play many random runs: endings reached and how often, meter ranges, what no run reached, speed")
        randomtest.add_argument("file", metavar="FILE")
        randomtest.add_argument("--plays", type=int, default=1000, metavar="N", help="how many runs to play (default 1000)")
        randomtest.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the random replies (default 0); the same seed gives the same runs")
        randomtest.add_argument("--json", action="store_true", help="print the results as one JSON object")
        randomtest.set_defaults(func=cmd_randomtest)

    if wanted("stats"):
        stats = commands.add_parser("stats", help="words, nodes, choices, style mix and advice used, per chapter")
        stats.add_argument("file", metavar="FILE")
        stats.add_argument("--json", action="store_true", help="print the numbers as JSON")
        stats.set_defaults(func=cmd_stats)
    if wanted("coach"):
        coach = commands.add_parser("coach", help="read a reply in your own words: tone, style, I-statement parts, what it noticed and a tip")
        coach.add_argument("text", metavar="TEXT", nargs="?", help="the reply (default: each line of standard input)")
        coach.add_argument("--json", action="store_true", help="one JSON object per reply, in order")
        coach.set_defaults(func=cmd_coach)
    return parser


COMMANDS = frozenset({"play", "serve", "list", "runs", "compare", "check", "schema", "docs", "graph", "new", "randomtest", "stats", "coach"})
_VALUED = ("--saves", "--scenarios")


def commands_asked(argv: list[str]) -> set[str] | None:
    """Which commands' parsers `argv` can need: none for the library (no command, only the
    folder options), the command words it holds, or None (all of them: help, a version, an
    unknown option or word, whose messages list every command)."""
    words = []
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUED:
            skip = True
        elif token.startswith(tuple(f"{option}=" for option in _VALUED)):
            continue
        elif token.startswith("-") and not words:
            return None  # an option before any command: -h, --version, or a mistake
        else:
            words.append(token)
    if skip:
        return None  # an option without its value: the message shows the whole usage
    if not words:
        return set()
    asked = {word for word in words if word in COMMANDS}
    return asked if words[0] in COMMANDS else None


def main(argv: list[str] | None = None) -> int:
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        if sys.stderr is not None:
            sys.stderr.write("error: standard output is closed; nothing can be shown\n")
        return EXIT_INVALID
    parser = build_parser(commands_asked(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    from .library import saves_folder

    args.saves = saves_folder(getattr(args, "saves", None))
    try:
        status = args.func(args)
        _stdout().flush()
        return status
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return _quiet_after_broken_pipe()
    except OutputError as exc:
        return _output_failed(exc)
    except RecursionError:
        _err("error: the input nests too deeply to read")
        return EXIT_INVALID


def _quiet_after_broken_pipe() -> int:
    """The reader went away (`| head`): end quietly, as Unix tools do, and keep Python from
    complaining when it flushes standard output at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_BROKEN_PIPE


def _output_failed(exc: OutputError) -> int:
    try:
        if sys.stderr is not None:
            sys.stderr.write(f"error: cannot write to standard output: {exc}\n")
    except OSError:
        pass
    try:  # what is still buffered cannot be written either; drop it so exit stays quiet
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_INVALID


def entry() -> None:
    sys.exit(main())
