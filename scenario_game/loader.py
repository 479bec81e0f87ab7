"""TOML text -> a frozen Scenario, or every located problem at once (never a traceback).

Validation lives here, at the edge: the model classes never see raw TOML.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from types import MappingProxyType


from .records import frozen
from .conditions import ConditionError, compile_condition, did_you_mean
from .linemap import LineMap, Location
from .limits import MAX_DIGITS, MAX_SCENARIO_BYTES, digits_too_long, shown, too_long
from .safeio import UnusableFile, read_regular
from .safetext import BIDI, CONTROL
from .problems import Problem
from .model import TONES, Advice, Chapter, Choice, Effect, Ending, Meter, Node, Route, Scenario, Style

FORMAT_VERSION = 1
ID_RE = re.compile(r"[a-z][a-z0-9_\-]{0,63}")
NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
FAIR_RE = re.compile(r"%([+-])([0-9]+)")
SET_RE = re.compile(r"=([+-]?[0-9]+)")

TOP_KEYS = ("format", "scenario", "meters", "styles", "advice", "chapters", "endings", "$schema")
SCENARIO_KEYS = ("title", "summary", "partner")
METER_KEYS = ("label", "start", "min", "max")
STYLE_KEYS = ("label", "tone", "description")
ADVICE_KEYS = ("title", "text", "source")
CHAPTER_KEYS = ("id", "title", "summary", "nodes")
NODE_KEYS = ("id", "text", "speaker", "mood", "effects", "set", "unset", "choices", "goto", "routes", "end", "ending")
CHOICE_KEYS = ("text", "style", "advice", "feedback", "effects", "set", "unset", "if", "once", "goto", "end", "ending")
ROUTE_KEYS = ("if", "goto")
ENDING_KEYS = ("id", "title", "text", "when", "best")


class ScenarioError(Exception):
    """A scenario that cannot be played; `problems` holds every located error."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@frozen
class LoadResult:
    scenario: Scenario | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


# --- built-in catalog ---------------------------------------------------------------


@functools.cache
def builtin_styles() -> MappingProxyType:
    data = tomllib.loads(resources.files("scenario_game").joinpath("data/styles.toml").read_text("utf-8"))
    return MappingProxyType(
        {
            sid: Style(sid, entry.get("label", sid.capitalize()), entry["tone"], entry.get("description", ""))
            for sid, entry in data["styles"].items()
        }
    )


@functools.cache
def builtin_advice() -> MappingProxyType:
    data = tomllib.loads(resources.files("scenario_game").joinpath("data/advice.toml").read_text("utf-8"))
    return MappingProxyType(
        {
            aid: Advice(aid, entry["title"], entry["text"], tuple(entry.get("sources", ())))
            for aid, entry in data["advice"].items()
        }
    )


def default_meters() -> tuple[Meter, ...]:
    return (Meter("trust", "Trust", 50), Meter("closeness", "Closeness", 50))


# --- entry points -------------------------------------------------------------------


def load_path(path: str | Path, analyse: bool = True) -> LoadResult:
    """Read and compile a scenario file; every problem comes back located.
    `analyse=False` skips the flow warnings (for `check`, which runs the deeper analysis itself)."""
    shown = str(path)
    try:
        data = read_regular(path, MAX_SCENARIO_BYTES)
    except IsADirectoryError:
        return LoadResult(None, (Problem(shown, 1, "error", "is a folder, not a scenario file"),))
    except UnusableFile as exc:
        return LoadResult(None, (Problem(shown, 1, "error", f"not read: it is {exc.reason}"),))
    except OSError as exc:
        return LoadResult(None, (Problem(shown, 1, "error", f"cannot read the file: {exc.strerror or exc}"),))
    return load_bytes(data, shown, analyse=analyse)


def load_scenario(path: str | Path) -> Scenario:
    """The scenario at `path`, or ScenarioError with every error (warnings do not stop it)."""
    result = load_path(path)
    if result.scenario is None:
        raise ScenarioError(list(result.errors))
    return result.scenario


