"""The coach: reads one reply in the player's own words the way a couples therapist
would, and says what it noticed, with the words that drove each finding.

Transparent by design: every rule and word list is in data/coach.toml, the special
readings below are a few dozen lines each, and a reading lists the exact words behind
every finding. Nothing is downloaded or learnt at run time. When the words give too
little to go on, the coach says so instead of guessing (`Reading.unsure`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import attrs

from .limits import MAX_REPLY  # noqa: F401  (coach.MAX_REPLY: what it reads of one reply)
from .records import frozen
from . import coach_lexicon

TONES = ("constructive", "destructive", "neutral")

# A strong risk decides the tone on its own: one jab of contempt outweighs kind words.
STRONG_RISK = -2.5

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": " - ", "\u2013": "-"})


@frozen
class Rule:
    id: str
    sign: str  # "good" | "risk"
    weight: float
    style: str
    advice: tuple[str, ...]
    note: str
    patterns: tuple[re.Pattern, ...]


@frozen
class Finding:
    """One thing the coach noticed, and the words in the reply that showed it."""

    kind: str
    sign: str  # "good" | "risk" | "part"
    words: tuple[str, ...]
    note: str
    style: str = ""
    advice: tuple[str, ...] = ()
    weight: float = 0.0

    @property
    def label(self) -> str:
        """The kind in words for the player (`specific-moment` -> `specific moment`)."""
        return self.kind.replace("-", " ")


@frozen
class Parts:
    """The parts of an I-statement: my feeling, a specific moment, a need or request."""

    feeling: bool
    behaviour: bool
    need: bool

    @property
    def count(self) -> int:
        return self.feeling + self.behaviour + self.need


@frozen
class Reading:
    text: str
    tone: str
    style: str
    parts: Parts
    findings: tuple[Finding, ...]
    advice: tuple[str, ...]
    tip: str
    summary: str
    unsure: bool = False

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "tone": self.tone,
            "style": self.style,
            "unsure": self.unsure,
            "parts": {"feeling": self.parts.feeling, "behaviour": self.parts.behaviour, "need": self.parts.need},
            "findings": [
                {"kind": f.kind, "sign": f.sign, "words": list(f.words), "note": f.note, **({"style": f.style} if f.style else {})}
                for f in self.findings
            ],
            "advice": list(self.advice),
            "tip": self.tip,
            "summary": self.summary,
        }


@frozen
class Lexicon:
    rules: tuple[Rule, ...]
    feelings: re.Pattern
    faux_feelings: re.Pattern
    situations: re.Pattern
    warm: re.Pattern
    irony: re.Pattern
    takes_back: re.Pattern
    keeps_open: re.Pattern
    sincere: re.Pattern
    praise: re.Pattern
    contempt: re.Pattern
    harsh: re.Pattern
    acknowledgements: frozenset[str]
    texting: dict[str, str]
    before_youre: frozenset[str]


def _alternation(words: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The rules and word lists, compiled once."""
    data = tomllib.loads(resources.files("scenario_game").joinpath("data/coach.toml").read_text("utf-8"))
    words = data["words"]
    insults = _alternation(words["insults"])
    negative = _alternation(words["negative"])
    hard = _alternation(words["hard"])
    rules = tuple(
        Rule(
            raw["id"], raw["sign"], float(raw["weight"]), raw["style"], tuple(raw.get("advice", ())), raw["note"],
            tuple(re.compile(p.replace("INSULT", insults).replace("NEGATIVE", negative).replace("HARD", hard)) for p in raw["patterns"]),
        )
        for raw in data["rules"]
    )
    return Lexicon(
        rules=rules,
        feelings=re.compile(r"\b" + _alternation(words["feelings"]) + r"\b"),
        faux_feelings=re.compile(r"\b" + _alternation(words["faux_feelings"]) + r"\b"),
        situations=re.compile(r"\b" + _alternation(words["situations"]) + r"\b"),
        warm=re.compile(r"\b" + _alternation(words["warm"]) + r"\b"),
        irony=re.compile(r"\b(?:" + "|".join(words["irony"]) + r")(?!\w)"),
        takes_back=re.compile(r"\b(?:" + "|".join(words["takes_back"]) + r")\b"),
        keeps_open=re.compile(r",?\s*(?:" + "|".join(words["keeps_open"]) + r")\b"),
        sincere=re.compile(r"\b(?:" + "|".join(words["sincere"]) + r")\b"),
        harsh=re.compile(r"\b" + _alternation(words["harsh"]) + r"\b"),
        acknowledgements=frozenset(words["acknowledgements"]),
        contempt=re.compile(r"\b" + _alternation(words["contempt_words"]) + r"\b"),
        praise=re.compile(r"\b(?:" + "|".join(words["praise"]) + r")\b"),
        texting=dict(data["texting"]["words"]),
        before_youre=frozenset(data["texting"]["youre_before"]),
    )


# --- the special readings ---------------------------------------------------------------

