"""General English the offline planner needs, and nothing about any particular tool.

Tokenising and stemming (Snowball, from PyStemmer) are shared by the request side and the tool
index, so both sides meet on the same terms. The word lists are ordinary English: stop words,
the lead-ins of polite requests, ordering words, common verbs (to tell where a new sub-goal starts),
and the nouns people use for kinds of data (a "photo" is an image, a "recording" is audio).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import Stemmer

from orchestra.analysis.delete_verbs import ONLY_DELETING, TAKE_AWAY_VERBS, forms
from orchestra.lazy_regex import lazy_compile

_STEMMER = Stemmer.Stemmer("english")
STEM_LENGTH = 7  # longer stems are cut: transcrib(e) and transcript(ion) meet
_WORD = lazy_compile(r"[A-Za-z][a-z]+|[A-Z]+(?![a-z])|[a-z]+|\d+")

STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be been being before below between both but by
    can could did do does doing done down during each either else ever every few for from further had has have having
    he her here hers him his how i if in into is it its itself just let me mine more most much my myself no nor not
    now of off on once one only or other our ours out over own please same she should so some something somebody
    someone such than that the their theirs them themselves then there these they thing things this those through
    thus to too under until up upon us very was we were what whatever when where whether which while who whom whose
    why will with within without would you your yours yourself yourselves shall may might must via per etc really
    kindly maybe perhaps quite rather actually basically simply anything everything lot lots bit ve ll re s d m t
    don doesn didn isn aren wasn weren won wouldn couldn shouldn hasn haven hadn cannot""".split()
)

# Words that say a step uses what an earlier one made.
ANAPHORA = frozenset(
    """it its them they those these this that result results output outputs resulting generated obtained produced
    above previous former latter same said""".split()
)
PLURAL_ANAPHORA = frozenset({"them", "they", "those", "these", "all", "both", "each", "results", "outputs"})

# Words that point at one thing ("the summary", "my photo") or say whose it is.
DETERMINERS = frozenset("the this that these those its their my our your his her".split())

# Words that put a clause after the one before it, and prepositions that reverse the order.
ORDER_WORDS = ("and then", "then", "after that", "afterwards", "afterward", "next", "finally", "subsequently",
               "lastly", "once done", "once that is done", "followed by")  # fmt: skip
FIRST_WORDS = ("first", "firstly", "to begin", "to start", "initially")

