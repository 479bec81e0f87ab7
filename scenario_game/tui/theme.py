"""Reconnect's warm palette, registered as a Textual theme so the CSS can use `$primary` etc."""

from __future__ import annotations

from textual.theme import Theme

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
    },
)

# How a reply's tone is coloured wherever it appears (badges, tallies, summaries).
TONE_STYLE = {
    "constructive": "bold #211B18 on #8FB996",
    "destructive": "bold #211B18 on #D9776B",
    "neutral": "bold #211B18 on #C9B8A6",
}
TONE_COLOUR = {"constructive": "#8FB996", "destructive": "#D9776B", "neutral": "#C9B8A6"}
TONE_WORD = {"constructive": "constructive", "destructive": "destructive", "neutral": "neutral"}