_INTENSIFIERS = r"(?:(?:so|really|very|this|that|a bit|a little|quite|kind of|kinda|pretty|sort of|a lot|incredibly|deeply|just|too|truly|honestly|also|still|often|sometimes|getting|starting to feel|starting to get|feeling|more and more|increasingly|rather|terribly|awfully|super|totally|completely|,)\s+)*"
_FEEL_FRAME = re.compile(
    r"\b(?:i(?:'m| am|'ve been| have been| was| feel| felt| am feeling|'m feeling| get| got| find myself| find myself feeling|'ve felt| have felt| keep feeling| start to feel| started to feel| end up feeling| ended up feeling| grew| have grown|'ve grown)"
    r"|(?:it|this|that) (?:makes|made|leaves|left) me(?: feel| feeling)?|i've just been|i'm just|i'm getting|i've been getting|i just feel|i still feel|i sometimes feel|i often feel|i really feel|i kind of feel|part of me (?:feels|is)|i'm kind of|i'm a bit|i'm feeling a bit)\s+"
)
_ADVERB = r"(?:just |really |kind of |sort of |sometimes |honestly |also |still |always |often |almost |a lot |a bit |so much |more and more |basically |genuinely |literally |truly )*"
_DISGUISED = re.compile(
    r"\b(?:i " + _ADVERB + r"(?:feel|felt|get the feeling|have the feeling|get the sense|sense)|it " + _ADVERB + r"(?:feels|felt|seems|seemed)|i'm feeling|it's (?:like|as if))"
    r" (?:like|that|as if|as though)? ?(?:you|you're|you've|your|u)\b"
    r"|\b(?:i|it) " + _ADVERB + r"(?:feel|felt|feels) like i(?:'m| am)? (?:the only one|always the one|doing (?:all|everything)|talking to a wall|invisible to you|not a priority|last on your list|an afterthought|your maid|your servant|your mother|your parent|raising|the only (?:adult|grown-up|person|parent)|on my own|alone in|a single parent|married to|living with a|in this (?:alone|by myself))"
    r"|\bi (?:feel|felt) (?:\w+ )?(?:like a|like an) (?:afterthought|maid|servant|roommate|flatmate|housemate|stranger|ghost|single parent|doormat|option)\b"
    r"|\bi " + _ADVERB + r"(?:feel|felt) (?:like|as if i'm) (?:a|an|the) \w+(?: \w+)? (?:in my own|to you|around here|in this (?:house|family|relationship|marriage)|you\b)"
)
_BLAMED_CAUSE = re.compile(r"[^.?!]*?\b(?:because (?:you|of you)|by you|that you|since you|thanks to you|so (?:that )?you can|you (?:always|never|just|clearly|obviously|would rather|'d rather))\b")
_SELF = re.compile(r"\b(?:i'm|i am|i was|i feel|i felt|i look|i sound|i've been|made me (?:feel|look)|makes me (?:feel|look)|myself|me)\s+(?:\w+\s+){0,2}$")
_CAPS = re.compile(r"\b(?:SO|SUCH|REALLY|TOTALLY|VERY|SOO+|SUPER|TRULY)\s+(?:\w+\s+)?(\w+)")
_FEEL_LIKE = re.compile(r"\b(?:i " + _ADVERB + r"(?:feel|felt)|it " + _ADVERB + r"(?:feels|felt|seems)) (?:like|that|as if|as though) ([^.?!]*)")
_YOU = re.compile(r"\byou(?:r|rs|rself|'re|'ve|'d|'ll)?\b")
_OWN_PART = re.compile(r"(?:i(?:'ve| have)? (?:haven't|have not|didn't|did not|let|should|shouldn't|could|was|wasn't|need to|owe|hurt|been|not been|messed|made|missed|taken)|i(?:'m| am) not|we |maybe we|it's my|this is my)\b")
_EMPATHIC_GUESS = re.compile(r"\b(?:stressed|tired|worried|sad|low|down|overwhelmed|exhausted|hurt|upset|far away|scared|lonely|hard|rough)\b[^?]*\?\s*$")
_BUT = re.compile(r"\b(?:but|however|though|although|except|nevertheless|all the same)\b|(?:,|\band) yet\b|(?:^|(?<=[.!?] ))(?:yet|still|even so|that said|(?:the )?thing is),?")
_NEGATED = re.compile(r"(?:\b(?:not|never|no|don't|do not|didn't|did not|doesn't|isn't|wasn't|won't|can't|cannot|hardly)\s+(?:\w+\s+)?)$")
_RETURN = re.compile(
    r"\b(?:come back|be back|come find you|find you|come and find you|talk (?:again|later|after|tonight|tomorrow|in an? |in \w+ minutes|when)|pick (?:this|it) (?:up|back up)|return to|get back to|back to (?:this|it)"
    r"|in (?:twenty|20|ten|10|fifteen|15|thirty|30|five|5|an?|half an|a few|a couple of) (?:minutes?|mins?|hours?)|after (?:a|my|the|that) (?:walk|shower|break|run|minute)"
    r"|then (?:we can|let's|i want to|i'll|i will|we'll|let us|can we)|tonight|tomorrow|this evening|i(?:'m| am) not (?:going anywhere|leaving)|i want to (?:finish|hear|keep talking|come back|understand|talk)"
    r"|when i(?:'ve| have)? (?:calmed|cooled)|once i(?:'ve| have)? (?:calmed|cooled)|and then (?:we|i)|before bed|after dinner|this matters|i promise)\b"
)
_DID = r"|\b(?:you|i|we) (?:didn't|did not|forgot|missed|cancelled|canceled|left|said|told|walked|laughed|joked|snapped|shouted|yelled|looked at|turned|picked|answered|checked|handled|stayed)\b"
_WHEN = re.compile(r"(?<!why )(?<!even )\bwhen (?!you're ready|you are ready|you feel ready|you want|you need|you feel like|you like|you please|you can|you could|you think|you get the chance|it suits)\w+|\b(?:the way you|after you|since (?:you|we|i|the|your|my|our|last)|while you|during)\b" + _DID)
_ABSOLUTE_CLAUSE = re.compile(r"\b(?:always|never|every time|constantly|forever|any more|anymore)\b")
_NOT_A_NEED = re.compile(r"\byou need to\b|\bi need you to (?:stop|change|grow up|get a grip|calm down|relax|leave|go)\b")
_CONTEMPT_TAIL = re.compile(r"\b(?:tired|sick) of (?:you|this|your|it|being)\b|\b(?:sad|angry|upset|disappointed|annoyed|frustrated) (?:that you|because you|at you|with you|in you)\b[^.?!]*\b(?:always|never|can't|won't)\b")
_ASKS = re.compile(r"\s*(?:(?:so|and|ok|okay|wait|hey|oh),? )*(?:(?:what|how|which|when|where|who|why)\b[^.!?]*\?|(?:tell me|walk me through|talk me through)\b)")
_SENTENCE_END = re.compile(r"[.!?]+\s")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


