"""The game's commands in Textual's command palette (Ctrl+P), beside Textual's own (change
the theme, quit, ...): open a story, play one of its chapters, its saved runs, compare two
runs, the chapter map, the keys. Story titles are untrusted text: shown as `Content`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from ..safetext import visible_line


def _markup_safe(text: str) -> str:
    """The palette reads a command's help as markup; an untrusted title must show as typed."""
    return escape(visible_line(text))


def _highlight(matcher: Matcher, text: str) -> Content:
    """`matcher.highlight` without its markup parse (a title `[/]` raised MarkupError)."""
    content = Content(text)
    for offset in matcher.fuzzy_search.match(matcher.query, text)[1]:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _current_scenario(app):
    """The scenario of the topmost screen that has one (a story's page, play, runs ...)."""
    for screen in reversed(app.screen_stack):
        scenario = getattr(screen, "scenario", None)
        if scenario is not None:
            return scenario
    return None


class GameCommands(Provider):
    """Commands that take the player somewhere in the game."""

    async def startup(self) -> None:
        from ..library import read_stories

        self.stories = await asyncio.to_thread(read_stories, self.app.scenarios_folder)

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        app = self.app
        found: list[tuple[str, str, Callable[[], None]]] = []
        scenario = _current_scenario(app)
        if scenario is not None:
            for number, chapter in enumerate(scenario.chapters, 1):
                found.append((f"Play chapter {number}: {chapter.title}", f"of {scenario.title}", partial(app.play_chapter, scenario, chapter.id)))
            found.append((f"Saved runs of {scenario.title}", "continue a run, replay a chapter", partial(app.show_runs, scenario)))
            found.append((f"Compare runs of {scenario.title}", "two runs of a chapter side by side", partial(app.compare_runs, scenario)))
            found.append((f"Chapter map of {scenario.title}", "what your runs explored", partial(app.chapter_map, scenario)))
        for story in self.stories:
            if story.scenario is not None:
                where = "bundled with the game" if story.kind == "bundled" else f"yours, {story.path}"
                found.append((f"Open story: {story.scenario.title}", f"{story.id} ({where})", partial(app.open_story, story.scenario)))
        playing = next((s for s in reversed(app.screen_stack) if hasattr(s, "action_keep_words") and getattr(s, "session", None) is not None and not getattr(s, "placeholder", False)), None)
        if playing is not None:
            state = "on" if playing.session.keep_words else "off"
            found.append((f"Keep my written words in the save (now {state})", "turn keeping the replies you write (w) on or off for this run", playing.action_keep_words))
        found.append(("Keys", "every key of this screen and what it does", app.action_help))
        return found

    async def discover(self) -> Hits:
        for text, help_text, command in self._commands():
            yield DiscoveryHit(Content(visible_line(text)), command, help=_markup_safe(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._commands():
            text = visible_line(text)
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, _highlight(matcher, text), command, text=text, help=_markup_safe(help_text))
