"""The command line: ``hcpcs-assistant [ask|code|kb|search|import-hcpcs|check|serve|quiz]``.

Kept to the contract in ``docs/contract.md``: JSON on request, JSON Lines in batch mode, exit 2
with a one-line message for bad usage, and never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

PROG = "hcpcs-assistant"


class UsageError(Exception):
    """Bad usage: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        raise UsageError(message)


def _json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _terminal_safe(text: str) -> str:
    """Drop control characters (escape sequences included) before text reaches a terminal."""
    return "".join(
        ch for ch in text if ch in "\n\t" or (ch.isprintable() and not 0x80 <= ord(ch) < 0xA0)
    )


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--kb",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="answer from another knowledge directory",
    )

    p = _Parser(
        prog=PROG, description="Answers questions about CPT and HCPCS codes.", parents=[common]
    )
    p.add_argument("--theme", choices=("light", "dark"), default=None, help="chat app theme")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    ask = sub.add_parser("ask", parents=[common], help="answer a question (Markdown, or --json)")
    ask.add_argument(
        "question", nargs="*", help="the question; omit it to read one per line from stdin"
    )
    ask.add_argument("--json", action="store_true", help="one JSON object per answer")

    code = sub.add_parser("code", parents=[common], help="classify codes")
    code.add_argument(
        "codes", nargs="*", metavar="CODE", help="codes; omit them to read one per line from stdin"
    )
    code.add_argument("--json", action="store_true", help="one CodeInfo object per line")

    kbp = sub.add_parser("kb", parents=[common], help="print the knowledge base")
    kbp.add_argument("--json", action="store_true", help="as a JSON array of entries")

    search = sub.add_parser(
        "search", parents=[common], help="find Level II codes by words (needs imported data)"
    )
    search.add_argument("words", nargs="+", metavar="WORDS")
    search.add_argument("--json", action="store_true")
    search.add_argument("--limit", type=int, default=10)

    imp = sub.add_parser(
        "import-hcpcs", help="import the CMS Alpha-Numeric HCPCS file (zip or TXT)"
    )
    imp.add_argument("file", metavar="FILE")

    chk = sub.add_parser("check", parents=[common], help="validate a knowledge directory")
    chk.set_defaults(check=True)

    serve = sub.add_parser("serve", parents=[common], help="serve the chat app to web browsers")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    quiz = sub.add_parser("quiz", parents=[common], help="a training quiz in the terminal")
    quiz.add_argument("--seed", type=int, default=None)
    quiz.add_argument("--questions", type=int, default=10)
    return p


# --- input ---------------------------------------------------------------------------------


def _stdin_lines() -> Iterator[str]:
    """Lines of stdin as text, invalid UTF-8 replaced rather than fatal."""
    stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    if stream is None:
        for line in sys.stdin:
            yield line.rstrip("\r\n")
        return
    for raw in stream:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is None or sys.stdin.isatty()
    except (ValueError, OSError):
        return True


# --- commands ----------------------------------------------------------------------------


def _assistant(args):
    from .answer import Assistant, _open_user_data

    return Assistant.from_dir(getattr(args, "kb", None), data_source=_open_user_data)


def _print_answer(reply, out) -> None:
    out.write(_terminal_safe(reply.answer).rstrip() + "\n")
    if reply.sources:
        out.write("\nSources: " + _terminal_safe("; ".join(reply.sources)) + "\n")
    if reply.release:
        out.write(f"HCPCS data: {_terminal_safe(reply.release)}\n")
    if reply.kind != "fallback" and reply.alternatives:
        out.write("\nDid you mean: " + " | ".join(a.question for a in reply.alternatives) + "\n")


def cmd_ask(args, out) -> int:
    assistant = _assistant(args)
    if args.question:
        questions: Iterable[str] = [" ".join(args.question)]
    elif not _stdin_is_terminal():
        questions = _stdin_lines()
    else:
        raise UsageError("ask needs a QUESTION, or questions on stdin (one per line)")
    first = True
    for q in questions:
        reply = assistant.answer(q)
        if args.json:
            out.write(_json(reply.to_dict()) + "\n")
        else:
            if not first:
                out.write("\n---\n\n")
            _print_answer(reply, out)
        first = False
    return 0