_TOKEN = re.compile(r"[a-z0-9']+|[^a-z0-9']+")


class _Quoter:
    """Maps a span of the normalised reply back to the player's own words, so a finding
    quotes what they typed ("ur being") even when the rules read the expansion ("you're being")."""

    def __init__(self, source: str, segments: list[tuple[int, int, int, int]]):
        self.source, self.segments = source, segments  # (norm start, norm end, source start, source end) of each expansion

    def _map(self, pos: int, end: bool) -> int:
        shift = 0
        for ns, ne, ss, se in self.segments:
            if (ns < pos <= ne) if end else (ns <= pos < ne):
                return se if end else ss
            if ne > pos:
                break
            shift = se - ne
        return pos + shift

    def at(self, start: int, end: int) -> str:
        return self.source[self._map(start, False):self._map(end, True)].strip(" ,")

    def __call__(self, match: re.Match, offset: int = 0) -> str:
        return self.at(match.start() + offset, match.end() + offset)


def _normalise(source: str, lex: "Lexicon") -> tuple[str, _Quoter]:
    """Texting shorthand spelt out ("u" -> "you", "dont" -> "don't", "ur being" -> "you're
    being"), from the [texting] table of coach.toml."""
    tokens = _TOKEN.findall(source)
    out: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    src_at = norm_at = 0
    for i, token in enumerate(tokens):
        new = lex.texting.get(token)
        if token == "ur":
            following = tokens[i + 2] if i + 2 < len(tokens) and tokens[i + 1] == " " else ""
            new = "you're" if following in lex.before_youre or following.endswith("ing") else "your"
        elif token == "its":
            following = tokens[i + 2] if i + 2 < len(tokens) and tokens[i + 1] == " " else ""
            new = "it's" if following in lex.before_youre else None
        if new is not None and new != token:
            segments.append((norm_at, norm_at + len(new), src_at, src_at + len(token)))
            out.append(new)
            norm_at += len(new)
        else:
            out.append(token)
            norm_at += len(token)
        src_at += len(token)
    return "".join(out), _Quoter(source, segments)


def _sentences(norm: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(norm) if m.group().strip()]


def _feeling(norm: str, lex: Lexicon) -> re.Match | None:
    """A real feeling word said of oneself ("I've been lonely", "it leaves me anxious")."""
    for frame in _FEEL_FRAME.finditer(norm):
        if re.search(r"\b(?:like|as if|as though)\s+$", norm[max(0, frame.start() - 12):frame.start()]):
            continue  # "talk to me like I'm stupid" is not a feeling
        rest = norm[frame.end():]
        inten = re.match(_INTENSIFIERS, rest)
        start = frame.end() + (inten.end() if inten else 0)
        word = lex.feelings.match(norm, start)
        if word is None:
            if norm.startswith("miss", start) or norm.startswith("missing", start):
                return re.compile(r"missing|miss").match(norm, start)
            continue
        tail = norm[word.start():word.start() + 60]
        if _CONTEMPT_TAIL.match(tail) or (word.group() in ("tired", "sick", "bored", "done", "fed up", "sick and tired") and norm[word.end():word.end() + 5].startswith(" of y")):
            continue
        return word
    match = re.search(r"\b(?:it|that|this|the \w+(?: \w+){0,2}) (?:really )?(?:scared|worried|hurt|upset|frightened|saddened|stung|embarrassed|shook|rattled|scares|worries|hurts|upsets) me\b", norm)
    if match:
        return match
    match = re.search(r"\bi miss(?:ed)? (?:you|us|this|talking|the way|how|when|our|having)\b|\bi(?:'ve| have) missed\b", norm)
    return match


