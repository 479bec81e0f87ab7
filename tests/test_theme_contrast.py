"""WCAG contrast of the game's themes, computed from the colours each theme resolves to:
4.5:1 (AA) for every text colour on the backgrounds it is drawn on, 3:1 for the meter's
track and fills (graphics). The pairs are the ones app.tcss and the screens use."""

from __future__ import annotations

import pytest
from textual.color import Color

from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.theme import GAME_VARIABLES, THEMES

BACKGROUNDS = ("$background", "$surface")

# (text colour, backgrounds it appears on)
TEXT = [
    ("$foreground", ("$background", "$surface", "$panel", "$primary 25%")),  # also the highlighted option
    ("$foreground 75%", ("$background",)),  # the story so far
    ("$foreground 65%", ("$background",)),  # narration
    ("$foreground-muted", BACKGROUNDS),
    ("$text-muted", BACKGROUNDS),
    ("$primary", BACKGROUNDS),
    ("$accent", BACKGROUNDS),
    ("$secondary", ("$background",)),
    ("$error", BACKGROUNDS),
    ("$success", ("$background",)),
    ("$warning", ("$background",)),
    ("$background", ("$primary", "$tone-constructive", "$tone-destructive", "$tone-neutral")),  # focused button, tone badges
    ("$footer-key-foreground", ("$surface",)),
    ("$footer-description-foreground", ("$surface",)),
    ("$tone-constructive", BACKGROUNDS),
    ("$tone-destructive", BACKGROUNDS),
    ("$tone-neutral", BACKGROUNDS),
    ("$meter-up", ("$background",)),
    ("$meter-down", ("$background",)),
    ("$compare-a", ("$background",)),
    ("$compare-b", ("$background",)),
    ("$unexplored", BACKGROUNDS),
]
GRAPHICS = [(name, ("$background",)) for name in ("$meter-track", "$meter-low", "$meter-mid", "$meter-high")]


def luminance(colour: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def ratio(a: Color, b: Color) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def resolve(expression: str, variables: dict[str, str], under: Color) -> Color:
    """`$name` or `$name N%` as it looks drawn over `under` (Textual's "auto" picks black or white)."""
    name, _, percent = expression.removeprefix("$").partition(" ")
    value = variables[name]
    if value.startswith("auto"):
        alpha = float(value.split()[1].rstrip("%")) / 100 if " " in value else 1.0
        colour = under.get_contrast_text(alpha)
    else:
        colour = Color.parse(value)
    alpha = colour.a * (float(percent.rstrip("%")) / 100 if percent else 1.0)
    return under.blend(colour.with_alpha(1.0), alpha) if alpha < 1 else colour


def theme_variables(name: str) -> dict[str, str]:
    app = ReconnectApp()
    app.theme = name
    return app.get_css_variables()


def check(pairs, variables, minimum) -> list[str]:
    page = Color.parse(variables["background"])
    failures = []
    for text, backgrounds in pairs:
        for background in backgrounds:
            under = resolve(background, variables, page)
            value = ratio(resolve(text, variables, under), under)
            if value < minimum:
                failures.append(f"{text} on {background}: {value:.2f}:1")
    return failures


@pytest.mark.parametrize("theme", [t.name for t in THEMES])
def test_every_text_colour_meets_wcag_aa(theme):
    assert check(TEXT, theme_variables(theme), 4.5) == []


@pytest.mark.parametrize("theme", [t.name for t in THEMES])
def test_the_meter_track_and_fills_meet_3_to_1(theme):
    assert check(GRAPHICS, theme_variables(theme), 3.0) == []


def test_the_ratio_is_wcag_s():
    assert ratio(Color.parse("#000000"), Color.parse("#FFFFFF")) == pytest.approx(21.0)
    assert ratio(Color.parse("#777777"), Color.parse("#FFFFFF")) == pytest.approx(4.48, abs=0.01)
    old_track, background = Color.parse("#4A3F38"), Color.parse("#211B18")
    assert ratio(old_track, background) < 3  # the track the issue measured at 1.5:1 would fail


def test_the_high_contrast_theme_is_stronger_than_the_default():
    default, high = (theme_variables(t.name) for t in THEMES)
    for name in ("foreground", "meter-track", "unexplored", "tone-neutral"):
        assert ratio(Color.parse(high[name]), Color.parse(high["background"])) > ratio(Color.parse(default[name]), Color.parse(default["background"])), name


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "nord"])
def test_textual_themes_get_every_game_colour(theme):
    variables = theme_variables(theme)
    for name in GAME_VARIABLES:
        Color.parse(variables[name])  # a real colour, whatever theme the player picked
    assert check(GRAPHICS[:1], variables, 1.5) == []  # the track shows on any of them
