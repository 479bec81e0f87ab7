"""The built-in advice catalog and styles match what the game promises to teach."""

from scenario_game.loader import builtin_advice, builtin_styles

ADVICE_IDS = [
    "acknowledge-distance", "i-statements", "active-listening", "validate-feelings", "empathy",
    "avoid-defensiveness", "be-present", "quality-time", "new-experiences", "physical-affection",
    "vulnerability", "express-needs", "check-ins", "gratitude", "thoughtful-gestures", "curiosity",
    "love-languages", "mindful-of-state", "address-root-causes", "compromise", "forgiveness",
    "patience", "self-reflection", "feel-deliberately", "boundaries", "self-care", "professional-help",
]

TITLES = {
    "rekindle": "How Do I Rekindle Emotional Connection with My Partner?",
    "reconnect": "Reconnecting Emotionally With Your Partner",
    "detachment": "Navigating Emotional Detachment in a Romantic Partnership",
    "restore": "How to Reconnect Emotionally? Steps to Restore Closeness, Trust & Passion in Your Relationship",
    "no-effort": "What Should I Do If My Partner Isn't Making the Effort to Connect Emotionally?",
}

# The sources of each principle, by key, as the advice table gives them.
SOURCES = {
    "acknowledge-distance": "rekindle reconnect", "i-statements": "reconnect detachment no-effort",
    "active-listening": "reconnect detachment restore no-effort", "validate-feelings": "detachment rekindle",
    "empathy": "rekindle detachment", "avoid-defensiveness": "detachment restore", "be-present": "reconnect rekindle",
    "quality-time": "rekindle reconnect restore detachment", "new-experiences": "reconnect restore rekindle",
    "physical-affection": "reconnect detachment restore", "vulnerability": "reconnect no-effort restore",
    "express-needs": "reconnect detachment", "check-ins": "rekindle reconnect detachment",
    "gratitude": "rekindle detachment", "thoughtful-gestures": "restore", "curiosity": "detachment",
    "love-languages": "detachment", "mindful-of-state": "reconnect no-effort",
    "address-root-causes": "detachment no-effort", "compromise": "restore", "forgiveness": "rekindle",
    "patience": "rekindle no-effort restore", "self-reflection": "rekindle detachment restore",
    "feel-deliberately": "rekindle", "boundaries": "no-effort", "self-care": "no-effort rekindle",
    "professional-help": "rekindle reconnect detachment no-effort",
}


def test_catalog_has_exactly_the_27_principles():
    assert list(builtin_advice()) == ADVICE_IDS


def test_every_principle_cites_each_of_its_articles_by_title():
    for advice_id, advice in builtin_advice().items():
        expected = {TITLES[key] for key in SOURCES[advice_id].split()}
        assert set(advice.sources) == expected, advice_id
        assert advice.title and len(advice.text) > 40, advice_id


def test_builtin_styles_and_tones():
    styles = builtin_styles()
    constructive = "empathetic i-statement validating curious vulnerable appreciative affectionate patient".split()
    destructive = "blame defensive dismissive stonewalling contemptuous avoidant pressuring".split()
    for style_id in constructive:
        assert styles[style_id].tone == "constructive", style_id
    for style_id in destructive:
        assert styles[style_id].tone == "destructive", style_id
    assert styles["neutral"].tone == "neutral"
    assert all(s.tone in ("constructive", "destructive", "neutral") for s in styles.values())