_CLAUSE_END = re.compile(r"[,;.!?]|\b(?:but|and|when|because)\b")
_NEGATIVE_CLAUSE = re.compile(r"\b(?:never|not|no|nothing|nobody|no one|without)\b|n't\b")


def _praise(norm: str, at: int, lex: Lexicon, appreciative: bool) -> bool:
    """Whether the absolute at `at` sits in a clause of praise ("you always make me laugh")."""
    start = max(norm.rfind(c, 0, at) for c in ",;.!?") + 1
    end = _CLAUSE_END.search(norm, at + 1)
    clause = norm[start:end.start() if end else len(norm)]
    return not _NEGATIVE_CLAUSE.search(clause) and (appreciative or lex.praise.search(clause) is not None)


def read(text: str) -> Reading:
    """What the coach makes of one reply."""
    lex = lexicon()
    shown = text.strip()
    source = " ".join(shown.translate(_QUOTES).lower().split())
    norm, quote = _normalise(source, lex)
    if not norm:
        return _verdict(shown, [], Parts(False, False, False))
    findings: list[Finding] = []
    spans: dict[str, list[tuple[int, int]]] = {}

    for rule in lex.rules:
        hits = []
        for pattern in rule.patterns:
            for match in pattern.finditer(norm):
                if match.end() == match.start():
                    continue
                if rule.sign == "good" and _NEGATED.search(norm[max(0, match.start() - 16):match.start()]):
                    continue
                hits.append(match)
        if hits:
            hits.sort(key=lambda m: m.start())
            spans[rule.id] = [(m.start(), m.end()) for m in hits]
            words = tuple(dict.fromkeys(quote(m) for m in hits))
            findings.append(Finding(rule.id, rule.sign, words, rule.note, rule.style, rule.advice, rule.weight))

    def drop(kind: str) -> None:
        findings[:] = [f for f in findings if f.kind != kind]
        spans.pop(kind, None)

    def add(kind: str, sign: str, words: Iterable[str], note: str, style: str, advice: tuple[str, ...], weight: float,
            at: list[tuple[int, int]] | None = None) -> None:
        drop(kind)
        spans[kind] = at or []
        findings.append(Finding(kind, sign, tuple(dict.fromkeys(w for w in words if w)), note, style, advice, weight))

    # A put-down aimed anywhere but at oneself is contempt; so is an emphatic capital
    # ("SO important") leaning on a warm word.
    if "name-calling" not in spans:
        aimed = [m for m in lex.contempt.finditer(norm) if not _SELF.search(norm, max(0, m.start() - 30), m.start()) and not norm.startswith(" of me", m.end())]
        if aimed:
            add("name-calling", "risk", (quote(m) for m in aimed), next(r.note for r in lex.rules if r.id == "name-calling"),
                "contemptuous", ("validate-feelings", "compromise"), -3.0, [(m.start(), m.end()) for m in aimed])
    caps = next((m for m in _CAPS.finditer(shown) if lex.warm.fullmatch(m.group(1).lower())), None)
    if caps and "sarcasm" not in spans:
        add("sarcasm", "risk", (" ".join(caps.group().lower().split()),), next(r.note for r in lex.rules if r.id == "sarcasm"),
            "contemptuous", ("validate-feelings", "empathy"), -3.0)

    # "I feel like you never...": blame in a feeling's clothes.
    disguised = [m for m in _DISGUISED.finditer(norm) if not _EMPATHIC_GUESS.search(norm[m.start():])]
    if not disguised:  # "I feel like I'm just an option to you": a judgement that ends on "you"
        disguised = [m for m in _FEEL_LIKE.finditer(norm) if _YOU.search(m.group(1)) and not _OWN_PART.match(m.group(1))]
    if disguised:
        add("disguised-blame", "risk", (quote(m) for m in disguised),
            "\"I feel like you...\" is a judgement of your partner wearing a feeling's clothes; it draws the same defence as open blame.",
            "disguised-blame", ("i-statements",), -3.0, [(m.start(), m.end()) for m in disguised])

    # Warm words with irony in the same sentence, or followed by a short deflating tag
    # ("Amazing, you remembered. Only two days late."), carry contempt.
    sentences = _sentences(norm)
    for i, (start, end) in enumerate(sentences):
        sentence = norm[start:end]
        warm = lex.warm.search(sentence)
        if not warm or sentence.rstrip().endswith("?") or lex.sincere.search(sentence):
            continue
        irony, at = lex.irony.search(sentence), start
        for tag_start, tag_end in sentences[i + 1:i + 3]:
            if irony is not None:
                break
            tag = norm[tag_start:tag_end]
            if len(tag.split()) <= 6:
                irony, at = lex.irony.search(tag), tag_start
        outside = any(f.sign == "good" and any(not (start <= a < max(end, at + irony.end())) for a, _ in spans.get(f.kind, ())) for f in findings) if irony else False
        if irony and "sarcasm" not in spans and not (outside and at == start):
            add("sarcasm", "risk", (quote(warm, start), quote(irony, at)), next(r.note for r in lex.rules if r.id == "sarcasm"),
                "contemptuous", ("validate-feelings", "empathy"), -3.0, [(start, max(end, at + irony.end()))])
    if "sarcasm" in spans:
        sarcastic = spans["sarcasm"]
        for kind in ("appreciation", "validation", "empathy", "affection", "request", "open-question"):
            if kind in spans and all(any(s <= a < e for s, e in sarcastic) for a, _ in spans[kind]):
                drop(kind)

    # "I hear you, but...": validation taken back.
    soft = [(k, a) for k in ("validation", "empathy", "appreciation", "affection", "responsibility") for a, _ in spans.get(k, ())]
    for kind, at in soft:
        but = _BUT.search(norm, at)
        if but and _SENTENCE_END.search(norm, at, but.start()) and not re.match(r"[.!?]+\s*$", norm[_SENTENCE_END.search(norm, at, but.start()).start():but.start()]):
            but = None  # a "but" two sentences on belongs to another thought
        if but and (lex.takes_back.search(norm, but.end()) or not lex.keeps_open.match(norm, but.end())):
            add("yes-but", "risk", (quote.at(at, but.end()),),
                "Validation followed by \"but\" tells your partner the first half was only a run-up to your rebuttal.",
                "yes-but", ("validate-feelings", "active-listening"), -2.5, [(at, but.end())])
            for k in ("validation", "empathy", "appreciation", "affection", "responsibility"):
                drop(k)
            break

    # A pause counts as the antidote to stonewalling only with a promise to come back.
    if "break-and-return" in spans:
        back = _RETURN.search(norm)
        if back:
            findings[:] = [attrs.evolve(f, words=f.words + (back.group(),)) if f.kind == "break-and-return" else f for f in findings]
            for kind in ("stonewalling", "pressuring", "avoidant", "false-reassurance"):
                if kind in spans and not re.search(r"\bwhatever\b|\bi'm done\b|\bleave me alone\b", norm):
                    drop(kind)
        else:
            words = next(f.words for f in findings if f.kind == "break-and-return")
            add("break-without-return", "risk", words,
                "A pause with no promise to return can feel like a door closing. Say when you'll come back.",
                "stonewalling", ("patience",), -1.0)
            drop("break-and-return")

    # Dedupe overlaps: a "sorry" that is an apology for a specific act is not over-apologising.
    if "over-apologising" in spans and "responsibility" in spans and len(spans["over-apologising"]) == 1 and re.fullmatch(r"sorry,? (?:i'm )?sorry", norm[slice(*spans["over-apologising"][0])] or ""):
        drop("over-apologising")
    if "name-calling" in spans and "therapy-speak" in spans:
        drop("name-calling")
    if "absolute" in spans and "disguised-blame" in spans:
        drop("absolute")
    if "absolute" in spans and "sarcasm" not in spans and all(_praise(norm, a, lex, "appreciation" in spans) for a, _ in spans["absolute"]):
        drop("absolute")  # "I love how you always make time for my nan" is praise, not a verdict
    if "defensive" in spans and "yes-but" in spans and all(norm[a:e].startswith(("but you", "sorry, but", "sorry but")) for a, e in spans["defensive"]):
        drop("defensive")
    if "people-pleasing" in spans and "validation" in spans:
        drop("validation")
    if "stonewalling" in spans and "people-pleasing" in spans and "whatever you" in norm:
        drop("stonewalling")
    if "fixing" in spans and ("request" in spans or "open-question" in spans) and not any(f.kind in ("absolute", "you-judgement") for f in findings):
        # "Have you tried...?" after listening is an offer; alone it still jumps ahead.
        if "validation" in spans or "empathy" in spans or "open-question" in spans:
            pass
    if "false-reassurance" in spans and ("validation" in spans or "empathy" in spans or "patience" in spans) and re.search(r"\bit's (?:okay|ok|alright) (?:to|if|that)\b", norm):
        drop("false-reassurance")
    if "false-reassurance" in spans and re.search(r"\b(?:i'm|i am) (?:not )?(?:fine|okay|ok)\b[^.?!]*\bbut\b", norm):
        drop("false-reassurance")
    if "request" in spans and any(f.sign == "risk" and f.weight <= -2 for f in findings):
        # "Can you stop being so lazy?" is not a request.
        drop("request")
    if "open-question" in spans and any(f.kind in ("you-judgement", "name-calling", "sarcasm", "absolute") for f in findings):
        drop("open-question")

    # Where a harmful reading and a helpful one claim the same words ("I'm sorry you feel
    # that way", "you're right, I'm sorry, I'll cancel"), the harmful one is the more specific.
    risk_spans = [span for f in findings if f.sign == "risk" for span in spans.get(f.kind, ())]
    for finding in [f for f in findings if f.sign == "good"]:
        kept = [(a, e) for a, e in spans.get(finding.kind, ()) if not any(a < re_ and ra < e for ra, re_ in risk_spans)]
        if not kept:
            drop(finding.kind)
        elif len(kept) < len(spans[finding.kind]):
            spans[finding.kind] = kept

    # The parts of an I-statement.
    feeling_match = None if "disguised-blame" in spans else _feeling(norm, lex)
    if feeling_match is not None and any(a <= feeling_match.start() < e for a, e in spans.get("sarcasm", ())):
        feeling_match = None  # "Oh, I'm thrilled. Truly." is not a feeling
    faux = lex.faux_feelings.search(norm) if feeling_match is None else None
    if faux and not re.search(r"\bi (?:feel|felt|'ve been feeling|am feeling|'m feeling|get|got|'ve felt)\s+" + _INTENSIFIERS + re.escape(faux.group()), norm):
        faux = None
    absolute = _ABSOLUTE_CLAUSE.search(norm) and re.search(r"\byou\b", norm)
    # A moment counts when the reply says what happened; a question about "today" or
    # "the visit" asks for the moment rather than naming one.
    stated = "".join(" " * (e - a) if _ASKS.match(norm[a:e]) else norm[a:e] for a, e in sentences)
    situation = lex.situations.search(stated) or _WHEN.search(stated)
    verdict = any(k in spans for k in ("name-calling", "sarcasm", "disguised-blame", "ultimatum", "therapy-speak", "yes-but"))
    behaviour = bool(situation) and not absolute and (not verdict or _WHEN.search(stated) is not None)
    need_match = None if _NOT_A_NEED.search(norm) and "request" not in spans else (
        re.search(r"\bi (?:just |really |only |also |still )?need\b|\bi(?:'d| would) (?:really )?(?:like|love|appreciate|rather|prefer)\b|\bi want (?:us|to|more|you to)\b|(?<!how )(?<!what )\bcould we\b|(?<!how )(?<!what )\bcan we\b|(?<!what )(?<!how )(?<!where )(?<!which )(?<!why )\bwould you\b|\bcould you\b|\bwill you\b|\bcan you\b|(?<!what )(?<!how )\bcan i\b|\bmay i\b|\bgive me\b|\blet's (?!not|just not)|\bplease (?!don't|just stop|stop)|\bit would (?:really )?(?:help|mean)\b|\bhow about\b|\bwhat if we\b", norm)
    )
    need = bool(need_match) and not any(f.kind in ("ultimatum", "pressuring", "name-calling", "sarcasm") for f in findings) and not re.search(r"(?<!please )\bcan (?:you|we) not\b|\b(?:could|can|would) you (?:just )?stop\b|\bwill you (?:ever|just)\b|\bcould you be any\b", norm)
    parts = Parts(feeling_match is not None, behaviour, need)
    if feeling_match is not None:
        findings.append(Finding("feeling", "part", (quote(feeling_match),), "Names your own feeling, which your partner can hear without having to defend.",
                                "i-statement", ("i-statements", "feel-deliberately"), 1.5 if "over-apologising" not in spans else 0.5))
    elif faux is not None:
        findings.append(Finding("judgement-as-feeling", "risk", (quote(faux),),
                                f"\"{faux.group()}\" says what your partner did to you rather than what you feel; a feeling word such as lonely, hurt or scared is easier to hear.",
                                "blame", ("i-statements",), -2.0 if _BLAMED_CAUSE.match(norm, faux.end()) or not any(f.weight > 0 for f in findings) else -0.5))
    if behaviour and situation is not None:
        findings.append(Finding("specific-moment", "part", (quote(situation),), "Points at a specific moment or behaviour, not at who your partner is.", "", (), 0.5 if parts.feeling or need else 0.0))
    if need and need_match is not None and "request" not in spans:
        findings.append(Finding("need", "part", (quote(need_match),), "Says what you need or would like.", "i-statement", ("express-needs",), 0.5))
    # With no helpful sign at all: harsh words aimed at the partner read as criticism, and a
    # curt line (three words or fewer, not a plain acknowledgement) as a closed door.
    if not any(f.weight > 0 for f in findings) and not any(f.weight <= STRONG_RISK for f in findings):
        harsh = [m for m in lex.harsh.finditer(norm) if not _SELF.search(norm, max(0, m.start() - 30), m.start())]
        bare = norm.strip(" .!?,")
        if harsh and re.search(r"\byou(?:r|rs|rself|'re|'ve|'d|'ll)?\b", norm):
            findings.append(Finding("criticism", "risk", tuple(dict.fromkeys(quote(m) for m in harsh)),
                                    "Harsh words about your partner, with nothing alongside them about how you feel or what you need, land as an attack on who they are.",
                                    "blame", ("i-statements",), -2.5))
        elif not findings and 0 < len(bare.split()) <= 3 and bare not in lex.acknowledgements and re.search(r"[a-z]", bare) and not norm.rstrip().endswith("?"):
            findings.append(Finding("curt", "risk", (quote.at(0, len(norm)),),
                                    "A curt line with nothing else in it tends to land as a closed door, even when you didn't mean it to.",
                                    "stonewalling", ("active-listening", "patience"), -2.5))
    return _verdict(shown, findings, parts, source)


