"""The command line: ``hcpcs-assistant [ask|code|kb|search|import-hcpcs|check|serve|quiz]``.

Kept to the contract in ``docs/contract.md``: JSON on request, JSON Lines in batch mode, exit 2
with a one-line message for bad usage, and never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from assistant import PROG
from assistant.cli.streams import stdin_is_terminal, stdin_lines
from assistant.core.text import clean_text, one_line


class UsageError(Exception):
    """Bad usage: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block, and what to do
        raise UsageError(f"{message} (see {self.prog} --help)")

    def parse_args(self, args=None, namespace=None):
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:  # reported here, where the command is known, for a hint about that command
            command = getattr(parsed, "command", None)
            if command == "code" and any(a.startswith("-") for a in extra):
                hint = f"to look up a modifier written with a dash, put -- before it: {PROG} code -- -LT"
            else:
                hint = f"see {PROG} {command} --help" if command else f"see {PROG} --help"
            raise UsageError(f"unrecognized arguments: {' '.join(extra)} ({hint})")
        return parsed


# Characters JSON leaves raw that a terminal may act on: DEL, the C1 controls (U+009B is a
# one-character CSI), and the Unicode line separators. Escaped, the JSON means the same.
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), 0x2028, 0x2029)}


def _json(obj) -> str:
    ascii_only = not _utf8_output()
    return json.dumps(obj, ensure_ascii=ascii_only).translate(_JSON_ESCAPES)


def _utf8_output() -> bool:
    encoding = getattr(sys.stdout, "encoding", None) or ""
    return encoding.lower().replace("-", "").replace("_", "").startswith("utf")


def _one_line(text: str) -> str:
    return one_line(clean_text(str(text)))


