"""Small modal questions (typed `ModalScreen`s that `dismiss` with the answer)."""