# --- verdict ---------------------------------------------------------------------------------

_TIPS = {
    "disguised-blame": "Swap the judgement for your own feeling and one moment: \"I felt {feeling} when {moment}; could we {request}?\"",
    "absolute": "Keep to one moment instead of \"always\" or \"never\": \"I felt {feeling} when {moment}; could we {request}?\"",
    "you-judgement": "Describe what happened and how it felt, not what kind of person they are: \"I felt {feeling} when {moment}; could we {request}?\"",
    "name-calling": "Say the hurt under the insult: \"I'm really {feeling} about {moment}. Can we talk about it?\"",
    "sarcasm": "Say plainly what the joke is covering: \"I felt {feeling} when {moment}; could we {request}?\"",
    "yes-but": "Stop after the first half and let it stand: \"That makes sense.\" Then ask: \"What would help?\" Your view can wait its turn.",
    "defensive": "Take one part of it, however small: \"You're right that I {moment}. What was that like for you?\"",
    "dismissive": "Make room for the feeling before anything else: \"That sounds hard. Tell me more?\"",
    "stonewalling": "If you need to stop, say so and promise a return: \"I need twenty minutes to calm down; then I want to come back and hear you.\"",
    "break-without-return": "Add when you'll come back: \"I need twenty minutes to calm down, then I want to hear the rest.\"",
    "ultimatum": "Say what you need and what you will do, without a threat: \"I need {request}. It matters to me; can we work out how?\"",
    "score-keeping": "Stay with this one moment: \"Tonight, when {moment}, I felt {feeling}.\"",
    "pressuring": "Leave the timing to them: \"Whenever you're ready, I'd like to hear about it.\"",
    "fixing": "Ask before you solve: \"Do you want ideas, or do you want me to just listen?\"",
    "over-apologising": "One short, specific apology leaves room for them: \"I'm sorry I {moment}. How are you feeling about it?\"",
    "people-pleasing": "Say what you'd really like, kindly: \"Honestly, I'd rather {request}. Could we find something that works for both of us?\"",
    "false-reassurance": "Name it instead of waving it away: \"It did sting a bit, and I'd like to talk about it.\"",
    "therapy-speak": "Describe your own experience instead of diagnosing theirs: \"I felt {feeling} when {moment}; could we {request}?\"",
    "distracted": "Put the phone down first: \"Sorry, I'm here now. Say that again?\"",
    "avoidant": "Stay with it a moment longer: \"This is hard to talk about, but I don't want to skip it. Can we?\"",
    "contemptuous": "Say the hurt under the jab: \"I felt {feeling} when {moment}; could we {request}?\"",
    "judgement-as-feeling": "Use a feeling word for what happens inside you: \"I felt lonely when {moment}; could we {request}?\"",
}