def cmd_code(args, out) -> int:
    assistant = _assistant(args)
    if args.codes:
        items: Iterable[str] = args.codes
    elif not _stdin_is_terminal():
        items = (line for line in _stdin_lines() if line.strip())
    else:
        raise UsageError("code needs at least one CODE, or codes on stdin (one per line)")
    from . import cards

    first = True
    for item in items:
        info = assistant.classify(item.strip())
        if args.json:
            out.write(_json(info.to_dict()) + "\n")
        else:
            if not first:
                out.write("\n")
            out.write(_terminal_safe(cards.card(info)) + "\n")
        first = False
    return 0


def cmd_kb(args, out) -> int:
    from . import kb

    knowledge = kb.load(getattr(args, "kb", None))
    if args.json:
        out.write(_json([e.to_dict() for e in knowledge.entries]) + "\n")
        return 0
    for group, entries in knowledge.groups().items():
        out.write(f"{group}\n")
        for e in entries:
            out.write(f"  {e.id:32s} {e.title}\n")
    return 0


def cmd_check(args, out) -> int:
    from . import facts, kb

    directory = getattr(args, "kb", None)
    try:
        knowledge = kb.load(directory)
    except kb.KnowledgeError as exc:
        for problem in exc.problems:
            out.write(f"{problem}\n")
        raise UsageError(str(exc)) from None
    problems = sorted(
        [*knowledge.problems, *facts.check(knowledge)], key=lambda p: (p.path, p.line)
    )
    for problem in problems:
        out.write(f"{_terminal_safe(str(problem))}\n")
    if problems:
        sys.stderr.write(f"{PROG}: {len(problems)} problem(s) in the knowledge base\n")
        return 1
    tables = len(knowledge.tables)
    out.write(f"ok: {len(knowledge.entries)} entries, {tables} fact tables, no problems\n")
    return 0


def cmd_search(args, out) -> int:
    from .hcpcs import DataUnavailable, open_data

    try:
        data = open_data()
    except DataUnavailable as exc:
        raise UsageError(str(exc)) from None
    if data is None:
        raise UsageError(
            "no HCPCS data imported yet: run `hcpcs-assistant import-hcpcs FILE` first"
        )
    hits = data.search(" ".join(args.words), limit=max(1, args.limit))
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
        out.write(_terminal_safe(f"{record.code}  {record.long_description}  ({score:.0f})") + "\n")
    out.write(f"HCPCS data: {_terminal_safe(data.release)}\n")
    return 0


def cmd_import(args, out) -> int:
    from .hcpcs import ImportFailed, import_file

    path = Path(args.file)
    if path.is_dir():
        raise UsageError(f"cannot read {args.file}: it is a directory, not the CMS file")
    if not path.is_file():
        raise UsageError(f"cannot read {args.file}: no such file")
    try:
        summary = import_file(path)
    except ImportFailed as exc:
        raise UsageError(f"{args.file}: {exc}") from None
    except OSError as exc:  # unreadable input (permissions, a device error): bad usage, not a crash
        raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    out.write(f"{summary}\n")
    return 0


def cmd_chat(args) -> int:
    try:
        from .tui.app import run as run_app
    except ImportError:
        return _question_loop(args)
    return run_app(kb_dir=getattr(args, "kb", None), theme=args.theme)


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
    from .serve import serve

    return serve(host=args.host, port=args.port, kb_dir=getattr(args, "kb", None))


def cmd_quiz(args, out) -> int:
    from .quiz_cli import run_quiz

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


def main(argv: list[str] | None = None) -> int:
    out = sys.stdout
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            return cmd_chat(args)
        return COMMANDS[args.command](args, out)
    except UsageError as exc:
        sys.stderr.write(f"{PROG}: {exc}\n")
        return 2
    except BrokenPipeError:
        # The reader went away (`... | head -1`): stop quietly.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        from .kb import KnowledgeError

        if isinstance(exc, KnowledgeError):
            sys.stderr.write(f"{PROG}: {exc}\n")
            return 2
        sys.stderr.write(f"{PROG}: unexpected error: {type(exc).__name__}: {exc}\n")
        return 1


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