def load_bytes(data: bytes, path: str = "<scenario>", analyse: bool = True) -> LoadResult:
    """Compile scenario bytes. Never raises: problems are returned, located."""
    try:
        text = _decode(data, path)
    except ScenarioError as exc:
        return LoadResult(None, tuple(exc.problems))
    return load_text(text, path, digest=hashlib.sha256(data).hexdigest(), analyse=analyse)


def load_text(text: str, path: str = "<scenario>", digest: str = "", analyse: bool = True) -> LoadResult:
    if not text.strip():
        return LoadResult(None, (Problem(path, 1, "error", EMPTY_FILE),))
    if not digest:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    try:
        return _Compiler(text, path, digest).compile(analyse)
    except RecursionError:
        return LoadResult(None, (Problem(path, 1, "error", "the file nests too deeply to read"),))


def _decode(data: bytes, path: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(
            [Problem(path, line, "error", f"the file is not valid UTF-8: byte 0x{data[exc.start]:02x} at column {column}; save it as UTF-8")]
        ) from None
    return text


EMPTY_FILE = "the file is empty; a scenario needs at least `format = 1`, a [scenario] table, [[chapters]] and [[endings]]"
_HUGE_NUMBER = re.compile(r"[0-9][0-9_]{4300,}")
MAX_KEY_PARTS = 24
_KEY_PART = r"""(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_\-]+)"""
_DEEP_KEY = re.compile(rf"^[ \t]*\[*[ \t]*(?:{_KEY_PART}[ \t]*\.[ \t]*){{{MAX_KEY_PARTS}}}", re.M)
_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


class _Compiler:
    def __init__(self, text: str, path: str, digest: str) -> None:
        self.text = text
        self.path = path
        self.digest = digest
        self.problems: list[Problem] = []
        self.lines: LineMap | None = None

    # -- reporting --

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, "error", message))

    def warning(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, "warning", message))

    def check_text(self, value: str, loc: Location, key: str, what: str) -> None:
        """A control character in a string is an error (it could drive the player's
        terminal); a bidi override a warning (it makes text read out of order)."""
        control = CONTROL.search(value)
        if control is not None:
            code = ord(control.group())
            self.error(self.at(loc, key), f"{key!r} in {what} holds the control character U+{code:04X} (character {control.start() + 1}), which could drive the player's terminal; remove it")
        bidi = BIDI.search(value)
        if bidi is not None:
            code = ord(bidi.group())
            self.warning(self.at(loc, key), f"{key!r} in {what} holds the bidirectional control U+{code:04X} (character {bidi.start() + 1}), which makes text read out of order; remove it unless the story needs it")

    def at(self, loc: Location, key: str | None = None) -> int:
        assert self.lines is not None
        return self.lines.table(loc) if key is None else self.lines.key(loc, key)

    # -- typed access --

    def check_keys(self, table: dict, allowed: Iterable[str], loc: Location, what: str) -> None:
        allowed = tuple(allowed)
        for key in table:
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                self.error(self.at(loc, key), f"unknown key {key!r} in {what}{hint}")

    def get(self, table: dict, key: str, kinds: tuple, loc: Location, what: str, required: bool = False, expected: str = ""):
        if key not in table:
            if required:
                self.error(self.at(loc), f"{what} is missing the required key {key!r}")
            return None
        value = table[key]
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if not ok:
            self.error(self.at(loc, key), f"{key!r} in {what} must be {expected}, not {_type_name(value)}")
            return None
        if isinstance(value, str):
            self.check_text(value, loc, key, what)
        if isinstance(value, int) and not isinstance(value, bool) and too_long(value):
            self.error(self.at(loc, key), f"{key!r} in {what} is {shown(str(value))}: too long; numbers have at most {MAX_DIGITS} digits")
            return None
        return value

    def get_str(self, table, key, loc, what, required=False):
        return self.get(table, key, (str,), loc, what, required, "a string")

    def get_int(self, table, key, loc, what, required=False):
        return self.get(table, key, (int,), loc, what, required, "an integer")

    def get_bool(self, table, key, loc, what):
        return self.get(table, key, (bool,), loc, what, False, "true or false")

    def get_names(self, table, key, loc, what, pattern: re.Pattern, kind: str) -> tuple[str, ...]:
        """A string or an array of strings, each matching `pattern`."""
        value = self.get(table, key, (str, list), loc, what, False, "a string or an array of strings")
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        names = []
        for item in items:
            if isinstance(item, str) and isinstance(value, list):
                self.check_text(item, loc, key, what)
            if not isinstance(item, str):
                self.error(self.at(loc, key), f"{key!r} in {what} must list strings, not {_type_name(item)}")
            elif not pattern.fullmatch(item):
                self.error(self.at(loc, key), f"{item!r} in {key!r} of {what} is not a valid {kind}")
            else:
                names.append(item)
        return tuple(names)

    def get_tables(self, table: dict, key: str, loc: Location, what: str, required: bool, header: str) -> list[tuple[int, dict]]:
        """An array of tables, as (index, table) pairs for the ones that are tables."""
        value = self.get(table, key, (list,), loc, what, required, f"an array of tables ({header})")
        if value is None:
            return []
        pairs = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                pairs.append((index, item))
            else:
                self.error(self.at(loc + (key, index)), f"entry {index + 1} of {key!r} in {what} must be a table ({header}), not {_type_name(item)}")
        return pairs

    # -- the compile --

    def compile(self, analyse: bool) -> LoadResult:
        deep = _DEEP_KEY.search(self.text)
        if deep is not None:  # tomllib takes time quadratic in a dotted key's parts: refuse first
            line = self.text.count("\n", 0, deep.start()) + 1
            self.error(line, f"a dotted key or table name of more than {MAX_KEY_PARTS} parts; no key of the format is nearly that deep")
            return LoadResult(None, tuple(self.problems))
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            match = _TOML_POS.search(message)
            line = 1
            where = ""
            if match and match.group(1):
                line = int(match.group(1))
                where = f" (column {match.group(2)})"
            elif match:
                line = self.text.count("\n") + 1
                where = " (at the end of the file)"
            reason = _TOML_POS.sub("", message)
            self.error(line, f"TOML syntax error: {reason[:1].lower() + reason[1:]}{where}")
            return LoadResult(None, tuple(self.problems))
        except ValueError:  # an integer too long for Python to convert (over 4,300 digits)
            found = _HUGE_NUMBER.search(self.text)
            line = self.text.count("\n", 0, found.start()) + 1 if found else 1
            self.error(line, f"a number of more than 4300 digits; numbers have at most {MAX_DIGITS} digits")
            return LoadResult(None, tuple(self.problems))
        self.lines = LineMap(self.text)
        scenario = self.build(data)
        problems = list(self.problems)
        if scenario is not None and analyse:
            from .analysis import basic_warnings

            problems.extend(basic_warnings(scenario))
        problems.sort(key=lambda p: p.line)
        if any(p.severity == "error" for p in problems):
            scenario = None
        return LoadResult(scenario, tuple(problems))

    def build(self, data: dict) -> Scenario | None:
        root: Location = ()
        self.check_keys(data, TOP_KEYS, root, "the file")
        if "format" not in data:
            self.error(1, "missing the required top-level key 'format' (write `format = 1` on the first line)")
        else:
            version = data["format"]
            if not isinstance(version, int) or isinstance(version, bool):
                self.error(self.at(root, "format"), f"'format' must be the integer 1, not {_type_name(version)}")
                return None
            if version != FORMAT_VERSION:
                self.error(self.at(root, "format"), f"unsupported format {version}; this version of the game reads format {FORMAT_VERSION}")
                return None
        self.get(data, "$schema", (str,), root, "the file", False, "a string")

        info = self.get(data, "scenario", (dict,), root, "the file", True, "a table ([scenario])") or {}
        sloc: Location = ("scenario",)
        self.check_keys(info, SCENARIO_KEYS, sloc, "[scenario]")
        title = self.get_str(info, "title", sloc, "[scenario]", required="scenario" in data)
        summary = self.get_str(info, "summary", sloc, "[scenario]") or ""
        partner = self.get_str(info, "partner", sloc, "[scenario]")

        meters = self.build_meters(data)
        meter_names = {m.name for m in meters} | self.declared_meters
        styles = self.build_styles(data)
        advice = self.build_advice(data)

        chapters_raw = self.get_tables(data, "chapters", root, "the file", True, "[[chapters]]")
        if "chapters" in data and isinstance(data["chapters"], list) and not data["chapters"]:
            self.error(self.at(root, "chapters"), "a scenario needs at least one chapter")
        endings_raw = self.get_tables(data, "endings", root, "the file", True, "[[endings]]")
        if "endings" in data and isinstance(data["endings"], list) and not data["endings"]:
            self.error(self.at(root, "endings"), "a scenario needs at least one ending")

        # First pass: every id, so references can be checked whatever their order.
        node_ids: dict[str, Location] = {}
        for ci, chapter in chapters_raw:
            # Quietly: the second pass reports a malformed `nodes` once.
            listed = chapter.get("nodes")
            for ni, node in enumerate(listed if isinstance(listed, list) else ()):
                if not isinstance(node, dict):
                    continue
                nid = node.get("id")
                if isinstance(nid, str) and ID_RE.fullmatch(nid):
                    loc = ("chapters", ci, "nodes", ni)
                    if nid in node_ids:
                        self.error(self.at(loc, "id"), f"duplicate node id {nid!r} (first defined on line {self.at(node_ids[nid], 'id')}); node ids are unique across the scenario")
                    else:
                        node_ids[nid] = loc
        ending_ids = [e.get("id") for _, e in endings_raw if isinstance(e.get("id"), str)]
        refs = _Refs(meter_names, set(node_ids), set(ending_ids), styles, advice)

        chapters: list[Chapter] = []
        nodes: dict[str, Node] = {}
        seen_chapters: dict[str, int] = {}
        for ci, raw in chapters_raw:
            loc = ("chapters", ci)
            cid = self.get_id(raw, loc, "a chapter")
            what = f"chapter {cid!r}" if cid else "a chapter"
            self.check_keys(raw, CHAPTER_KEYS, loc, what)
            ctitle = self.get_str(raw, "title", loc, what)
            csummary = self.get_str(raw, "summary", loc, what) or ""
            if cid and cid in seen_chapters:
                self.error(self.at(loc, "id"), f"duplicate chapter id {cid!r} (first defined on line {seen_chapters[cid]})")
                cid = None
            elif cid:
                seen_chapters[cid] = self.at(loc, "id")
            raw_nodes = self.get_tables(raw, "nodes", loc, what, True, "[[chapters.nodes]]")
            if "nodes" in raw and isinstance(raw["nodes"], list) and not raw["nodes"]:
                self.error(self.at(loc, "nodes"), f"{what} has no nodes; its first node is where it starts")
            ids = []
            for ni, node_raw in raw_nodes:
                node = self.build_node(node_raw, loc + ("nodes", ni), cid or "", refs, node_ids)
                if node is not None and node.id not in nodes:
                    nodes[node.id] = node
                    ids.append(node.id)
            if cid and ids:
                chapters.append(Chapter(cid, ctitle if ctitle is not None else cid, tuple(ids), self.at(loc), csummary))

        endings = self.build_endings(endings_raw, refs)
        if any(p.severity == "error" for p in self.problems):
            return None
        return Scenario(
            path=self.path,
            title=title or "",
            summary=summary,
            partner=partner,
            meters=meters,
            styles=styles,
            advice=advice,
            chapters=tuple(chapters),
            nodes=MappingProxyType(nodes),
            endings=tuple(endings),
            digest=self.digest,
        )

    def get_id(self, table: dict, loc: Location, what: str) -> str | None:
        value = self.get_str(table, "id", loc, what, required=True)
        if value is not None and not ID_RE.fullmatch(value):
            self.error(self.at(loc, "id"), f"{value!r} is not a valid id: use 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter")
            return None
        return value

    def build_meters(self, data: dict) -> tuple[Meter, ...]:
        self.declared_meters: set[str] = set()
        raw = self.get(data, "meters", (dict,), (), "the file", False, "a table of meters ([meters.NAME])")
        if not raw:
            return default_meters()
        self.declared_meters = {name for name in raw if NAME_RE.fullmatch(name)}
        meters = []
        for name, table in raw.items():
            loc = ("meters", name)
            if not NAME_RE.fullmatch(name):
                self.error(self.at(loc), f"{name!r} is not a valid meter name: use a-z, 0-9 and '_', starting with a letter")
                continue
            if not isinstance(table, dict):
                self.error(self.at(("meters",), name), f"meter {name!r} must be a table ([meters.{name}]), not {_type_name(table)}")
                continue
            what = f"meter {name!r}"
            self.check_keys(table, METER_KEYS, loc, what)
            label = self.get_str(table, "label", loc, what)
            start = self.get_int(table, "start", loc, what, required=True)
            low = self.get_int(table, "min", loc, what)
            high = self.get_int(table, "max", loc, what)
            low = 0 if low is None else low
            high = 100 if high is None else high
            if low > high:
                self.error(self.at(loc, "min" if "min" in table else "max"), f"{what} has min {low} above max {high}")
                continue
            if start is None:
                continue
            if not low <= start <= high:
                self.error(self.at(loc, "start"), f"start {start} of {what} is outside its range {low}..{high}")
                continue
            meters.append(Meter(name, label if label is not None else name.capitalize(), start, low, high))
        return tuple(meters)

    def id_tables(self, data: dict, key: str, kind: str):
        """(id, table, location, description) for each well-formed `[key.ID]` table; the rest are reported."""
        raw = self.get(data, key, (dict,), (), "the file", False, f"a table of {kind} entries ([{key}.ID])") or {}
        for entry_id, table in raw.items():
            loc = (key, entry_id)
            if not ID_RE.fullmatch(entry_id):
                self.error(self.at(loc), f"{entry_id!r} is not a valid {kind} id: use 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter")
                continue
            if not isinstance(table, dict):
                self.error(self.at((key,), entry_id), f"{kind} {entry_id!r} must be a table ([{key}.{entry_id}]), not {_type_name(table)}")
                continue
            yield entry_id, table, loc, f"{kind} {entry_id!r}"

    def build_styles(self, data: dict) -> MappingProxyType:
        styles = dict(builtin_styles())
        for sid, table, loc, what in self.id_tables(data, "styles", "style"):
            self.check_keys(table, STYLE_KEYS, loc, what)
            label = self.get_str(table, "label", loc, what)
            tone = self.get_str(table, "tone", loc, what, required=True)
            description = self.get_str(table, "description", loc, what) or ""
            if tone is not None and tone not in TONES:
                self.error(self.at(loc, "tone"), f"tone {tone!r} of {what} must be one of {', '.join(TONES)}{did_you_mean(tone, TONES)}")
                continue
            if tone is not None:
                styles[sid] = Style(sid, label if label is not None else sid.replace("-", " ").capitalize(), tone, description)
        return MappingProxyType(styles)

    def build_advice(self, data: dict) -> MappingProxyType:
        advice = dict(builtin_advice())
        for aid, table, loc, what in self.id_tables(data, "advice", "advice"):
            self.check_keys(table, ADVICE_KEYS, loc, what)
            title = self.get_str(table, "title", loc, what, required=True)
            text = self.get_str(table, "text", loc, what, required=True)
            sources = self.get_names(table, "source", loc, what, re.compile(r".+", re.S), "source")
            if title is not None and text is not None:
                advice[aid] = Advice(aid, title, text, sources)
        return MappingProxyType(advice)

    def build_effects(self, table: dict, loc: Location, what: str, refs: "_Refs") -> tuple[Effect, ...]:
        raw = self.get(table, "effects", (dict,), loc, what, False, "a table such as { trust = 5, closeness = \"%-20\" }")
        if not raw:
            return ()
        effects = []
        for meter, value in raw.items():
            line = self.at(loc + ("effects",), meter)
            if meter not in refs.meters:
                self.error(line, f"effect on unknown meter {meter!r} in {what}{did_you_mean(meter, refs.meters)}")
                continue
            effect = _parse_effect(meter, value)
            if isinstance(effect, str):
                self.error(line, f"effect {meter} = {_brief(value)} in {what}: {effect}")
            else:
                effects.append(effect)
        return tuple(effects)

    def build_condition(self, table: dict, key: str, loc: Location, what: str, refs: "_Refs"):
        source = self.get_str(table, key, loc, what)
        if source is None:
            return None
        try:
            return compile_condition(source, refs.meters, refs.nodes)
        except ConditionError as exc:
            line = self.at(loc, key)
            self.error(line, f"bad condition {source!r} in {what}: {exc.message} ({self.column_of(line, source, exc.column)})")
            return None
        except RecursionError:
            self.error(self.at(loc, key), f"condition in {what} nests too deeply")
            return None

    def column_of(self, line: int, source: str, column: int) -> str:
        """`column N` in the file when the quoted condition sits on `line` as written,
        else `column N of the condition` (escapes or a multi-line string moved it)."""
        lines = self.text.split("\n")
        if 1 <= line <= len(lines):
            for quote in ('"', "'"):
                found = lines[line - 1].find(quote + source + quote)
                if found >= 0:
                    return f"column {found + 1 + column}"
        return f"column {column} of the condition"

    def check_ref(self, value, known, loc: Location, key: str, what: str, kind: str) -> str | None:
        if value is None:
            return None
        if value not in known:
            self.error(self.at(loc, key), f"unknown {kind} {value!r} in {what}{did_you_mean(value, known)}")
            return None
        return value

    def build_node(self, raw: dict, loc: Location, chapter: str, refs: "_Refs", node_ids: dict) -> Node | None:
        nid = self.get_id(raw, loc, "a node")
        what = f"node {nid!r}" if nid else "a node"
        self.check_keys(raw, NODE_KEYS, loc, what)
        text = self.get_str(raw, "text", loc, what, required=True)
        speaker = self.get_str(raw, "speaker", loc, what)
        mood = self.get_str(raw, "mood", loc, what)
        effects = self.build_effects(raw, loc, what, refs)
        set_flags = self.get_names(raw, "set", loc, what, NAME_RE, "flag name")
        unset_flags = self.get_names(raw, "unset", loc, what, NAME_RE, "flag name")
        self.check_flag_names(set_flags, "set", refs, loc, what)
        self.check_flag_names(unset_flags, "unset", refs, loc, what)

        ways = []
        choices: list[Choice] = []
        if "choices" in raw:
            ways.append("choices")
            pairs = self.get_tables(raw, "choices", loc, what, False, "[[chapters.nodes.choices]]")
            if isinstance(raw["choices"], list) and not raw["choices"]:
                self.error(self.at(loc, "choices"), f"{what} has an empty list of choices")
            for index, choice_raw in pairs:
                choice = self.build_choice(choice_raw, loc + ("choices", index), index, what, refs)
                if choice is not None:
                    choices.append(choice)
        routes: list[Route] = []
        if "routes" in raw:
            ways.append("routes")
            routes = self.build_routes(raw, loc, what, refs)
        goto, end, ending = self.way_on(raw, loc, what, refs, ways, "choices, goto, routes, `end = true` or `ending`")
        if nid is None or text is None or node_ids.get(nid) != loc:
            return None
        return Node(
            id=nid,
            chapter=chapter,
            text=text,
            line=self.at(loc),
            speaker=speaker,
            mood=mood,
            effects=effects,
            set=set_flags,
            unset=unset_flags,
            choices=tuple(choices),
            goto=goto,
            routes=tuple(routes),
            end=bool(end),
            ending=ending,
        )

    def way_on(self, raw: dict, loc: Location, what: str, refs: "_Refs", ways: list[str], options: str):
        """Read `goto`, `end` and `ending`, then require exactly one way on among them and
        the `ways` already found (a node's choices or routes); return (goto, end, ending)."""
        goto = None
        if "goto" in raw:
            ways.insert(1 if ways and ways[0] == "choices" else 0, "goto")
            goto = self.check_ref(self.get_str(raw, "goto", loc, what), refs.nodes, loc, "goto", what, "goto target")
        end = self.get_bool(raw, "end", loc, what)
        if end or ("end" in raw and end is None):  # a mistyped `end` is still the way on meant
            ways.append("end = true")
        ending = None
        if "ending" in raw:
            ways.append("ending")
            ending = self.check_ref(self.get_str(raw, "ending", loc, what), refs.endings, loc, "ending", what, "ending")
        if not ways:
            self.error(self.at(loc), f"{what} has no way on: give it {options}")
        elif len(ways) > 1:
            self.error(self.at(loc), f"{what} has more than one way on ({' and '.join(ways)}); keep exactly one")
        return goto, end, ending

    def check_flag_names(self, flags: Iterable[str], key: str, refs: "_Refs", loc: Location, what: str) -> None:
        for flag in flags:
            if flag in refs.meters:
                self.error(self.at(loc, key), f"{flag!r} in {key!r} of {what} is a meter, not a flag; change meters with `effects`")

    def build_choice(self, raw: dict, loc: Location, index: int, node_what: str, refs: "_Refs") -> Choice | None:
        what = f"choice {index + 1} of {node_what}"
        self.check_keys(raw, CHOICE_KEYS, loc, what)
        text = self.get_str(raw, "text", loc, what, required=True)
        style = self.get_str(raw, "style", loc, what, required=True)
        style = self.check_ref(style, refs.styles, loc, "style", what, "style")
        advice = self.get_names(raw, "advice", loc, what, re.compile(r".*", re.S), "advice id")
        for aid in advice:
            self.check_ref(aid, refs.advice, loc, "advice", what, "advice id")
        feedback = self.get_str(raw, "feedback", loc, what) or ""
        effects = self.build_effects(raw, loc, what, refs)
        set_flags = self.get_names(raw, "set", loc, what, NAME_RE, "flag name")
        unset_flags = self.get_names(raw, "unset", loc, what, NAME_RE, "flag name")
        self.check_flag_names(set_flags, "set", refs, loc, what)
        self.check_flag_names(unset_flags, "unset", refs, loc, what)
        condition = self.build_condition(raw, "if", loc, what, refs)
        once = self.get_bool(raw, "once", loc, what)
        goto, end, ending = self.way_on(raw, loc, what, refs, [], "`goto`, `end = true` or `ending`")
        if text is None or style is None:
            return None
        return Choice(
            text=text,
            style=style,
            index=index,
            line=self.at(loc),
            advice=tuple(a for a in advice if a in refs.advice),
            feedback=feedback,
            effects=effects,
            set=set_flags,
            unset=unset_flags,
            condition=condition,
            once=bool(once),
            goto=goto,
            end=bool(end),
            ending=ending,
        )

    def build_routes(self, raw: dict, loc: Location, what: str, refs: "_Refs") -> list[Route]:
        pairs = self.get_tables(raw, "routes", loc, what, False, "[[chapters.nodes.routes]]")
        if isinstance(raw["routes"], list) and not raw["routes"]:
            self.error(self.at(loc, "routes"), f"{what} has an empty list of routes")
        routes = []
        for position, (index, route_raw) in enumerate(pairs):
            rloc = loc + ("routes", index)
            rwhat = f"route {index + 1} of {what}"
            self.check_keys(route_raw, ROUTE_KEYS, rloc, rwhat)
            condition = self.build_condition(route_raw, "if", rloc, rwhat, refs)
            goto = self.get_str(route_raw, "goto", rloc, rwhat, required=True)
            goto = self.check_ref(goto, refs.nodes, rloc, "goto", rwhat, "goto target")
            last = position == len(pairs) - 1
            if last and "if" in route_raw:
                self.error(self.at(rloc, "if"), f"the last route of {what} has an `if`; the last route must have none, so that some route is always taken")
            elif not last and "if" not in route_raw:
                self.error(self.at(rloc), f"{rwhat} has no `if` but is not the last route; only the last route goes without one")
            if goto is not None:
                routes.append(Route(goto, condition, self.at(rloc)))
        return routes

    def build_endings(self, pairs: list[tuple[int, dict]], refs: "_Refs") -> list[Ending]:
        endings = []
        seen: dict[str, int] = {}
        for position, (index, raw) in enumerate(pairs):
            loc = ("endings", index)
            eid = self.get_id(raw, loc, "an ending")
            what = f"ending {eid!r}" if eid else "an ending"
            self.check_keys(raw, ENDING_KEYS, loc, what)
            title = self.get_str(raw, "title", loc, what, required=True)
            text = self.get_str(raw, "text", loc, what) or ""
            condition = self.build_condition(raw, "when", loc, what, refs)
            best = bool(self.get_bool(raw, "best", loc, what))
            if best and any(e.best for e in endings):
                self.error(self.at(loc, "best"), f"{what} is marked `best = true`, but an earlier ending already is; only one ending can be the best")
            last = position == len(pairs) - 1
            if last and "when" in raw:
                self.error(self.at(loc, "when"), f"the last ending ({what}) has a `when`; the last ending must have none, so that the scenario always has an ending")
            elif not last and "when" not in raw:
                self.error(self.at(loc), f"{what} is missing the required key 'when' (only the last ending goes without one)")
            if eid and eid in seen:
                self.error(self.at(loc, "id"), f"duplicate ending id {eid!r} (first defined on line {seen[eid]})")
                continue
            if eid:
                seen[eid] = self.at(loc, "id")
            if eid and title is not None:
                endings.append(Ending(eid, title, text, condition, self.at(loc), best))
        return endings