def _tip(top: Finding | None, parts: Parts) -> str:
    fill = {"feeling": "[lonely / hurt / worried]", "moment": "[one specific moment]", "request": "[one thing you'd like]"}
    if top is not None and top.sign == "risk":
        template = _TIPS.get(top.kind) or _TIPS.get(top.style) or _TIPS["absolute"]
        return "Try: " + template.format(**fill)
    missing = [name for name, present in (("feeling", parts.feeling), ("moment", parts.behaviour), ("request", parts.need)) if not present]
    if parts.count == 3:
        return "That has every part of an I-statement: your feeling, a specific moment and a request. Keep the tone as gentle as the words."
    if top is not None and top.kind in ("open-question", "validation", "empathy", "patience", "break-and-return", "repair", "appreciation"):
        return "Good move. Once your partner has had their say, you can add your side: \"I felt {feeling} when {moment}; could we {request}?\"".format(**fill)
    if parts.count:
        words = {"feeling": "your feeling (\"I felt lonely\")", "moment": "the specific moment (\"when the phones came out at dinner\")", "request": "a request (\"could we ...?\")"}
        return "To make it a full I-statement, add " + " and ".join(words[m] for m in missing) + "."
    return "Try: \"I felt {feeling} when {moment}; could we {request}?\" or ask an open question: \"What's been on your mind?\"".format(**fill)


