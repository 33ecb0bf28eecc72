"""A request the offline planner cannot read: "Lies a.txt, dann lösche es" was a step 'lies' no tool serves, as if
a tool for "lies" could be made or found (issue 8). Its rules and lexicon are English: where no step is served and no
word of the request is one it knows as English (of grammar: "the", "it", "then"; a verb of work, a kind of data, an
adverb), the plan says so, and what to do."""

from __future__ import annotations

from orchestra.analysis.data import PLACEHOLDER
from orchestra.analysis.models import TaskStep
from orchestra.analysis.words import STOP_WORDS, TYPE_WORDS, base_verb, is_verb
from orchestra.lazy_regex import lazy_compile

_LETTERS = lazy_compile(r"[^\W\d_]+")
# Fewer words say too little to judge the language by ("Frobnicate notes.txt" is an unknown verb, not a language;
# "Dedupe rows.csv pls", "Google python tutorials" are English words the lexicon lacks): four, as English says a
# word of grammar in fewer ("for", "the", "it"); two where a word has an accented letter ("lösche", "bórralo";
# "Résumé" alone says little), one where a word is of another script ("を削除して", unspaced).
_FEWEST = 4
_FEWEST_ACCENTED = 2
_LAST_LATIN = "\u024f"
# Tokens that are no word of any language: a host or a name of code ("example.com", "parse_config", "v2", "main()"),
# whatever letters they hold (attack186: "Ping example.com" was told it is not English by 'example' and 'com').
_NAME_OF_A_THING = lazy_compile(r".*[\d_./:@#$\\].*|.*\(\)")
_AROUND = "\"'`,;:!?.()[]{}<>"


def not_english(text: str, steps: list[TaskStep]) -> list[str]:
    """A note when ``text`` (the request, its data as placeholders) reads as no English and no step of ``steps`` is
    served: the offline planner understood nothing of it."""
    if any(step.candidates for step in steps):
        return []
    said = _words_judged(PLACEHOLDER.sub(" ", text))
    fewest = _FEWEST if all(w.isascii() for w in said) else _FEWEST_ACCENTED
    fewest = 1 if any(max(w) > _LAST_LATIN for w in said) else fewest
    if len(said) < fewest or any(_english(w.lower()) for w in said):
        return []
    shown = ", ".join(repr(w) for w in list(dict.fromkeys(said))[:6])
    return [
        f"the request does not read as English (none of {shown} is an English word the planner knows): the offline "
        "planner reads English requests only; say it in English, or plan with a model (the llm backend)"
    ]


def _english(word: str) -> bool:
    """Whether a word is one the planner knows as English: of grammar, a verb of work, a kind of data, an adverb."""
    return word in STOP_WORDS or is_verb(base_verb(word)) or word in TYPE_WORDS or word.endswith("ly")


def _words_judged(text: str) -> list[str]:
    """The words of ``text`` a language is judged by: not names of things (hosts, code), nor, inside a sentence, of
    people or places ("Geocode Paris"), nor acronyms ("Minify app.js CSS", "Grep TODO main.py")."""
    judged: list[str] = []
    opening = True  # a capital opening a sentence says nothing
    for token in text.split():
        bare = token.strip(_AROUND)
        if bare and not _NAME_OF_A_THING.fullmatch(bare):
            for at, word in enumerate(_LETTERS.findall(bare)):
                if not (len(word) > 1 and word.isupper()) and not (word[0].isupper() and not (opening and at == 0)):
                    judged.append(word)
        opening = token.endswith((".", "!", "?")) or (opening and not bare)
    return judged


# Verbs of deleting and sending in the languages a request mixes in most ("Read @p0, dann lösche @p1", "y borra @p1",
# "et supprime @p1"): the change was dropped unsaid, the English around it planned (attack273). Said, never done.
_CHANGES_ELSEWHERE = frozenset(
    """lösche löschen lösch löscht losche loschen entferne entfernen entfernt schicke schicken sende senden verschicke
    borra borrar bórralo bórrala borralo borre elimina eliminar elimínalo elimine suprime suprimir envía envia enviar
    mándalo manda mandar supprime supprimer supprimez efface effacer effacez envoie envoyer envoyez cancella cancellare
    rimuovi rimuovere invia inviare apaga apagar apague exclua excluir remova verwijder verwijderen stuur verstuur
    usuń usun wyślij удали удалить отправь""".split()
)


def changes_not_english(text: str) -> list[str]:
    """A note when ``text`` (the request, its data as placeholders) says a delete or a send in a word of another
    language: the offline planner did nothing of it."""
    said = [w for w in _LETTERS.findall(PLACEHOLDER.sub(" ", text)) if w.lower() in _CHANGES_ELSEWHERE]
    if not said:
        return []
    shown = ", ".join(repr(w) for w in dict.fromkeys(said))
    return [
        f"{shown} reads as a delete or a send in a language other than English, which the offline planner does not "
        "understand: nothing of it is planned; say it in English"
    ]