# Lead-ins of a request that carry no work: "could you help me", "I would like you to", "please".
# What a question judges of doing something ("Is it safe to delete @p0?"): asked about the work, which is not a
# request for it as "Is it possible to ..." is.
JUDGING = sorted(
    "safe unsafe ok okay alright allowed fine wise unwise smart dangerous risky harmful legal illegal necessary "
    "advisable bad wrong right correct better best worth permitted acceptable appropriate sensible secure done "
    "needed required recommended harmless".split()
)
REQUEST_LEAD_INS = lazy_compile(
    r"^\s*(?:(?:hey|hi|hello|ok|okay|so|well|now|also|and|but|yes|great|thanks|thank you)\b[\s,!.]*)*"
    r"(?:(?:would|do)\s+you\s+mind\s+"
    r"|(?:could|can|would|will|might|shall)\s+(?:you|we|(?:your|my)\s+\w+)\s+(?:please\s+|kindly\s+|possibly\s+|also\s+|then\s+|maybe\s+|perhaps\s+)*"
    r"(?:be\s+(?:able|willing|so\s+kind\s+as)\s+to\s+)?"  # "would you be able to ..."
    r"(?:try\s+(?:to\s+)?|lend\s+(?:me\s+|us\s+)?a\s+hand\s+(?:in\s+|with\s+|by\s+)?)?"
    r"(?:(?:help|assist|aid)\b(?:\s+(?:me|us)\b)?(?:\s+(?:to|in|with|by|out)\b)?\s*(?:(?:by|in|with)\s+)?)?"
    r"|(?:i|we)\s*(?:would|'d|d)\s+(?:like|love|want|appreciate\s+it\s+if)\s+(?:you|it\s+if\s+you)\s+(?:to\s+|could\s+|would\s+)?"
    r"|(?:i|we)\s+(?:want|need|wish|expect)\s+you\s+to\s+"
    r"|(?:are|were)\s+you\s+(?:able|willing)\s+to\s+"
    r"|(?:please\s+)?feel\s+free\s+to\s+"
    r"|(?:i|we)\s*(?:would|'d|d)?\s*(?:really\s+)?(?:like|love|want|need|could\s+use|appreciate)\s+(?:your|some)\s+(?:help|assistance)\s+(?:(?:to|in|with)\b\s*)?"
    r"|how\s+about\s+(?:(?:you|we|i)\s+)?(?:get\s+your\s+help\s+to\s+)?"
    r"|(?:i|we)\s*(?:was|am|'m|were|are|'re)\s+(?:wondering|hoping|asking)\s+(?:if|whether|that)?\s*you\s+(?:could|can|would|might|will)\s+"
    r"|(?:is\s+there\s+(?:a|any)\s+way|do\s+you\s+think)\s+(?:that\s+)?you\s+(?:could|can|would|might)\s+"
    r"|is\s+there\s+(?:a|any)\s+way\s+to\s+"
    r"|(?:please|kindly)\s+(?:help\s+(?:me|us)\s+(?:to\s+)?)?"
    r"|(?:help|assist)\s+(?:me|us)\s+(?:to\s+|in\s+|with\s+)?"
    r"|(?:is\s+it|(?:would|wouldn['\u2019]?t)\s+it\s+be|it\s+would\s+be)\s+(?:really\s+|so\s+|very\s+|quite\s+)?"
    rf"(?!(?:{'|'.join(JUDGING)})\b)[a-z]+\s+"
    r"(?:(?:for\s+(?:you|us)\s+)?to\s+|if\s+(?:you|we)\s+(?:could|can|would|might)\s+)"
    r"|let(?:'s|\s+us)\s+(?!(?:say|suppose|imagine|assume)\b)"
    r")+",
    re.IGNORECASE,
)
# What the user wishes to do: a request ("I'd like to translate this", "I can't wait to hear it read aloud": no
# refusal), wherever it stands.
WISH_LEAD_INS = lazy_compile(
    r"^\s*(?:(?:so|and|but|also|now)\b[\s,]*)*(?:(?:i|we)\s*(?:(?:would|'d|d)\s+(?:really\s+)?(?:like|love)|(?:also\s+)?(?:want|need|wish)"
    r"|(?:can['\u2019]?t|cannot|can\s+not|could\s*n['\u2019]?t)\s+wait(?:\s+for\s+you)?)|would\s+(?:really\s+)?(?:like|love))\s+to\s+(?=\w)",
    re.IGNORECASE,
)
# A wish for the result of work on something: "I'd like the transcription of the enhanced audio" asks
# for a transcription (a noun of action, then "of" / "about" / "on" what it is done on); "I'd like a summarized
# version" names a thing, and stays a wish.
WISH_FOR_WORK = lazy_compile(
    r"^\s*(?:i|we)\s*(?:(?:would|'d|d)\s+(?:really\s+)?(?:like|love|want|appreciate)|(?:really\s+)?need)\s+"
    # "I need a summary of @p0", "I'd like a detailed description of @p1": the work, named by its noun
    r"(?=(?:a|an|the)\s+(?:(?:short|brief|detailed|full|quick|clear|simple|complete)\s+)?"
    r"(?:[a-z]+(?:tion|sion)|summary|analysis|transcript|overview|paraphrase)\s+(?:of|about|on)\b)",
    re.IGNORECASE,
)
# "I'd like", "we need": the user says what they want (not "to do": ``WISH_LEAD_INS``).
_WISHER = (
    r"^\s*(?:(?:so|and|but|also|now)\b[\s,]*)*(?:i|we)\s*(?:would|'d|d)?\s*(?:really\s+)?(?:like|love|want|need)\s+"
)
# Past participles of work not ending in "-ed", with their verbs: "Can I get 'hello' written to out.txt?" read
# "written" as no work, so the quote was to be given and a translator was ranked for it.
IRREGULAR_DONE: dict[str, str] = {
    "written": "write",
    "rewritten": "rewrite",
    "sent": "send",
    "drawn": "draw",
    "spoken": "speak",
}
# A participle of work done ("translated", "written")
DONE_WORD = r"(?:[a-z]+ed|" + "|".join(IRREGULAR_DONE) + r")"

