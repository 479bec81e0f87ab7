"""The command line builds only the parsers a command line needs, and parses exactly as the
whole parser does."""

from __future__ import annotations

import argparse

import pytest

from scenario_game.cli import COMMANDS, build_parser, commands_asked


def _names(parser: argparse.ArgumentParser) -> set[str]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(action.choices)


def test_the_commands_named_are_every_command_the_parser_has():
    assert _names(build_parser()) == COMMANDS


@pytest.mark.parametrize(
    ("argv", "asked"),
    [
        ([], set()),
        (["--saves", "x"], set()),
        (["--scenarios", "play", "--saves=y"], set()),  # "play" is the folder's name here
        (["play", "quiet-dinner", "--plain"], {"play"}),
        (["--saves", "s", "play", "list"], {"play", "list"}),  # a story called "list"
        (["check", "a.toml", "--json"], {"check"}),
        (["--help"], None),
        (["--version"], None),
        (["-x"], None),
        (["plya", "x"], None),  # a mistake: the message lists every command
    ],
)
def test_which_commands_a_command_line_asks_for(argv, asked):
    assert commands_asked(argv) == asked


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--saves", "s", "--scenarios", "d"],
        ["play", "quiet-dinner", "--plain", "--choices", "1,2", "--seed", "3"],
        ["--saves", "s", "play", "list", "--no-keep-words", "--resume"],
        ["check", "a.toml", "b.toml", "--json", "--report"],
        ["compare", "a", "b", "--chapter", "2"],
        ["randomtest", "f.toml", "--plays", "5", "--json"],
        ["serve", "--port", "0"],
        ["coach", "I feel left out"],
    ],
)
def test_the_parsers_built_parse_as_the_whole_parser_does(argv):
    whole = vars(build_parser().parse_args(argv))
    lean = vars(build_parser(commands_asked(argv)).parse_args(argv))
    assert lean == whole


@pytest.mark.parametrize("argv", [["plya", "x"], ["play"], ["--bogus"], ["check"], ["--saves"]])
def test_mistakes_get_the_same_message_as_from_the_whole_parser(argv, capsys):
    with pytest.raises(SystemExit) as whole_exit:
        build_parser().parse_args(argv)
    whole = capsys.readouterr().err
    with pytest.raises(SystemExit) as lean_exit:
        build_parser(commands_asked(argv)).parse_args(argv)
    assert capsys.readouterr().err == whole and lean_exit.value.code == whole_exit.value.code == 2