def _warn(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    try:
        sys.stderr.write(f"{PROG}: {_one_line(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # no stderr to write to
        pass


class _DataNotice:
    """Shows the assistant's data problem (an unreadable HCPCS database) once per run."""

    def __init__(self, assistant):
        self.assistant = assistant
        self.shown = False

    def __call__(self) -> None:
        problem = self.assistant.data_problem
        if problem and not self.shown:
            self.shown = True
            _warn(f"HCPCS data unavailable: {problem}")


# Examples for every command's --help: what a new user would type first, and why.
EXAMPLES: dict[str | None, tuple[tuple[str, str], ...]] = {
    None: (
        ("", "open the chat app"),
        ('ask "what are J codes?"', "one answer, drawn for the terminal"),
        ("code 99213 J1745 E11.9", "what each code is"),
        ("serve", "the chat app in web browsers"),
        ("COMMAND --help", "more about one command, with examples"),
    ),
    "ask": (
        ('ask "what\'s the difference between HCPCS and CPT?"', ""),
        ('ask "what are J codes?" --json', "one JSON object"),
        ("ask --json < questions.txt", "one question per line in, one JSON line out"),
    ),
    "code": (
        ("code 99213 J1745 0450T E11.9", ""),
        ("code -- -LT", "a modifier written with a dash"),
        ("code --json < codes.txt", "one code per line in, one JSON line out"),
    ),
    "kb": (("kb", "every topic, by group"), ("kb --json > knowledge.json", "every entry")),
    "search": (
        ("search cpap machine", "after import-hcpcs"),
        ("search walker --limit 5 --json", ""),
    ),
    "import-hcpcs": (("import-hcpcs january-2026-alpha-numeric-hcpcs-file.zip", ""),),
    "check": (
        ("check", "the built-in knowledge base"),
        ("check --kb my-knowledge", "another directory: path:line: problem, exit 1 if any"),
    ),
    "serve": (
        ("serve", "then open http://127.0.0.1:8000"),
        ("serve --font-size 28", "larger text, for a projector"),
        ("serve --host 0.0.0.0", "for learners' machines on the classroom network"),
    ),
    "quiz": (
        ("quiz", "10 questions, a new quiz each time"),
        ("quiz --seed 7 --questions 20", "the same quiz again: share the seed"),
    ),
}
NOTES = {
    "import-hcpcs": "The file is the Alpha-Numeric HCPCS file, from CMS's quarterly update page:\n"
    "https://www.cms.gov/medicare/coding-billing/healthcare-common-procedure-system/quarterly-update",
}


def _epilog(command: str | None) -> str:
    """The examples (and any note) that end a command's --help."""
    pairs = [(f"{PROG} {c}".rstrip(), why) for c, why in EXAMPLES[command]]
    width = max((len(line) for line, why in pairs if why), default=0) + 2
    out = ["examples:"]
    out += [f"  {line:<{width}}{why}" if why else f"  {line}" for line, why in pairs]
    if command in NOTES:
        out += ["", NOTES[command]]
    return "\n".join(out)


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version(PROG)
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        from assistant import __version__

        return __version__


class _Version(argparse.Action):
    """``--version``: the installed version, looked up only when asked (reading the package
    metadata costs a tenth of a second that every other command would pay)."""

    def __call__(self, parser, namespace, values, option_string=None):
        sys.stdout.write(f"{PROG} {_version()}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--kb",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="answer from another knowledge directory",
    )

    p = _Parser(
        prog=PROG,
        description="Answers questions about CPT and HCPCS codes.",
        parents=[common],
        epilog=_epilog(None),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    p.add_argument("--theme", choices=("light", "dark"), default=None, help="chat app theme")
    p.add_argument(
        "--browser",
        action="store_true",
        help="run the chat app for a browser tab (serve does this): exports and screenshots "
        "are downloads, nothing is written on this machine",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    add = sub.add_parser

    def command(name: str, **kwargs) -> argparse.ArgumentParser:
        """A subcommand whose --help ends with its examples."""
        return add(
            name,
            epilog=_epilog(name),
            formatter_class=argparse.RawDescriptionHelpFormatter,
            **kwargs,
        )

    ask = command(
        "ask",
        parents=[common],
        help="answer a question (drawn for a terminal, Markdown in a pipe, or --json)",
    )
    ask.add_argument(
        "question", nargs="*", help="the question; omit it to read one per line from stdin"
    )
    ask.add_argument("--json", action="store_true", help="one JSON object per answer")

    code = command("code", parents=[common], help="classify codes")
    code.add_argument(
        "codes", nargs="*", metavar="CODE", help="codes; omit them to read one per line from stdin"
    )
    code.add_argument("--json", action="store_true", help="one CodeInfo object per line")

    kbp = command("kb", parents=[common], help="print the knowledge base")
    kbp.add_argument("--json", action="store_true", help="as a JSON array of entries")

    search = command(
        "search", parents=[common], help="find Level II codes by words (needs imported data)"
    )
    search.add_argument("words", nargs="+", metavar="WORDS")
    search.add_argument("--json", action="store_true")
    search.add_argument("--limit", type=int, default=10)

    imp = command("import-hcpcs", help="import the CMS Alpha-Numeric HCPCS file (zip or TXT)")
    imp.add_argument("file", metavar="FILE")

    chk = command("check", parents=[common], help="validate a knowledge directory")
    chk.set_defaults(check=True)

    serve = command("serve", parents=[common], help="serve the chat app to web browsers")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: the network)",
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--max-sessions",
        type=int,
        default=40,
        metavar="N",
        help="browser tabs served at once; more get a 'full' page (default 40)",
    )
    serve.add_argument(
        "--idle-timeout",
        type=float,
        default=30.0,
        metavar="MINUTES",
        help="end a tab's session after this long without input; 0: never (default 30)",
    )
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another name browsers use to reach this server (repeatable); the address served "
        "on, loopback names and this machine's names are always accepted",
    )

    serve.add_argument(
        "--font-size",
        type=int,
        default=None,
        metavar="PX",
        help="text size of the page in pixels, 8-48 (default 16; 24-32 for a projector); a "
        "page address may also ask for one: http://127.0.0.1:8000/?fontsize=28",
    )

    quiz = command("quiz", parents=[common], help="a training quiz in the terminal")
    quiz.add_argument("--seed", type=int, default=None)
    quiz.add_argument("--questions", type=int, default=10)
    return p


# --- input ---------------------------------------------------------------------------------


# --- commands ----------------------------------------------------------------------------


def _assistant(args):
    from assistant.core.answer import Assistant, _open_user_data

    return Assistant.from_dir(getattr(args, "kb", None), data_source=_open_user_data)


def _print_answer(reply, out) -> None:
    out.write(clean_text(reply.markdown).rstrip() + "\n")
    if reply.sources:
        out.write("\nSources: " + clean_text("; ".join(reply.sources)) + "\n")
    if reply.release:
        out.write(f"HCPCS data: {clean_text(reply.release)}\n")
    if reply.is_uncertain and reply.alternatives:
        choices = " | ".join(a.question for a in reply.alternatives)
        out.write("\nDid you mean: " + clean_text(choices) + "\n")


def _is_terminal(out) -> bool:
    """Whether ``out`` is a terminal (then answers are drawn with Rich, not printed as
    Markdown)."""
    try:
        return bool(out.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _draw_answer(reply, console) -> None:
    """An answer drawn for the terminal: the same parts as :func:`_print_answer`."""
    from assistant.cli import terminal as term

    term.markdown(console, clean_text(reply.markdown).rstrip())
    if reply.sources:
        console.print()
        term.note(console, "Sources: " + clean_text("; ".join(reply.sources)), style="italic")
    if reply.release:
        term.note(console, f"HCPCS data: {clean_text(reply.release)}")
    if reply.is_uncertain and reply.alternatives:
        choices = " | ".join(a.question for a in reply.alternatives)
        console.print()
        term.note(console, "Did you mean: " + clean_text(choices), style="bold")


def _console(out):
    """A Rich console for ``out`` when it is a terminal; None for a pipe or a file (plain
    Markdown, as scripts expect)."""
    if not _is_terminal(out):
        return None
    from assistant.cli.terminal import console_for

    return console_for(out)


def cmd_ask(args, out) -> int:
    assistant = _assistant(args)
    notice = _DataNotice(assistant)
    if args.question:
        questions: Iterable[str] = [" ".join(args.question)]
    elif not stdin_is_terminal():
        questions = stdin_lines()
    else:
        raise UsageError("ask needs a QUESTION, or questions on stdin (one per line)")
    console = _console(out) if not args.json else None
    first = True
    for q in questions:  # one at a time: a long input streams, in constant memory
        reply = assistant.answer(q)
        notice()
        if args.json:
            out.write(_json(reply.to_dict()) + "\n")
        elif console is not None:
            if not first:
                from assistant.cli.terminal import separator

                separator(console)
            _draw_answer(reply, console)
        else:
            if not first:
                out.write("\n---\n\n")
            _print_answer(reply, out)
        out.flush()  # each answer as soon as it is ready, for a script reading a pipe
        first = False
    return 0


def cmd_code(args, out) -> int:
    assistant = _assistant(args)
    notice = _DataNotice(assistant)
    if args.codes:
        items: Iterable[str] = args.codes
    elif not stdin_is_terminal():
        items = (line for line in stdin_lines() if line.strip())
    else:
        raise UsageError("code needs at least one CODE, or codes on stdin (one per line)")
    from assistant.codes import cards

    console = _console(out) if not args.json else None
    first = True
    for item in items:
        info = assistant.classify(item.strip())
        notice()
        if args.json:
            out.write(_json(info.to_dict()) + "\n")
        elif console is not None:
            from assistant.cli.terminal import markdown

            if not first:
                console.print()
            markdown(console, clean_text(cards.card(info)))
        else:
            if not first:
                out.write("\n")
            out.write(clean_text(cards.card(info)) + "\n")
        out.flush()
        first = False
    return 0


def cmd_kb(args, out) -> int:
    from assistant.core.prebuilt import load_knowledge

    knowledge = load_knowledge(getattr(args, "kb", None))
    if args.json:
        out.write(_json([e.to_dict() for e in knowledge.entries]) + "\n")
        return 0
    for group, entries in knowledge.groups().items():
        out.write(f"{clean_text(group)}\n")
        for e in entries:
            out.write(clean_text(f"  {e.id:32s} {e.title}") + "\n")
    return 0


def cmd_check(args, out) -> int:
    from assistant.codes.hcpcs import lexicon as abbreviations
    from assistant.core import check, kb

    directory = getattr(args, "kb", None)
    try:
        knowledge = kb.load(directory)
    except kb.KnowledgeError as exc:
        for problem in exc.problems:
            out.write(f"{problem}\n")
        raise UsageError(str(exc)) from None
    root = Path(directory) if directory else kb.default_dir()
    search_words = abbreviations.load(root, _shown(abbreviations.path_in(root)))
    diagnosis = abbreviations.DIAGNOSIS_PATH
    diagnosis_words = abbreviations.load(
        root, _shown(abbreviations.path_in(root, diagnosis)), diagnosis
    )
    problems = sorted(
        [*check.problems(knowledge), *search_words.problems, *diagnosis_words.problems],
        key=lambda p: (p.path, p.line),
    )
    for problem in problems:
        out.write(f"{clean_text(str(problem))}\n")
    unreadable = sorted({p.path for p in problems if p.unreadable})
    if unreadable:
        raise UsageError(
            f"{len(unreadable)} file(s) in the knowledge directory cannot be read as Markdown "
            "text: fix or remove them"
        )
    if problems:
        sys.stderr.write(f"{PROG}: {len(problems)} problem(s) in the knowledge base\n")
        return 1
    out.write(
        f"ok: {len(knowledge.entries)} entries, {len(knowledge.tables)} fact tables, "
        f"{len(knowledge.lexicon_tables)} lexicon tables, "
        f"{len(search_words.expansions)} search abbreviations, "
        f"{len(diagnosis_words.expansions)} diagnosis abbreviations, no problems\n"
    )
    return 0


def _shown(path: Path) -> str:
    """A path as problem reports show it: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def cmd_search(args, out) -> int:
    from assistant.codes.data import DATA_ERRORS
    from assistant.codes.hcpcs import lexicon, open_data

    directory = getattr(args, "kb", None)  # its own abbreviation list, else the built-in one
    abbreviations = lexicon.load(directory).expansions if directory else None
    try:
        data = open_data()
        if data is not None:
            hits = data.search(
                " ".join(args.words), limit=max(1, args.limit), abbreviations=abbreviations
            )
            release = data.release
    except DATA_ERRORS as exc:
        raise UsageError(f"HCPCS data unavailable: {exc}") from None
    if data is None:
        raise UsageError(
            "no HCPCS data imported yet: run `hcpcs-assistant import-hcpcs FILE` first"
        )
    if args.json:
        out.write(
            _json(
                [
                    {"code": r.code, "description": r.long_description, "score": round(s, 1)}
                    for r, s in hits
                ]
            )
            + "\n"
        )
        return 0
    if not hits:
        out.write("No active HCPCS Level II code matches those words.\n")
    for record, score in hits:
        out.write(clean_text(f"{record.code}  {record.long_description}  ({score:.0f})") + "\n")
    out.write(f"HCPCS data: {clean_text(release)}\n")
    return 0


def cmd_import(args, out) -> int:
    from assistant.codes.hcpcs import ImportFailed, import_file
    from assistant.core import files

    try:
        summary = import_file(Path(args.file))
    except ImportFailed as exc:
        message = str(exc)
        if not exc.in_data_dir and args.file not in message:
            message = f"{args.file}: {message}"  # a record of the file: say which file
        raise UsageError(message) from None
    except OSError as exc:  # anything not caught below: the cause, never "unexpected error"
        raise UsageError(f"cannot import {args.file}: {files.reason(exc)}") from None
    out.write(f"{clean_text(str(summary))}\n")
    return 0


def cmd_chat(args) -> int:
    with _keys_kept_for_the_app():
        try:
            from assistant.tui.app import run as run_app
        except ImportError:
            return _question_loop(args)
        return run_app(kb_dir=getattr(args, "kb", None), theme=args.theme, browser=args.browser)


@contextlib.contextmanager
def _keys_kept_for_the_app():
    """While the chat app starts (Python loads Textual before it can read a key), keys typed
    are kept for it instead of being lost: a terminal takes Ctrl+Q as flow control (XON) and
    throws it away, and echoes what is typed over the screen. So Ctrl+Q pressed right after
    launch quits as soon as the app reads it. The terminal's settings are put back afterwards.
    Ctrl+C still interrupts."""
    try:
        import termios
    except ImportError:  # not a Unix terminal: nothing to keep
        yield
        return
    try:
        fd = sys.stdin.fileno()
        if not os.isatty(fd):
            raise OSError("not a terminal")
        before = termios.tcgetattr(fd)
        kept = termios.tcgetattr(fd)
        kept[0] &= ~(termios.IXON | termios.IXOFF)  # iflag: Ctrl+Q and Ctrl+S are keys
        kept[3] &= ~(termios.ICANON | termios.ECHO)  # lflag: no line editing, no echo
        kept[6][termios.VMIN], kept[6][termios.VTIME] = 1, 0
        termios.tcsetattr(fd, termios.TCSANOW, kept)
    except (OSError, ValueError, AttributeError, termios.error):  # no terminal: nothing to keep
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError, ValueError, termios.error):
            termios.tcsetattr(fd, termios.TCSANOW, before)


def _question_loop(args) -> int:
    """A plain question loop, for terminals where the chat app cannot run."""
    assistant = _assistant(args)
    print("hcpcs-assistant: ask about CPT and HCPCS codes (empty line or Ctrl+D to quit)")
    while True:
        try:
            q = input("? ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not q.strip():
            return 0
        _print_answer(assistant.answer(q), sys.stdout)
        print()


def cmd_serve(args, out) -> int:
    from assistant.web.serve import serve

    theme = args.theme or "light"  # projectors: light unless asked otherwise
    return serve(
        host=args.host,
        port=args.port,
        kb_dir=getattr(args, "kb", None),
        theme=theme,
        max_sessions=args.max_sessions,
        idle_minutes=args.idle_timeout,
        allow_hosts=tuple(args.allow_host),
        font_size=args.font_size,
    )


def cmd_quiz(args, out) -> int:
    from assistant.cli.quiz import run_quiz

    return run_quiz(seed=args.seed, count=args.questions, kb_dir=getattr(args, "kb", None))


COMMANDS = {
    "ask": cmd_ask,
    "code": cmd_code,
    "kb": cmd_kb,
    "check": cmd_check,
    "search": cmd_search,
    "import-hcpcs": cmd_import,
    "serve": cmd_serve,
    "quiz": cmd_quiz,
}


def _prepare_stdout():
    """stdout for the commands: characters its encoding lacks become "?" rather than an error
    (JSON switches to ASCII escapes instead); with stdout closed, output goes nowhere."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the whole run
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")
    return sys.stdout


def _quiet_stdout() -> None:
    """The reader went away (`... | head -1`): send what is left to /dev/null, so that Python's
    final flush at exit cannot fail and print "Exception ignored ... BrokenPipeError"."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _check_kb_option(args) -> None:
    """``--kb`` naming a named pipe or a device is refused at once, for what it is."""
    directory = getattr(args, "kb", None)
    if not directory:
        return
    import stat

    from assistant.core import files

    try:
        mode = os.stat(directory).st_mode
    except (OSError, ValueError):
        return  # missing or unreadable: the knowledge loader says so
    if not stat.S_ISDIR(mode) and not stat.S_ISREG(mode):
        raise UsageError(
            f"--kb {directory} is {files.kind(mode)}, not a knowledge directory (give the "
            "directory that holds entries/*.md)"
        )


def main(argv: list[str] | None = None) -> int:
    try:
        out = _prepare_stdout()
        args = build_parser().parse_args(argv)
        _check_kb_option(args)
        if args.command is None:
            return cmd_chat(args)
        status = COMMANDS[args.command](args, out)
        out.flush()  # here, not at exit, so that a closed pipe is caught below
        return status
    except UsageError as exc:
        _warn(str(exc))
        return 2
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        _warn("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last resort: never a traceback for the user
        from assistant.core.kb import KnowledgeError

        if isinstance(exc, KnowledgeError):
            _warn(str(exc))
            return 2
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            _quiet_stdout()
            return 0
        _warn(
            f"unexpected error: {type(exc).__name__}: {exc} "
            "(please report it with the command that caused it)"
        )
        return 1


def entry() -> None:
    """The ``hcpcs-assistant`` command (and ``python -m assistant``): :func:`main`, then leave
    at once.

    The built-in knowledge base is some hundred thousand objects; taking them apart one by one
    when the interpreter shuts down would add about a fifth to a one-shot ``ask``. Nothing is
    left to do by then: every file the commands write is closed before they return, and only
    the standard streams still hold output, so they are flushed and the process ends without
    that teardown."""
    status = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # reader gone: no matter
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    entry()