# "I'd like it translated into French", "we need the recording cleaned": a wish for work done, in the passive.
WISH_DONE = lazy_compile(
    _WISHER + r"(it|this|that|them|these|those|(?:the|this|that|these|those|my|our)\s+[a-z]+(?:\s+[a-z]+)?)\s+"
    r"(?:to\s+be\s+)?(" + DONE_WORD + r")\b",
    re.IGNORECASE,
)
# "I need the response in French": a wish for an earlier step's result, which says how to hand it over.
WISH_FOR_RESULT = lazy_compile(
    _WISHER + r"(?=(?:the|that|this|your|its)\s+(?:[a-z]+\s+)?(?:answer|response|reply|result|output)\b)",
    re.IGNORECASE,
)
# A request after a polite or narrative opening: "I'd really appreciate it if you could draft ...".
EMBEDDED_REQUEST = lazy_compile(
    r"\b(?:if|whether|that)\s+(?:you|we)\s+(?:could|can|would|might|will)\s+(?:please\s+|kindly\s+|possibly\s+|also\s+)*"
    r"(?:(?:help|assist|aid)\b(?:\s+(?:me|us)\b)?(?:\s+(?:to|in|with|by|out)\b)?\s*(?:(?:by|in|with)\s+)?)?",
    re.IGNORECASE,
)
# "Let's say ...", "Imagine ...", "Say, you ...", "Say I have ...": a supposition; "Say notes.txt out loud" asks
# for speech.
SUPPOSITION = (
    r"(?:let(?:'s|\s+us)\s+(?:say|suppose|imagine|assume)|suppose|imagine|assume"
    r"|say(?=\s*,|\s+(?:that|if|i|we|you|there|someone|somebody)\b))\b"
)
# A sentence that tells about the user or their data rather than asking for work.
NARRATIVE_START = lazy_compile(
    r"^\s*(?:(?:so|and|but|well|also|recently|yesterday|today|lately|actually)\b[\s,]*)*"
    rf"(?:{SUPPOSITION}|i|we|my|our|there|it|this|that|these|those|here)\b(?!\s*(?:would|'d)\s+(?:like|love|want|appreciate)\s+(?:you|it\s+if\s+you)\b)",
    re.IGNORECASE,
)
# "Is that feasible?", "Is it possible to ...", "Are these files ok?": a question about the work asked or about
# what the user has, to the assistant, not about data.
POINTING = frozenset("it that this".split())
FEASIBLE = frozenset(
    "possible feasible doable ok okay alright achievable allowed fine realistic right correct ready enough".split()
)
QUESTION_WORDS = frozenset({"what", "which", "who", "whom", "whose", "where", "when", "why", "how", "whether"})
# Words that name an input taking a question (not the interrogatives of QUESTION_WORDS).
QUESTION_INPUT_WORDS = frozenset({"q", "question", "questions", "ask", "asked"})


def names_question(name: str, description: str) -> bool:
    """An input for a question: its name or description says so ("q", "the question to answer")."""
    return bool(QUESTION_INPUT_WORDS & set(re.findall(r"[a-z]+", f"{name} {description}".lower())))


# Common English verbs of work: a clause that starts with one is a new sub-goal, not more data for the
# one before ("download A, B and C" is one sub-goal; "download A and summarise it" is two). The last line's,
# verbs writing over or deleting a file, were read as more of the clause before: "Translate notes.txt and overwrite
# notes.txt" / "... and discard notes.txt" translated and dropped the rest unsaid, "Read a.txt and throw away the bad
# lines" read a.txt alone (attack186).
VERBS = (
    frozenset(
        """abridge add adjust alter amplify analyse analyze animate annotate answer append apply archive ascertain ask
    assess assign attach back blur boost brainstorm build calculate caption categorise categorize change chat check
    clarify classify clean clear collect colorize colourize combine compare compile complete compose compress compute
    conceptualise conceptualize condense confirm contrast converse convert copy correct count craft create crop cut
    decipher decode decrypt deduce delete deliver denoise depict describe design detect determine develop devise
    diagnose digest discern discover distil distill distinguish do download draft draw dub edit elaborate email embed
    encode encrypt enhance enlarge enumerate erase estimate evaluate examine execute expand explain explore export
    extend extract fetch figure fill filter find fix flag forecast format formulate gauge generate get give grab
    group guess highlight identify illustrate improve incorporate infer initiate insert inspect integrate interpret invoke
    investigate isolate itemise itemize join label launch list listen load locate look lookup make map mark measure merge
    mix modify monitor move narrate normalise normalize notify obtain open order organise organize outline overlay paint pause
    paraphrase parse pick pinpoint plan play plot polish post predict prepare print process produce propose provide
    publish pull put quantify query rank rate read recognise recognize recommend record recreate reduce refine remove
    rename render reorder repair rephrase replace reply report request rescale resize respond restore retouch
    retrieve return reveal reverse review rewrite rotate run save scan schedule score scrape search segment select sleep
    send separate set share sharpen shorten show showcase simplify simulate sketch sort speak spell split spot start
    stitch store strip stylise stylize submit subtitle suggest summarise summarize supply swap synthesise synthesize tag
    take tell test trace track transcribe transform translate trim turn tweak type uncover unveil update upload
    upscale use validate verify visualise visualize voice wait write
    duplicate overwrite throw truncate empty""".split()
    )
    | TAKE_AWAY_VERBS
)