@frozen
class _Refs:
    meters: set
    nodes: set
    endings: set
    styles: MappingProxyType
    advice: MappingProxyType


def _brief(value: object) -> str:
    """A value as a message quotes it, cut short when it is very long."""
    text = repr(value) if not isinstance(value, int) or not too_long(value) else shown(str(value))
    return text if len(text) <= 40 else text[:32] + f"… ({len(text)} characters)"


def _parse_effect(meter: str, value: object) -> Effect | str:
    """An Effect, or a sentence saying what is wrong with the value."""
    usage = "use an integer such as 5 or -5, fair math such as \"%+20\" or \"%-20\", or \"=N\" to set"
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return f"must be an integer or a string, not {_type_name(value)}; {usage}"
    if isinstance(value, int):
        if too_long(value):
            return f"is too long; numbers have at most {MAX_DIGITS} digits"
        return Effect(meter, "add", value)
    fair = FAIR_RE.fullmatch(value)
    if fair:
        if digits_too_long(fair.group(2)):
            return f"fair math takes a percentage from 0 to 100, not {shown(fair.group(2))}"
        amount = int(fair.group(2))
        if amount > 100:
            return f"fair math takes a percentage from 0 to 100, not {amount}"
        return Effect(meter, "up" if fair.group(1) == "+" else "down", amount)
    assign = SET_RE.fullmatch(value)
    if assign:
        if digits_too_long(assign.group(1).lstrip("+-")):
            return f"sets a number of {len(assign.group(1).lstrip('+-'))} digits; numbers have at most {MAX_DIGITS} digits"
        return Effect(meter, "set", int(assign.group(1)))
    return f"is not a valid effect; {usage}"