# How sure the learnt word weights must be to overrule a constructive reading of the rules.
OVERRULE = 3.0


def _second_opinion(source: str, tone: str, unsure: bool) -> Finding | None:
    """When the rules cannot call a reply (or call it constructive on thin grounds), the word
    weights learnt from the labelled set decide (coach_lexicon.py), naming the words."""
    weights = coach_lexicon.load()
    harm, harm_words = weights.score(source, "destructive")
    if harm_words and ((tone != "constructive" and harm > 0) or (tone == "constructive" and harm > OVERRULE)):
        return Finding("word-weights", "risk", tuple(harm_words),
                       "No rule names it, but replies worded like this usually land as criticism or a brush-off.",
                       "dismissive", ("validate-feelings", "i-statements"), -2.0)
    if tone != "constructive":
        help_, help_words = weights.score(source, "constructive")
        if help_ > 0 and help_words:
            return Finding("word-weights", "good", tuple(help_words),
                           "No rule names it, but replies worded like this usually help.",
                           "curious" if "?" in source else "empathetic", ("active-listening",), 1.5)
    return None


def _verdict(text: str, findings: list[Finding], parts: Parts, source: str = "") -> Reading:
    risks = [f for f in findings if f.sign == "risk"]
    goods = [f for f in findings if f.sign in ("good", "part") and f.weight > 0]
    risk = sum(f.weight for f in risks)
    good = sum(f.weight for f in goods)
    strongest_risk = min(risks, key=lambda f: f.weight, default=None)
    strongest_good = max(goods, key=lambda f: f.weight, default=None)
    unsure = False
    if not risks and not goods:
        tone, unsure = "neutral", True
    elif strongest_risk is not None and (strongest_risk.weight <= STRONG_RISK or risk + good <= -0.75 or (risk <= -1.5 and good < -risk * 1.5)):
        tone = "destructive"
    elif good + risk >= 1.0:
        tone = "constructive"
    else:
        tone, unsure = "neutral", bool(risks and goods)
    second = _second_opinion(source, tone, unsure) if source and tone != "destructive" else None
    if second is not None:
        findings = [*findings, second]
        if second.sign == "risk":
            tone, unsure, strongest_risk = "destructive", False, second if tone == "constructive" or strongest_risk is None else strongest_risk
        else:
            tone, unsure, strongest_good = "constructive", False, strongest_good or second
            goods = [*goods, second]

    if tone == "destructive":
        top = strongest_risk
        style = top.style if top else "neutral"
    elif tone == "constructive":
        top = strongest_good
        if parts.feeling and (parts.behaviour or parts.need or not any(f.sign == "good" for f in goods)):
            style = "i-statement"
        elif parts.feeling and strongest_good is not None and strongest_good.kind == "feeling":
            style = "vulnerable"
        else:
            ranked = sorted((f for f in goods if f.sign == "good"), key=lambda f: -f.weight)
            style = ranked[0].style if ranked else "i-statement"
    else:
        top, style = None, "neutral"

    advice: list[str] = []
    for finding in sorted(findings, key=lambda f: -abs(f.weight)):
        for aid in finding.advice:
            if aid not in advice:
                advice.append(aid)
    if unsure and not findings:
        summary = "I can't tell how this would land: it has none of the signs I look for, helpful or harmful. Tone of voice and the moment would decide it."
    elif unsure:
        summary = "This mixes helpful and harmful signs about equally, so I can't tell how it would land; see the findings."
    elif tone == "destructive":
        summary = f"This would likely hurt more than help: {top.note}" if top else "This would likely hurt more than help."
    elif tone == "constructive":
        summary = f"This would likely help: {top.note}" if top else "This would likely help."
    else:
        summary = "This reads as neutral: it neither helps nor harms much."
    return Reading(text, tone, style, parts, tuple(findings), tuple(advice), _tip(top if not unsure else None, parts), summary, unsure)