# What a closing appeal is made of ("Could you figure it out?", "Can you take care of it?", "Can you
# help me with this task?"): verbs that say only that the assistant is to do something, and the
# nouns and idioms that complete them ("do your best", "make it happen", "work your magic").
APPEAL_WORDS = frozenset(
    """do handle manage tackle deal sort figure work accomplish achieve perform carry get make take pull help try
    attempt care happen best magic task tasks job jobs request requests stuff""".split()
)
# Verbs of work that say "do it" only in an idiom, with its last word: "sort it out" (not "sort them"),
# "work it out", "carry it out", "pull it off", "get it done", "make it happen", "take care of it".
APPEAL_IDIOMS = frozenset("sort figure work carry pull get make take".split())
IDIOM_ENDS = frozenset("out off through done happen care magic best on".split())

# Verbs of starting something. With a program named they run it ("launch 'ls'", "fire up the script
# './build.sh'", ``data.started_programs``); with a piece of work named they say only that it is to be done
# ("start the translation of 'hello'" translates), as "do" does.
STARTING_VERBS = (
    "launch",
    "invoke",
    "start",
    "spawn",
    "fire up",
    "kick off",
    "initiate",
    "trigger",
    "begin",
    "commence",
)
STARTING_HEADS = frozenset(verb.split()[0] for verb in STARTING_VERBS)  # a clause's first word, of a verb of two
# Those that say "start" alone: "fire" and "kick" do only with their particle, and as words of their own they
# name other things ("a forest fire"): as verbs that say only "do", their terms told no tool apart (odd -0.1).
STARTING_WORDS = frozenset(verb for verb in STARTING_VERBS if " " not in verb)
# Programs a shell has everywhere (POSIX utilities and common tools): a quote that opens with one names a
# program. A quote of other words after a verb of starting is text ("start 'hello' in French" translates).
COMMAND_WORDS = frozenset(
    """ls dir pwd cd cat echo printf date uptime whoami hostname uname id env printenv df du free top htop ps
    kill pkill sleep grep egrep rg find locate which whereis head tail less more wc sort uniq cut tr sed awk
    diff cmp tee touch mkdir rmdir rm cp mv ln chmod chown stat file tar gzip gunzip zip unzip curl wget ping
    ssh scp rsync git make cmake npm npx node yarn pip python python3 ruby perl php java javac go cargo rustc
    gcc cc docker kubectl systemctl journalctl crontab bash sh zsh jq xargs nproc lsof netstat ip ifconfig
    history true false test time timeout watch yes seq basename dirname realpath readlink md5sum sha256sum""".split()
)


_FLAG = lazy_compile(r"--?[A-Za-z][\w-]*(?:=\S*)?")
# What a command line's later words are: a path or file name ("/", "~/x", "notes.txt"), a key=value or a glob,
# a number. Prose has words of its own between them ("ls is short for list").
_ARGUMENT = lazy_compile(r"[~./$]\S*|\S*/\S*|\S*\w\.\w\S*|\S*[=*]\S*|\d[\d.,:]*")


def _names_path(word: str) -> bool:
    """A path to a program ("./build.sh", "bin/serve"), not words joined by a slash ("and/or")."""
    return "/" in word and not all(part.lower() in STOP_WORDS for part in word.split("/") if part)


def names_program(quoted: str) -> bool:
    """Whether a quote is a program to start, and nothing else: it opens with a common program ("ls",
    "make test"), a path to one ("./build.sh"), or a name with a flag ("server --port 8080"), and what follows
    reads as its arguments (flags, their values, paths, file names, numbers, other programs). A quote that
    opens so and goes on in prose is text: "start 'ls is short for list' in French" ran ``ls is short for
    list``, "start 'rm -rf / is dangerous' in French" ``rm -rf / is dangerous``."""
    parts = quoted.split()
    if not parts:
        return False
    first, rest = parts[0], parts[1:]
    flagged = any(_FLAG.fullmatch(word) for word in rest)
    named = (
        first in COMMAND_WORDS
        or _names_path(first)
        or (flagged and re.fullmatch(r"[a-z][\w.-]*", first) is not None and first not in STOP_WORDS)
    )
    if not named:
        return False
    after_flag = False
    for word in rest:
        if not (after_flag or _FLAG.fullmatch(word) or _ARGUMENT.fullmatch(word) or word in COMMAND_WORDS):
            return False
        after_flag = _FLAG.fullmatch(word) is not None and "=" not in word
    return True


