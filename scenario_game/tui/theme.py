"""Reconnect's palettes, registered as Textual themes so the CSS and every `Content` style
can use `$primary`, `$tone-constructive`, `$meter-track` etc.

Two themes ship: "reconnect" (warm, the default) and "reconnect-high-contrast" (black,
white and bright colours). Textual's own themes stay available from the command palette
and `TEXTUAL_THEME`; for them the game's own variables fall back to `GAME_DEFAULTS`.
Every text colour meets WCAG AA (4.5:1) and the meter's track and fills 3:1 on the
backgrounds they are drawn on (tests/test_theme_contrast.py computes the ratios).
"""

from __future__ import annotations

from textual.theme import Theme

# The game's own colour roles, beyond Textual's: a reply's tone, a meter's level, its
# empty track and its rise and fall, the two runs of a comparison, what no run explored.
GAME_VARIABLES = (
    "tone-constructive",
    "tone-destructive",
    "tone-neutral",
    "meter-high",
    "meter-mid",
    "meter-low",
    "meter-track",
    "meter-up",
    "meter-down",
    "compare-a",
    "compare-b",
    "unexplored",
)

# For Textual's own themes (chosen from the palette or TEXTUAL_THEME): Textual's semantic
# colours, which each of its themes keeps readable on its own background.
GAME_DEFAULTS = {
    "tone-constructive": "$text-success",
    "tone-destructive": "$text-error",
    "tone-neutral": "$text-secondary",
    "meter-high": "$success",
    "meter-mid": "$warning",
    "meter-low": "$error",
    "meter-track": "$foreground 45%",
    "meter-up": "$text-success",
    "meter-down": "$text-error",
    "compare-a": "$text-warning",
    "compare-b": "$text-primary",
    "unexplored": "$foreground-muted",
}

RECONNECT = Theme(
    name="reconnect",
    primary="#D98E63",  # terracotta
    secondary="#A3876F",  # driftwood
    accent="#E8B460",  # honey
    warning="#E8B460",
    error="#D9776B",  # rose
    success="#8FB996",  # sage
    foreground="#F1E6D8",  # warm paper
    background="#211B18",
    surface="#2B2420",
    panel="#3A302A",
    dark=True,
    variables={
        "footer-key-foreground": "#E8B460",
        "block-cursor-background": "#D98E63",
        "block-cursor-foreground": "#211B18",
        "tone-constructive": "#8FB996",
        "tone-destructive": "#D9776B",
        "tone-neutral": "#C9B8A6",
        "meter-high": "#8FB996",
        "meter-mid": "#E8B460",
        "meter-low": "#D9776B",
        "meter-track": "#7A6D64",  # 3.4:1 on the background (was 1.5:1)
        "meter-up": "#8FB996",
        "meter-down": "#D9776B",
        "compare-a": "#E8B460",  # honey
        "compare-b": "#7FB3D5",  # a calm blue, apart from the tone colours
        "unexplored": "#9A8F86",  # 5.4:1 (was 4.4:1)
    },
)

HIGH_CONTRAST = Theme(
    name="reconnect-high-contrast",
    primary="#FFD75F",
    secondary="#D7D7D7",
    accent="#5FD7FF",
    warning="#FFD75F",
    error="#FF8787",
    success="#87FF87",
    foreground="#FFFFFF",
    background="#000000",
    surface="#141414",
    panel="#2A2A2A",
    dark=True,
    variables={
        "footer-key-foreground": "#FFD75F",
        "footer-description-foreground": "#FFFFFF",
        "block-cursor-background": "#FFD75F",
        "block-cursor-foreground": "#000000",
        "tone-constructive": "#87FF87",
        "tone-destructive": "#FF8787",
        "tone-neutral": "#D7D7D7",
        "meter-high": "#87FF87",
        "meter-mid": "#FFD75F",
        "meter-low": "#FF8787",
        "meter-track": "#808080",
        "meter-up": "#87FF87",
        "meter-down": "#FF8787",
        "compare-a": "#FFD75F",
        "compare-b": "#87D7FF",
        "unexplored": "#BDBDBD",
    },
)

THEMES = (RECONNECT, HIGH_CONTRAST)


def with_game_variables(variables: dict[str, str]) -> dict[str, str]:
    """`variables` (a theme's resolved CSS variables) with every game colour role filled in:
    a theme of ours defines them all; for Textual's themes they come from `GAME_DEFAULTS`."""
    from textual.color import Color

    missing = [name for name in GAME_VARIABLES if name not in variables]
    if not missing:
        return variables
    background = Color.parse(variables["background"])
    filled = dict(variables)
    for name in missing:
        source, _, alpha = GAME_DEFAULTS[name].removeprefix("$").partition(" ")
        colour = Color.parse(variables[source])
        if colour.a < 1 or alpha:  # a translucent colour, as it looks over the background
            colour = background.blend(colour.with_alpha(1.0), colour.a * (float(alpha.rstrip("%")) / 100 if alpha else 1.0))
        filled[name] = colour.hex
    return filled

# How a reply's tone is coloured wherever it appears (badges, tallies, summaries).
TONE_STYLE = {
    "constructive": "bold $background on $tone-constructive",
    "destructive": "bold $background on $tone-destructive",
    "neutral": "bold $background on $tone-neutral",
}
TONE_COLOUR = {"constructive": "$tone-constructive", "destructive": "$tone-destructive", "neutral": "$tone-neutral"}
TONE_WORD = {"constructive": "constructive", "destructive": "destructive", "neutral": "neutral"}