def closest_choice(reading: Reading, choices, styles) -> tuple[object | None, bool]:
    """The offered reply closest to the player's own words: same style first, then same
    tone. Returns (choice or None, clear) where `clear` is False when two or more replies
    are equally close (the player should pick)."""
    def score(choice) -> int:
        style = styles[choice.style]
        if choice.style == reading.style:
            return 3
        if style.tone == reading.tone:
            return 2 if not reading.unsure else 1
        if reading.tone == "neutral" and style.tone == "neutral":
            return 2
        return 0

    scored = sorted(((score(c), i) for i, c in enumerate(choices)), reverse=True)
    if not scored or scored[0][0] == 0 or reading.unsure:
        return None, False
    best = scored[0][0]
    tied = [i for s, i in scored if s == best]
    return choices[tied[0]], len(tied) == 1


# --- words for a reader --------------------------------------------------------------------



def reading_lines(reading: Reading, advice_titles: dict[str, str] | None = None, style_labels: dict[str, str] | None = None) -> list[str]:
    """The reading as plain lines, for the CLI and plain play (the caller makes them safe to print)."""
    tone = "can't tell" if reading.unsure else reading.tone
    label = (style_labels or {}).get(reading.style, reading.style)
    lines = [f"Coach: {tone}" + (f", closest style: {label}" if not reading.unsure else "")]
    lines.append(reading.summary)
    yes_no = lambda present: "yes" if present else "no"  # noqa: E731
    lines.append(
        f"I-statement parts: your feeling {yes_no(reading.parts.feeling)}, a specific moment {yes_no(reading.parts.behaviour)}, "
        f"a need or request {yes_no(reading.parts.need)}"
    )
    for finding in reading.findings:
        mark = {"good": "+", "risk": "-", "part": "+"}[finding.sign] if finding.weight else "."
        words = ", ".join(f'"{w}"' for w in finding.words)
        lines.append(f"  {mark} {finding.label} [{words}]: {finding.note}")
    if reading.advice:
        titles = advice_titles or {}
        lines.append("Advice: " + "; ".join(titles.get(a, a) for a in reading.advice))
    lines.append(reading.tip)
    return lines