# Verbs whose object is a file as a whole, not what it holds, each with the words a tool may say for the same
# work: a tool that works on what a file holds does not do them unless its words say so ("unzip photos.zip",
# "upload photo.jpg" were an image editor's by meaning alone: the object's noun carried the sentence's vector).
_WHOLE_FILE_WORK = (
    ("unzip unpack decompress unarchive", "extract"),
    ("zip compress archive", "pack"),
    ("upload", "publish push send"),
    ("download", "fetch retrieve"),
    ("delete", "remove erase"),
    ("rename", ""),
    ("print", "printer"),
)
WHOLE_FILE_VERBS: dict[str, frozenset[str]] = {
    verb: frozenset((verbs + " " + said).split()) for verbs, said in _WHOLE_FILE_WORK for verb in verbs.split()
}


# Verbs that say what work starts from, not what it is: "use the image as the base", "using these
# measures"; "use this text to generate an image" generates.
USING_VERBS = frozenset("use employ leverage utilize utilise".split())

# Everyday words for common work, with the plain word a tool's description uses: "a rundown of the
# points" asks for a summary. Only words with no other everyday sense ("abstract" is also art).
SAME_AS: dict[str, str] = {
    **dict.fromkeys("rundown synopsis recap gist digest overview essence precis".split(), "summary"),
    **dict.fromkeys("distill distil condense abridge recapitulate".split(), "summarize"),
    # "export the caption to c.txt", "copy notes.txt to b.txt": stored, in the word a writer's description says
    **dict.fromkeys("export copy".split(), "save"),
    # "sort them into categories", "categorize the audio": a class, in the word a classifier's description uses
    **dict.fromkeys("categorize categorise categorizing categorising categorized categorised".split(), "classify"),
    **dict.fromkeys("category categories categorization categorisation".split(), "class"),
    # "compare the transcription with the audio": how alike two things are, in a similarity tool's word
    **dict.fromkeys("compare compares comparing compared comparison comparisons".split(), "similar"),
    # "describe photo.jpg", "describe what is in it": what a picture or a sound shows, told in words, in a
    # captioner's word ("describe" found an image editor, whose description "describes the desired output")
    **dict.fromkeys("describe describes describing".split(), "caption"),
    # "how far away are the objects", "their distances from the camera": in a picture, their depth
    **dict.fromkeys("far distance distances".split(), "depth"),
    # "improve the sound", "the improved speech": made better, in an enhancer's word ("speech enhancement")
    **dict.fromkeys("improve improves improving improved improvement".split(), "enhance"),
    # "erase a.txt", "trash it": a file taken away, in a deleter's word (fix173: no tool was found)
    **dict.fromkeys((form for verb in ONLY_DELETING - {"delete"} for form in forms(verb)), "delete"),
}

# The plain words of SAME_AS said only of a picture or a sound: "describe the summary" is no caption, "how far
# apart are the cities in notes.txt" no depth.
MEDIA_ONLY_SAME_AS = frozenset({"caption", "depth"})
# ... and of the whole of it: "describe the objects in photo.jpg" asks what they are, no caption of the picture.
WHOLE_MEDIA_SAME_AS = frozenset({"caption"})

# Verbs of two words whose particle gives them a sense of their own, with the one word that says it: "draw out more
# content" elaborates on it (as "draw" it was a picture made), "pick out the essence" selects it. The particle, a stop
# word, was dropped, and the verb alone read as other work. "find out" is left to the questions it opens ("find out
# which ...", goals.INDIRECT_QUESTION), "look up" to tools named for it (lookup_postcode), "sum up" to numbers it adds.
PHRASAL_VERBS: dict[tuple[str, str], str] = {
    ("draw", "out"): "elaborate",
    ("flesh", "out"): "elaborate",
    ("pick", "out"): "select",
    ("single", "out"): "select",
    ("point", "out"): "identify",
    ("spell", "out"): "explain",
    ("jot", "down"): "write",
    ("note", "down"): "write",
}


def one_verb_of(found: list[str]) -> list[str]:
    """Words with each verb of two words in ``PHRASAL_VERBS`` said by its one word ("draw out" -> "elaborate")."""
    out: list[str] = []
    position = 0
    while position < len(found):
        after = found[position + 1] if position + 1 < len(found) else ""
        one = PHRASAL_VERBS.get((base_verb(found[position]), after))
        out.append(found[position] if one is None else one)
        position += 1 if one is None else 2
    return out


