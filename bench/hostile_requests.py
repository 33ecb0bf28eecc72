"""Reading time of hostile requests: each of the offline planner's request patterns fed a request built
to make it scan the text once per place a match could start (runs of whitespace, thousands of "of"s,
files or questions). Every row should grow linearly with the request's length; a quadratic pattern shows
as a tenfold time for a fourfold length. The analysis is timed alone, then the whole of `plan` (the plan's
calls are bound to their arguments one by one). CPU time, not the wall clock: the machine is shared.
`python -m bench.hostile_requests [shape ...]`."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from pathlib import Path

from bench.table import print_table
from orchestra.analysis import analyse_heuristic
from orchestra.analysis.models import TaskAnalysisError
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

CATALOGUES = Path(__file__).resolve().parents[1] / "tests" / "intelligence"
# the media tools, one whose inputs say which way ("from", "to") for the quotes bound by those words, and tools
# whose inputs are typed (integer, number, string) for the quoted numbers bound as those types
TOOLS = [CATALOGUES / "media_tools.yaml", CATALOGUES / "currency_tools.yaml", CATALOGUES / "typed_tools.yaml"]
# What each request repeats, and the pattern it is aimed at; a unit with "{}" is numbered, so each
# repetition differs (another host).
SHAPES = {
    "whitespace run before 'by'": ("summarize", " ", " x by"),
    "wish for a noun of action": ("", "I'd like the transcription of ", ""),
    "quoted file names with commas": ("", "'a.jpg,' ", ""),
    "questions after a request": ("", "Caption photo.jpg, and are there ", "?"),
    "'tell me' over and over": ("", "tell me the ", "colour"),
    "'by' and a gerund over and over": ("clean it ", "by removing ", ""),
    "wish for work done": ("", "I'd like it ", "translated"),
    "'after doing it' over and over": ("", "after doing it, ", "caption photo.jpg"),
    "preview, then detail": ("", "Describe the photo. ", "First caption photo.jpg, then describe the photo."),
    "an attempt over and over": ("give it", " a shot", ""),
    "URLs on as many hosts": ("download these pages: ", "http://h{}.example.com/a ", ""),
    "'the answer' after a question": ("Caption photo.jpg. What colour is it? ", "Translate the answer. ", ""),
    "closing appeals over and over": ("Caption photo.jpg. ", "Could you figure it out? ", ""),
    "conditions over and over": ("", "if there is a cat in it, caption it, ", "caption photo.jpg"),
    "a long condition": ("if there is a cat ", "in the photo ", ", caption it"),
    "'a picture of' over and over": ("generate ", "a picture of ", "a fox"),
    "pictures described, one a step": ("", "Then generate a picture of fox {}. ", ""),
    "the same work on new data": ("", "Then translate my letter into German. Then translate my note into French. ", ""),
    "results, then 'save them'": ("", "Generate a picture of a fox, read 'hi' aloud, save them to out.json. ", ""),
    "a result named by its work": ("Transcribe talk.wav. ", "Summarize it, then translate the transcript. ", ""),
    "'save both' over and over": ("Caption photo.jpg. ", "Read it aloud and save both to out.json. ", ""),
    "results, one 'save them' at the end": ("", "Then generate a picture of fox {}. ", "Save them all to out.json."),
    "gerunds going on telling": ("I've been recording ", "and transcribing talks ", ". Caption photo.jpg"),
    "time clauses over and over": ("Caption photo.jpg. ", "Once we have it, ", "how similar would you say it is?"),
    "'let me know' over and over": ("Caption photo.jpg ", "and let me know what ", "colour it is"),
    "results compared, one a step": ("Summarize notes.txt. ", "Then compare the summary with 'a'. ", ""),
    "the same work on other data, one a step": ("", "Then detect the objects in my other photo. ", ""),
    "data presented, clause by clause": ("", "Given the photo 'p{}.jpg', ", "detect the objects"),
    "parts of one thing after 'and'": ("Generate a picture of a cat", " and a dog", "."),
    "things made together after one verb": ("Generate a picture of a cat", " and a sound of rain", "."),
    "the same again on other data": (
        "Caption photo.jpg, summarize it, translate it. ",
        "Do the same for p{}.jpg. ",
        "",
    ),
    "'do the same' in one sentence": ("Caption photo.jpg", " and do the same for p{}.jpg", "."),
    "kinds described after a clause that makes none": ("Summarize the notes", ", a text of rain", "."),
    "things made together, then 'save them'": (
        "",
        "Generate a picture of a cat and a sound of rain, then save them. ",
        "",
    ),
    "a file named again in each time clause": ("", "once we have the caption of photo.jpg, read it aloud. ", ""),
    "files named one a time clause": ("", "once we have the caption of p{}.jpg, read it aloud. ", ""),
    "files named in one clause, each read first": ("read ", "a{}.txt ", ""),
    "'a summary of' over and over": ("provide ", "a summary of ", "the conversation"),
    "braces that open no JSON, over and over": ("write ", "${{a}} {{{{ b }}}} ", "to out.txt"),
    "arrays that never close: '[1 '": ("write ", "[1 ", "to out.txt"),
    "strings in arrays that never close: '[\"'": ("write ", '["', " to out.txt"),
    "objects that never close: '{\"a '": ("write ", '{{"a ', "to out.txt"),
    "brackets nested without end": ("write ", "[", " to out.txt"),
    "arrays nested without end: '[1,'": ("write ", "[1,", " to out.txt"),
    "quotes opened after a space, never closed": ("say ", "'a ", ""),
    "one word of hyphens": ("read ", "a-", "b.txt"),
    "words that start like paths from a home": ("read ", "~/a-b/c ", "x.txt"),
    "the user's own '@p9'": ("summarize ", "@p9 ", ""),
    "a number with thousands separators": ("sleep 1", ",000", " s"),
    "one file name of backslashes": ("write it to ", "a\\", "b.txt"),
    "file names in disguise": ("write it to ", "$HOME\\a.txt ", ""),
    "quotes glued into one name": ("write it to ", "'a'\"b\"`c`", "/x.txt"),
    "ranges of durations": ("sleep ", "1 to ", "2 s"),
    "quoted names of three words": ("summarize ", "'my old notes.txt' ", ""),
    "data presented, then a command unquoted": ("", "Given the text 'k=v'. Run the script. ", ""),
    "a quote written, then a command unquoted": ("", "write 'x' to out.txt and run ls, ", ""),
    "commands quoted after one 'run'": ("run ", "'ls' and ", "'pwd'"),
    "quotes inside one quoted command": ("run '", 'echo "a" ', "'"),
    "URLs with credentials": ("download ", "http://u:p@h{}.example/a?token=t ", ""),
    "secret references written": ("write ", "${{secrets.A}} ", "to out.txt"),
    "refusals spelled apart": ("Summarize notes.txt", " and do n't translate it", "."),
    "pauses, one a clause": ("Summarize notes.txt", ", pause for 3 seconds", ", then read it aloud"),
    "questions of data presented 'based on'": ("Based on notes.txt, ", "who wrote it, ", "?"),
    "results compared 'with the' over and over": ("Summarize notes.txt. Compare the summary ", "with the summary ", ""),
    "results said to go together": (
        "Transcribe talk.wav and caption photo.jpg, then ",
        "summarize the transcript and the caption together, ",
        "",
    ),
    "forms said in several words": ("", "read the file n{}.txt out loud, ", ""),
    "files beside a quote for one input": ("Translate 'hello' and ", "a{}.txt and ", "b.txt"),
    "picture files compared": ("", "compare the caption of p{0}.jpg with the transcript of t{0}.wav, ", ""),
    "quotes escaped inside one quote": ("run '", "echo \\'a\\' ", "'"),
    "escaped quotes, none closed": ("say ", "'a \\' ", ""),
    "double quotes escaped inside one": ('say "', 'a \\"b\\" ', '"'),
    "quoted commands that name files, after one 'run'": ("run ", "'cat n{}.txt' and ", "'pwd'"),
    "quoted commands run on each result": ("", "read n{}.txt and run 'wc -l' on it. ", ""),
    "quoted commands after writes": ("", "write 'x' to o{0}.txt, then run 'cat o{0}.txt'. ", ""),
    "escaped quotes of both kinds, unpaired": ("", "translate 'it\\'s \\'a' and \"say \\\"b\", ", ""),
    "escaped double quotes, none closed": ("say ", '"a \\"b ', ""),
    "literals of many shapes, one a clause": (
        "",
        """Translate 'on 2024-05-0{0} mail ann{0}@example.com \\"5 kg\\"' and summarize "my n{0}.txt", """,
        "",
    ),
    "quoted commands run on files": ("", "run 'wc -l' on n{0}.txt and m{0}.txt. ", ""),
    "quotes one after another after 'run'": ("run ", "'ls {}' ", ""),
    "quotes after 'from' and 'to'": ("", "convert 100 'USD' to 'EUR'. ", ""),
    "durations said in words": ("", "wait half a minute, then an hour and a half, ", "then read it aloud"),
    "a unit before a noun, over and over": ("summarize notes.txt ", "a second time and ", "again"),
    "quoted JSON values": ("", "translate '{{\"a{}\": [1, 2]}}', ", "then summarize notes.txt"),
    "JSON values no text input takes": ("Summarize notes.txt, then translate ", '{{"a{}": 1}} ', ""),
    "durations in parts, one a clause": ("", "wait 1 minute and 30 seconds, then ", "read it aloud"),
    "durations in parts without end": ("sleep ", "1 hour 2 minutes 3 seconds ", ""),
    "units glued to numbers": ("sleep ", "1h30m ", ""),
    "numbers and no unit, then one": ("sleep ", "1 ", "s"),
    "'the original' compared, one a step": ("Summarize notes.txt. ", "Compare it with the original. ", ""),
    "quoted numbers for typed inputs": ("", "roll '{}' dice. ", ""),
    "programs named after 'run'": ("", "run wc on n{}.txt. ", ""),
    "options of a program without end": ("run wc", " -l", " on notes.txt"),
    "commands run on paths from a home": ("", "run 'wc -l' on ~/n{}.txt. ", ""),
    # attack79: pass 74's rules, each shape of them repeated
    "programs started, then worked on": ("", "launch 'ls -la n{}.txt' then summarize it, ", ""),
    "a started quote that goes on in prose": ("start 'ls ", "is short for list {} ", "' in French"),
    "one started word put into a language": ("", "start 'date' in French, ", ""),
    "whole-file verbs": ("", "unzip a{0}.zip and upload p{0}.jpg, ", ""),
    "questions of two quotes": ("", "how much do 'a{0}' and 'b{0}' have in common? ", ""),
    "media made of results": ("Summarize notes.txt, ", "then make a video of the summary, ", ""),
    "audio clips described": ("", "generate an audio clip of a dog{} barking, ", ""),
    # attack82: commands that would write their files, numbers no duration reads
    "commands that would write the files run on": ("", "run uniq on a{0}.txt and b{0}.txt. ", ""),
    "files in one clause of a command that writes one": ("run uniq on ", "a{}.txt and ", "b.txt"),
    "output options without end": ("run sort", " -o", " on notes.txt"),
    "numbers no duration reads": ("sleep ", "2m ", ""),
    # attack86: started quotes followed by prose, abbreviated long options, "also" with words after the noun
    "started quotes followed by prose": ("", "start 'sort -o n{}.txt' in bold, ", ""),
    "abbreviated long options without end": ("run 'uniq", " --skip-f 1", " a.txt' on b.txt"),
    "'also' and the image made, one a step": ("Edit photo.jpg. ", "Also, caption the image you made. ", ""),
    # fix90: commands that never end, grep's quoted patterns, words between "run" and a quote, started commands
    # that write, numbers before the noun an input is named for, glued durations without their last unit, decades
    "commands that never end, one a clause": ("", "run 'tail -f n{}.txt'. ", ""),
    "grep with a quoted pattern, one a clause": ("", "run grep 'p{0}' on n{0}.txt. ", ""),
    "words between 'run' and a quote": ("run ", "foo ", "'ls -la'"),
    "quotes after a program named after 'run'": ("run foo ", "'a{}' ", ""),
    "started commands that write, one a clause": ("", "start the command 'sort -o n{}.txt'. ", ""),
    "numbers before nouns, one a clause": ("", "roll {} dice. ", ""),
    "numbers before nouns in one clause": ("roll ", "5 dice and ", "6 sides"),
    "glued durations without the last unit": ("sleep ", "1h30 ", ""),
    "durations and a number without a unit, one a clause": ("", "sleep 1 hour 30, then ", "read it aloud"),
    "decades over and over": ("play songs from ", "the 90s and ", "the 80s"),
    # attack95: places from the root a command is not given, devices read without end, a fanned step's places
    "paths from the root a command is run on, one a clause": ("", "run cat on /etc/p{}. ", ""),
    "paths from the root and URLs in one command's clause": ("run 'wc -l' on ", "/d{0}/x https://h{0}.example/a ", ""),
    "quoted commands and a path from the root, one step": ("run ", "'ls /d{}' ", "in /tmp"),
    "devices read, one a clause": ("", "run 'head -c -{} /dev/zero'. ", ""),
    # attack93: "to" after likeness words (a thing, not a place), plan89's listed quotes, "also ... it", work missing
    "likeness to files, one a question": ("", "how similar is 'a{0}' to r{0}.txt? ", ""),
    "likeness, then a place to store in": ("", "compare 'a{0}' to r{0}.txt and save the score to o{0}.txt. ", ""),
    "likeness words without end before 'to'": ("how similar ", "in tone and style ", "is 'a' to report.txt?"),
    "quotes listed without end": ("Translate ", "'q{}', ", "and 'z', then paint a picture of each translation"),
    "work asked again on 'it', one a step": ("", "Translate n{}.txt into French. Also translate it into German. ", ""),
    "stores of a kind no writer takes": ("", "Edit p{}.jpg to add a hat. Also, save the image. ", ""),
    "unknown verbs on a result": ("Summarize notes.txt", ", then tweet the summary", ""),
    "stores 'in' a file, one a clause": ("Summarize notes.txt", ", then write the summary in s{}.txt", ""),
    "a storing verb, then 'in' without end": ("save the summary ", "in the text ", "in s.txt"),
    # fix106: repeats and timeouts said for commands, a number after a duration no unit reads, grep's long flags
    # and echo's quoted text, a count that is no whole number
    "repeats and timeouts said, one a clause": ("", "run 'sleep {}' 3 times with a 200 s timeout. ", ""),
    "a number after a duration, one a clause": ("", "wait 10 seconds {}. ", ""),
    "long options before a quoted pattern, one a clause": ("", "run grep --count 'p{0}' on n{0}.txt. ", ""),
    "echo with a quoted text, one a clause": ("", "run echo 'hi {}'. ", ""),
    "counts that are no whole number, one a clause": ("", "roll {}.5 dice. ", ""),
    # attack110: timeouts and repeats said over and over in one command's clause, commands behind wrappers
    "timeouts said in one command's clause": ("run 'ls' ", "with a {} s timeout and ", "a 5 s timeout"),
    "repeats said in one command's clause": ("run 'ls' ", "{}.5 times and ", "twice"),
    "wrappers before an endless command": ("run 'nice ", "env A{}=1 nice -n 5 ", "yes'"),
}


def seconds(text: str) -> float:
    registry = default_registry(TOOLS)
    start = time.process_time()
    with contextlib.suppress(TaskAnalysisError):  # "no action found" is an answer too: its time is measured
        analyse_heuristic(text, registry)
    return time.process_time() - start


def planning_seconds(text: str) -> float:
    """The whole of `plan`: the analysis, then the tools chosen and the plan built (arguments bound per call)."""
    registry = default_registry(TOOLS)
    # A loop of its own, not asyncio.run: on leaving, 3.11's asyncio.run reads back its SIGINT handler, whose
    # repr (a failed enum lookup's message) is the main task's, with its result: the whole plan, a tenth of
    # the time measured at 60,000 characters
    loop = asyncio.new_event_loop()
    start = time.process_time()
    try:
        with contextlib.suppress(TaskAnalysisError):
            loop.run_until_complete(plan_task(text, registry))
    finally:
        loop.close()
    return time.process_time() - start


def main() -> None:
    """Each shape (or those named) at three lengths; growth is the time at the longest over the shortest, 8x
    the length: about 8x is linear, 64x quadratic."""
    lengths = (15_000, 60_000, 120_000)
    shapes = {name: shape for name, shape in SHAPES.items() if name in sys.argv[1:]} or SHAPES
    for title, measure in (("analysis", seconds), ("whole plan", planning_seconds)):
        rows = []
        for name, (head, unit, tail) in shapes.items():
            times = [measure(head + "".join(unit.format(i) for i in range(n // len(unit))) + tail) for n in lengths]
            rows.append([name, *(f"{t * 1000:.0f}" for t in times), f"{times[-1] / max(times[0], 1e-9):.1f}x"])
        print_table(
            f"hostile requests: {title} CPU time (ms) by length (characters)",
            ["request", *map(str, lengths), "growth"],
            rows,
        )


if __name__ == "__main__":
    main()