# Verbs of more than one word saying "take away" ("get rid of notes.txt", "throw away a.txt", "throw it out"): the
# word a tool's description uses for it. "get" and "throw" alone say other things (reported missing, issue 8).
TAKING_AWAY_WORD = "remove"
_TAKING_AWAY_PHRASE = lazy_compile(
    r"\s*(get\s+rid\s+of\b|throw\s+(?:away|out)\b|throw\s+((?:\S+\s+){0,3}?\S+)\s+(?:away|out)\b)", re.I
)


def taking_away_said(text: str) -> tuple[str, ...]:
    """The words of a clause's verb of more than one word saying "take away" ("get rid of", "throw ... away"), as it
    opens the clause; none when it does not so open."""
    said = _TAKING_AWAY_PHRASE.match(text.strip())
    if said is None:
        return ()
    phrase = words(said.group(1))
    return (phrase[0], phrase[1], phrase[2]) if phrase[0] == "get" else (phrase[0], phrase[-1])


def said_as_one_verb(text: str) -> str:
    """A clause opening with a verb of more than one word of taking away, said with the one word: "get rid of the
    comments in @p0" is "remove the comments in @p0", "throw it away" "remove it"; any other clause as it is."""
    said = _TAKING_AWAY_PHRASE.match(text)
    if said is None:
        return text
    return " ".join(part for part in (TAKING_AWAY_WORD, said.group(2), text[said.end() :].strip()) if part)


# Words of likeness asked of things ("how much do 'A' and 'B' have in common?", "are they alike?", "how close
# are A and B?"), with the plain word a tool's description uses for it. "common" alone has other senses ("a
# common name"): these are likeness only in a question on two things of a kind (``goals.goal_of``).
LIKENESS = lazy_compile(
    r"\b(?:in\s+common|alike|resembl\w*|how\s+close(?:ly)?|akin|look\s+like|mirror\s+(?:each\s+other|one\s+another)"
    r"|match(?:es)?|the\s+same\s+(?:thing|meaning))\b",
    re.IGNORECASE,
)
# Two things said by a pronoun of each other: "how closely do they mirror each other?"
EACH_OTHER = lazy_compile(r"\b(?:each\s+other|one\s+another)\b", re.IGNORECASE)
LIKENESS_WORD = "similar"
# What a text is matched against by rule, never likened to: "check if 'A' matches the pattern '[a-z]+'", "... the regex
# 'ERROR.*'" (a similarity tool scored the text against the pattern's characters).
RULE_WORDS = frozenset("pattern patterns regex regexes regexp regexps schema schemas glob globs wildcard".split())

# Verbs that put data somewhere: "write the text to out.txt" stores the text, it does not make it.
SINK_VERBS = frozenset(
    {
        "write",
        "save",
        "store",
        "send",
        "email",
        "mail",
        "upload",
        "publish",
        "post",
        "append",
        "export",
        "copy",
        "deliver",
    }
)

# What only a picture shows, not a text made of it: "how many of those objects are red?", "what colour is the sofa?".
SEEN_WORDS = frozenset(
    """colour color colours colors coloured colored red green blue yellow orange purple pink grey gray brown black
    white""".split()
)

# What people call kinds of data, by the type name tools declare (input_types / output_types).
TYPE_WORDS: dict[str, str] = {
    **dict.fromkeys(("image", "images", "picture", "pictures", "photo", "photos", "photograph", "photographs",
                     "pic", "pics", "snapshot", "snapshots", "illustration", "illustrations", "drawing", "drawings",
                     "artwork", "visual", "visuals", "visually", "imagery", "graphic", "graphics", "sketch", "painting"), "image"),
    **dict.fromkeys(("audio", "audios", "sound", "sounds", "recording", "recordings", "speech", "voice", "voices",
                     "spoken", "song", "songs", "music", "podcast", "narration", "voiceover", "soundtrack",
                     "audiobook", "aloud", "audibly", "audible", "auditory", "verbal", "verbally", "oral", "orally",
                     "vocal", "vocally"), "audio"),
    **dict.fromkeys(("video", "videos", "clip", "clips", "footage", "movie", "movies", "film", "animation"), "video"),
    **dict.fromkeys(("text", "texts", "sentence", "sentences", "phrase", "phrases", "paragraph", "paragraphs",
                     "passage", "passages", "written", "wording", "words", "transcript", "transcription", "textual",
                     "caption", "captions", "description", "statement", "story", "essay", "article", "prose",
                     "script", "note", "notes"), "text"),
    **dict.fromkeys(("url", "urls", "link", "links", "webpage", "webpages", "website", "websites", "site",
                     "sites", "page", "pages"), "url"),
    **dict.fromkeys(("json",), "json"),
    **dict.fromkeys(("file", "files", "path", "paths", "folder", "directory"), "path"),
}  # fmt: skip

# What follows a kind of data and says what it is to show: "a picture of", "a video about", "a
# clip showing", "an image that depicts".
DESCRIBED = r"\s+(?:of|about|showing|depicting|featuring|that\s+(?:shows?|depicts?|features?))\s+(.+)"

# Ways to say the form of a result in several words, by the kind they ask for: "read notes.txt out loud"
# asks for speech as "aloud" does; no word of the phrase alone says it ("loud", "voice" of "in a voice").
FORM_PHRASES: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): kind
    for phrases, kind in (
        (("out loud", "in a voice", "in a spoken voice", "in spoken form", "by voice", "with a voice",
          "for listening", "to listen to"), "audio"),
        (("in writing", "in written form"), "text"),
    )
    for phrase in phrases
}  # fmt: skip

# Words saying that several results go into one call, not one call each: "summarize the transcript and
# the caption together", "... in one summary", "... combined".
TOGETHER_WORDS = frozenset("together combined jointly combine".split())
TOGETHER_PHRASES = (("in", "one"), ("into", "one"), ("as", "one"), ("in", "a", "single"), ("into", "a", "single"))


def form_phrases(lowered: list[str]) -> list[str]:
    """The kinds the clause's form phrases ask for, in order ("out loud": audio)."""
    return [
        kind
        for i in range(len(lowered))
        for phrase, kind in FORM_PHRASES.items()
        if lowered[i] == phrase[0] and tuple(lowered[i : i + len(phrase)]) == phrase
    ]


def said_together(text: str) -> bool:
    """Whether a clause says that the results it names go together into one call."""
    lowered = words(text)
    return bool(TOGETHER_WORDS.intersection(lowered)) or any(
        tuple(lowered[i : i + len(p)]) == p for i in range(len(lowered)) for p in TOGETHER_PHRASES if lowered[i] == p[0]
    )


# Words for audio that is words said (speech), and for audio that is any sound: "a sound of rain" is
# no text to read aloud, and a tool that only speaks cannot make it.
SPEECH_WORDS = frozenset(
    "speech speak speaks speaking spoken voice voices voiceover narrate narration narrator aloud pronounce tts".split()
)
SOUND_WORDS = frozenset("sound sounds audio audios noise noises music song songs melody melodies soundtrack".split())

# File extensions -> the data type of the file's content.
FILE_TYPES: dict[str, str] = {
    **dict.fromkeys(("jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "svg", "heic", "ico"), "image"),
    **dict.fromkeys(("wav", "mp3", "flac", "ogg", "m4a", "aac", "wma", "aiff", "opus"), "audio"),
    **dict.fromkeys(("mp4", "avi", "mov", "mkv", "webm", "wmv", "flv", "mpeg", "mpg", "m4v"), "video"),
    **dict.fromkeys(("txt", "md", "rst", "log", "html", "htm", "xml", "yaml", "yml", "ini", "toml", "cfg", "csv",
                     "tsv", "py", "sh", "js", "ts", "out", "pdf", "doc", "docx", "json"), "text"),
}  # fmt: skip

# Languages by name, with their ISO 639-1 codes: "in French" asks for a translation.
LANGUAGES = {"english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it", "dutch": "nl",
             "portuguese": "pt", "japanese": "ja", "chinese": "zh", "russian": "ru", "polish": "pl",
             "korean": "ko", "arabic": "ar", "hindi": "hi", "swedish": "sv", "turkish": "tr"}  # fmt: skip

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "a couple of": 2, "both": 2}  # fmt: skip
# Any count spelled in words, past NUMBER_WORDS' ten: "twenty", "forty-two", "a hundred", "two dozen", "ten thousand"
# ("fetch URL twenty times" fetched once in silence: only the words to ten were read as a count).
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_BELOW_HUNDRED = (
    rf"(?:(?:twen|thir|for|four|fif|six|seven|eigh|nine)ty(?:[\s-]+(?:{_UNITS}))?"
    rf"|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|ten|{_UNITS}|zero)"
)
SPELLED_COUNT = (
    rf"(?:(?:a|an|{_BELOW_HUNDRED})[\s-]+)?(?:(?:hundred|thousand|million|billion|dozen)(?:[\s-]+(?:and[\s-]+)?)?)*"
    rf"(?:{_BELOW_HUNDRED}|hundred|thousand|million|billion|dozen)"
)


def words(text: str) -> list[str]:
    """Lower-case words, splitting names written as camelCase, snake_case or kebab-case."""
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball's stem, with derivations folded: classify/classification, transcribe/transcription."""
    root = str(_STEMMER.stemWord(word))
    if len(root) > 6 and root.endswith("it"):
        root = root[:-2]  # recognit(ion) -> recogn(ize)
    if len(root) > 5 and root.endswith("i"):
        root = root[:-1]  # classifi(y) -> classif(ication)
    if len(root) > 6 and root.endswith("ular"):
        root = root[:-4] + "l"  # tabular -> tabl(e), circular -> circl(e), angular -> angl(e)
    root = root[:STEM_LENGTH]
    return _NOUN_OF_VERB.get(root, root)


# Stems of nouns of work whose letters part from their verb's ("an explanation of x.py" found no tool saying
# "explain"): folded into the verb's, in the index and the request alike. Not nouns that name other things as often
# ("conversation" is no conversion, a "response" no respond, a "product" nothing produced).
_NOUN_OF_VERB = {
    "explan": "explain",
    "descrip": "describ",
    "analys": "analyz",
    "compari": "compar",
    "creatio": "creat",
    "expans": "expand",
    "extens": "extend",
    "repet": "repeat",
    "reduct": "reduc",
    "resolut": "resolv",
    "solut": "solv",
    "decis": "decid",
    "inclus": "includ",
    "submiss": "submit",
    "transmi": "transm",
    "omiss": "omit",
    "divis": "divid",
}


def terms(text: str) -> list[str]:
    """The retrieval terms of a text: content words, data-type nouns normalised, stemmed."""
    out = []
    for word in words(text):
        if word in STOP_WORDS or len(word) < 2:
            continue
        out.append(stem(word))
        kind = TYPE_WORDS.get(word)
        if kind is not None and kind != word:
            out.append(stem(kind))
    return out


@cache
def _verbs_by_stem() -> dict[str, str]:
    out: dict[str, str] = {}
    for verb in sorted(VERBS, reverse=True):  # of two spellings ("summarise", "summarize"), the first
        out[stem(verb)] = verb
    return out


def verb_of(noun: str) -> str | None:
    """The verb of work a noun of work names ("translation": translate), else None."""
    return _verbs_by_stem().get(stem(noun)) if work_noun(noun) else None


def work_noun(noun: str) -> bool:
    """A noun that names work by a verb's stem and is no verb itself ("translation", "summary", not "group"
    or "noise"); "the setting", "the meeting": a noun in -ing names a thing as often as the work."""
    return noun not in VERBS and not noun.endswith("ing") and stem(noun) in _verbs_by_stem()


def base_verb(word: str) -> str:
    """The base form of a verb of work ("making" -> "make", "translated" -> "translate"), else the word."""
    if word in VERBS:
        return word
    candidates = [word[:-1] if word.endswith("s") else ""]
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem_ = word[: -len(ending)]
            candidates += [stem_, stem_ + "e", stem_[:-1]]
    return next((c for c in candidates if c in VERBS), word)


def is_verb(word: str) -> bool:
    """A word that reads as a verb of work in the imperative or as a gerund ("transcribe", "translating")."""
    if word in VERBS or word.rstrip("s") in VERBS:
        return True
    if word.endswith("ing") and len(word) > 5:
        base = word[:-3]
        return base in VERBS or base + "e" in VERBS or base[:-1] in VERBS
    return False


# Inputs named for what the user tells a tool: text, whatever else the tool takes beside them.
TOLD_INPUTS = ("prompt", "instruction", "instructions")


def kinds_said(text: str) -> set[str]:
    """The kinds of data a text names by a word ("picture", "aloud") or a phrase of form ("out loud")."""
    said = words(text)
    phrases = {kind for phrase, kind in FORM_PHRASES.items() if " ".join(phrase) in " ".join(said)}
    return {TYPE_WORDS[w] for w in said if w in TYPE_WORDS} | phrases


def describing_terms(text: str, name_terms: frozenset[str]) -> list[str]:
    """The terms of a sentence presenting the user's data that name what that data is in a tool's own words: "a
    document image named x.jpg", "an image of a table (x.jpg)" say a question on it is for a document or table
    reader. Nouns only, each once: a verb or participle there ("I edited the photo") is work done, not what it is."""
    out: list[str] = []
    for word in words(text):
        if word in STOP_WORDS or word in TYPE_WORDS or is_verb(word) or word.endswith("ed"):
            continue
        term = stem(word)
        if term in name_terms and term not in out:
            out.append(term)
    return out
