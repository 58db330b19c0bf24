"""``hcpcs-assistant serve``: the chat app in the browser, tested over loopback only.

The server runs as a real subprocess on a free port of 127.0.0.1: one per test, except for the
tests that only fetch pages, which share one. The tests fetch the page and its assets like a
browser, check that nothing is loaded from the internet, and drive a session the way
textual-serve's page does: a websocket to ``/ws``, ``["stdin", text]`` messages for keystrokes,
the app's screen coming back as terminal output. Every wait is bounded, and the server and its app
processes are stopped whatever happens (a Ctrl+C to the process group, as a terminal sends it,
then SIGKILL). Options out of range are checked in this process (``run_cli``); a port in use, in
a real one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from assistant.web import guard, serve

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
START_SECONDS = 60
ANSWER_SECONDS = 60
STOP_SECONDS = 30
ANSWER = "Each learner gets a session of their own in the browser"
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[PX^_][^\x1b]*\x1b\\"  # DCS and friends
    r"|\x1b[@-Z\\-_]"
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="process groups and /proc")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (Linux /proc; empty elsewhere)."""
    found = set()
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            if ppid == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie has exited


def wait_until(check, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.1)
    return check()


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    out: Path
    err: Path
    apps: set[int] = field(default_factory=set)  # app processes seen, checked at the end

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def output(self) -> str:
        return self.out.read_text(errors="replace") + self.err.read_text(errors="replace")

    def interrupt(self) -> int:
        """Ctrl+C as a terminal sends it (to the whole process group); the exit status."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(STOP_SECONDS)


TRAINING = """\
# Training

## browser-sessions

### Questions
- How do browser sessions work?

### Answer
{answer}.

### Sources
- Test knowledge
"""


def write_knowledge(folder: Path) -> Path:
    """A knowledge directory of one entry, whose answer is ``ANSWER``."""
    root = folder / "kb"
    (root / "entries").mkdir(parents=True)
    (root / "entries" / "01-training.md").write_text(
        TRAINING.format(answer=ANSWER), encoding="utf-8"
    )
    return root


@pytest.fixture
def knowledge_dir(tmp_path) -> Path:
    return write_knowledge(tmp_path)


@dataclass
class Sandbox:
    """Where a served app could write: its working directory and its home (documents and
    downloads folders included)."""

    cwd: Path
    home: Path

    def files(self) -> list[Path]:
        return sorted(p for d in (self.cwd, self.home) for p in d.rglob("*") if not p.is_dir())


def make_sandbox(folder: Path) -> Sandbox:
    box = Sandbox(folder / "server-cwd", folder / "server-home")
    for path in (box.cwd, box.home, box.home / "Documents", box.home / "Downloads"):
        path.mkdir()
    return box


@pytest.fixture
def sandbox(tmp_path) -> Sandbox:
    return make_sandbox(tmp_path)


@contextlib.contextmanager
def servers(folder: Path, knowledge_dir: Path, data_dir: Path, sandbox: Sandbox):
    """``start(*options)`` within the block: ``python -m assistant serve`` on a free loopback
    port, in its own process group, with its working directory and home in ``sandbox``; every
    server started is stopped at the end of the block."""
    started: list[Server] = []

    def start(*options: str) -> Server:
        port = free_port()
        n = len(started)
        out, err = folder / f"stdout{n}.txt", folder / f"stderr{n}.txt"
        env = dict(os.environ, HCPCS_ASSISTANT_DATA=str(data_dir), PYTHONIOENCODING="utf-8")
        env["HOME"] = str(sandbox.home)
        for name in ("XDG_CONFIG_HOME", "XDG_DOCUMENTS_DIR", "XDG_DOWNLOAD_DIR"):
            env.pop(name, None)
        argv = [sys.executable, "-m", "assistant", "serve", "--port", str(port)]
        argv += ["--kb", str(knowledge_dir), *options]
        with out.open("wb") as stdout, err.open("wb") as stderr:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                cwd=sandbox.cwd,
                env=env,
                start_new_session=True,
            )
        running = Server(process, port, out, err)
        started.append(running)
        ok = wait_until(
            lambda: "Serving" in out.read_text() or process.poll() is not None, START_SECONDS
        )
        assert ok and process.poll() is None, running.output()
        return running

    try:
        yield start
    finally:
        for running in started:
            stop(running)


@pytest.fixture
def start_server(tmp_path, knowledge_dir, empty_data_dir, sandbox):
    """``start_server(*options)``: a server of the test's own (see :func:`servers`)."""
    with servers(tmp_path, knowledge_dir, empty_data_dir, sandbox) as start:
        yield start


@pytest.fixture(scope="module")
def page_server(tmp_path_factory, empty_data_dir) -> Server:
    """One server with the default options, shared by the tests that only fetch pages from it
    (no session is opened, and it is never stopped by a test)."""
    folder = tmp_path_factory.mktemp("page-server")
    with servers(folder, write_knowledge(folder), empty_data_dir, make_sandbox(folder)) as start:
        yield start()


async def page_status_becomes(http, server: Server, status: int, seconds: float) -> bool:
    """Whether the page is answered with ``status`` within ``seconds`` (asked every 0.1 s)."""
    end = time.monotonic() + seconds
    while True:
        async with http.get(server.base + "/") as page:
            if page.status == status:
                return True
        if time.monotonic() >= end:
            return False
        await asyncio.sleep(0.1)


def stop(running: Server) -> None:
    process = running.process
    running.apps |= children(process.pid)
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(STOP_SECONDS)
    for pid in running.apps:  # app processes run in their own groups: never leave one behind
        if alive(pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)


@pytest.fixture
def server(start_server) -> Server:
    """The server with its default options."""
    return start_server()


class Terminal:
    """A browser tab, as textual-serve's page drives it: a websocket and a terminal stream."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.websocket = websocket
        self.stream = bytearray()
        self.messages: list = []  # the server's text messages (JSON), e.g. deliver_file_start
        self.closed = False
        self.close_reason = ""

    @property
    def text(self) -> str:
        return ESCAPES.sub("", self.stream.decode("utf-8", errors="replace"))

    async def wait_for(self, wanted: str, seconds: float) -> bool:
        """Read the terminal output until ``wanted`` shows, the session ends or time is up."""
        end = time.monotonic() + seconds
        while wanted not in self.text:
            left = end - time.monotonic()
            if left <= 0 or self.closed:
                return False
            try:
                message = await self.websocket.receive(timeout=left)
            except TimeoutError:
                return False
            if message.type == aiohttp.WSMsgType.BINARY:
                self.stream.extend(message.data)
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(json.loads(message.data))
            elif message.type in (
                aiohttp.WSMsgType.CLOSE,
                aiohttp.WSMsgType.CLOSED,
                aiohttp.WSMsgType.CLOSING,
                aiohttp.WSMsgType.ERROR,
            ):
                self.close_reason = str(message.extra or "")
                self.closed = True
        return True

    async def type(self, text: str) -> None:
        for char in text:  # one message per key, as xterm.js sends typed keys
            await self.websocket.send_json(["stdin", char])

    async def wait_for_message(self, kind: str, seconds: float):
        """The data of the first text message of this kind from the server (None if none came)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and not self.closed:
            found = [m[1] for m in self.messages if m[0] == kind]
            if found:
                return found[0]
            await self.wait_for("\0never\0", min(0.5, end - time.monotonic()))
        found = [m[1] for m in self.messages if m[0] == kind]
        return found[0] if found else None

    async def wait_closed(self, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while not self.closed and time.monotonic() < end:
            await self.wait_for("\0never\0", end - time.monotonic())
        return self.closed


@contextlib.asynccontextmanager
async def browser_tab(http: aiohttp.ClientSession, server: Server, width=100, height=30):
    """A tab of the server's own page: its websocket carries the page's Origin, as browsers
    send it."""
    url = f"ws://{HOST}:{server.port}/ws?width={width}&height={height}"
    async with http.ws_connect(
        url, origin=server.base, timeout=aiohttp.ClientWSTimeout(ws_close=10)
    ) as websocket:
        await websocket.send_json(["resize", {"width": width, "height": height}])
        yield Terminal(websocket)


def local_urls(text: str) -> list[str]:
    """Every src/href/url() in a page or stylesheet."""
    return re.findall(r'(?:src|href)="([^"]+)"|url\(["\']?([^"\')]+)', text)


# -- the page ----------------------------------------------------------------------------------


async def test_the_page_and_its_assets_are_served_locally(page_server):
    server = page_server
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        async with http.get(server.base + "/") as response:
            assert response.status == 200
            assert response.content_type == "text/html"
            page = await response.text()
        assert "<title>HCPCS assistant</title>" in page
        assert f'data-session-websocket-url="ws://{HOST}:{server.port}/ws"' in page
        assert 'src="/static/js/textual.js"' in page

        # No CDN: every absolute URL in the page is this server's.
        for found in re.findall(r"\b(?:https?|wss?)://[^\s\"'<>)]+", page):
            assert found.split("://", 1)[1].startswith(f"{HOST}:{server.port}/"), found

        # Every asset the page names is served here, and the assets load nothing from outside.
        assets = [a or b for a, b in local_urls(page) if not (a or b).startswith("data:")]
        assert {
            "/static/js/textual.js",
            "/static/css/xterm.css",
            "/static/fonts/RobotoMono-VariableFont_wght.ttf",
        } <= set(assets)
        for asset in assets:
            assert asset.startswith("/static/"), asset
            async with http.get(server.base + asset) as response:
                assert response.status == 200, asset
                body = await response.read()
            if asset.endswith((".css", ".js")):
                text = body.decode("utf-8", errors="replace")
                text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # licence comments
                assert not re.search(r"https?://", text), f"{asset} refers to the internet"
                assert "@import" not in text


async def test_font_size_makes_the_page_larger_for_a_projector(start_server):
    running = start_server("--font-size", "28")
    assert "text 28 px" in running.out.read_text()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        async with http.get(running.base + "/") as response:
            assert 'data-font-size="28"' in await response.text()
        async with http.get(running.base + "/?fontsize=20") as response:  # the address wins
            assert 'data-font-size="20"' in await response.text()


# -- a browser session -------------------------------------------------------------------------


@posix_only
async def test_a_browser_session_answers_a_question(server):
    async with aiohttp.ClientSession() as http:
        async with browser_tab(http, server) as tab:
            assert await tab.wait_for("My knowledge base has", START_SECONDS), tab.text[-2000:]
            apps = children(server.process.pid)
            server.apps |= apps
            assert len(apps) == 1  # this tab's own app process
            await tab.type("How do browser sessions work?")
            await tab.type("\r")
            assert await tab.wait_for(ANSWER, ANSWER_SECONDS), tab.text[-3000:]
            assert "You: How do browser sessions work?" in tab.text

            # A second tab is a second, separate session.
            async with browser_tab(http, server) as other:
                assert await other.wait_for("My knowledge base has", START_SECONDS)
                server.apps |= children(server.process.pid)
                assert len(children(server.process.pid)) == 2
                assert ANSWER not in other.text

        # Closing the tabs ends their app processes; the server keeps running.
        assert wait_until(lambda: not any(alive(p) for p in server.apps), STOP_SECONDS)
        assert server.process.poll() is None
    assert server.interrupt() == 0
    assert "Traceback" not in server.output()


@posix_only
async def test_ctrl_c_stops_the_server_and_its_sessions_cleanly(server):
    async with (
        aiohttp.ClientSession() as http,
        browser_tab(http, server, width=80, height=24) as tab,
    ):
        assert await tab.wait_for("My knowledge base has", START_SECONDS)
        apps = children(server.process.pid)
        server.apps |= apps
        assert apps
        os.killpg(server.process.pid, signal.SIGINT)  # Ctrl+C in the server's terminal
        assert await tab.wait_closed(STOP_SECONDS)
    assert server.process.wait(STOP_SECONDS) == 0
    assert wait_until(lambda: not any(alive(p) for p in apps), STOP_SECONDS)
    output = server.output()
    assert "Traceback" not in output
    assert f"Serving the HCPCS assistant on http://{HOST}:{server.port}" in output
    assert output.rstrip().endswith("Stopped.")


# -- bad usage ---------------------------------------------------------------------------------


def test_a_port_in_use_is_one_clear_line(run_process):
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_process("serve", "--port", str(port))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr_lines == [
        f"hcpcs-assistant: cannot serve on {HOST} port {port}: port {port} is already in use "
        "(choose another with --port)"
    ]


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_port_out_of_range_is_bad_usage(run_cli, port):
    result = run_cli("serve", "--port", port)
    assert result.returncode == 2
    assert len(result.stderr_lines) == 1 and "--port must be between 1 and 65535" in result.stderr


# -- what it runs, and where -------------------------------------------------------------------


def test_each_session_runs_the_chat_app_for_a_browser_in_the_light_theme_with_this_python(tmp_path):
    assert serve.app_argv() == [sys.executable, "-m", "assistant", "--browser", "--theme", "light"]
    spaced = tmp_path / "my knowledge"
    argv = serve.app_argv(spaced)
    assert argv[-2:] == ["--kb", str(spaced.resolve())]
    if os.name == "posix":
        assert serve.app_command(spaced).endswith(f"--kb '{spaced.resolve()}'")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_hosts_get_no_warning(host):
    assert guard.is_loopback(host)
    assert serve.exposure_warning(host, 8000) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "classroom-pc", ""])
def test_other_hosts_get_a_one_line_warning(host):
    warning = serve.exposure_warning(host, 8000)
    assert warning is not None and "\n" not in warning
    assert "anyone who can reach it can use the assistant" in warning


def test_the_address_to_open():
    assert serve.url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert serve.url("::1", 8080) == "http://[::1]:8080"
    assert "this machine's address" in serve.url("0.0.0.0", 8000)


# -- safety: files, origins, messages, limits ---------------------------------------------------


def app_memory_mb(pid: int) -> float:
    """The app process's resident memory (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


async def download(http: aiohttp.ClientSession, server: Server, key: str) -> tuple[str, str]:
    """What the page fetches after ``deliver_file_start``: (Content-Disposition, body)."""
    async with http.get(f"{server.base}/download/{key}", headers={"Origin": server.base}) as got:
        assert got.status == 200
        return got.headers["Content-Disposition"], await got.text()


@posix_only
async def test_ctrl_s_and_the_palette_deliver_downloads_and_write_no_server_file(server, sandbox):
    async with aiohttp.ClientSession() as http, browser_tab(http, server) as tab:
        assert await tab.wait_for("My knowledge base has", START_SECONDS), tab.text[-2000:]
        server.apps |= children(server.process.pid)
        await tab.type("How do browser sessions work?\r")
        assert await tab.wait_for(ANSWER, ANSWER_SECONDS)

        await tab.type("\x13")  # Ctrl+S
        key = await tab.wait_for_message("deliver_file_start", ANSWER_SECONDS)
        assert key, tab.text[-2000:]
        disposition, body = await download(http, server, key)
        assert re.fullmatch(r"attachment; filename=hcpcs-conversation-[\d-]+\.md", disposition)
        assert body.startswith("# HCPCS assistant conversation")
        assert "## 1. How do browser sessions work?" in body and ANSWER in body
        assert "Save the conversation as a Markdown file" not in tab.text  # no path asked

        tab.messages.clear()
        await tab.type("\x10")  # Ctrl+P: the command palette's screenshot
        assert await tab.wait_for("Search for commands", ANSWER_SECONDS)
        await tab.type("screenshot")
        await asyncio.sleep(1)
        await tab.type("\r")
        key = await tab.wait_for_message("deliver_file_start", ANSWER_SECONDS)
        assert key, tab.text[-2000:]
        disposition, body = await download(http, server, key)
        assert disposition.startswith("inline; filename=") and disposition.endswith(".svg")
        assert "<svg" in body
    assert sandbox.files() == []  # nothing written on the server
    assert server.interrupt() == 0
    assert "Traceback" not in server.output()


OTHER_ORIGINS = [
    "http://evil.example",  # any other site the trainer has open
    "http://evil.example:{port}",
    "http://localhost:{port}",  # another name of this machine: another origin for the page
    "http://127.0.0.1:1",
    "https://127.0.0.1:{port}.evil.example",
    "null",  # a sandboxed frame or a file
    None,  # no Origin at all
]


async def test_a_session_from_another_origin_is_refused(server):
    """Each origin in turn, on one server: refused, no app started, one line on the console
    (then at most one a minute, with a count), and the server stops cleanly afterwards."""
    url = f"ws://{HOST}:{server.port}/ws"
    async with aiohttp.ClientSession() as http:
        for origin in OTHER_ORIGINS:
            headers = {} if origin is None else {"Origin": origin.format(port=server.port)}
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                async with http.ws_connect(url, headers=headers):
                    pass
            assert refused.value.status == 403, origin
            assert children(server.process.pid) == set(), origin  # no app process was started
    assert server.interrupt() == 0
    output = server.output()
    assert output.count("refused a session opened from another site") == 1, output
    assert "Traceback" not in output


async def test_a_request_for_another_host_name_is_refused(page_server):
    """DNS rebinding: a page of evil.example whose name now points at 127.0.0.1."""
    server = page_server
    async with aiohttp.ClientSession() as http:
        for path in ("/", "/ws", "/static/js/textual.js"):
            headers = {"Host": f"evil.example:{server.port}"}
            async with http.get(server.base + path, headers=headers) as response:
                assert response.status == 403, path
                assert "does not answer to that address" in await response.text()
        async with http.get(server.base + "/", headers={"Host": f"localhost:{server.port}"}) as ok:
            assert ok.status == 200


@posix_only
async def test_huge_and_malformed_messages_leave_the_session_small_and_the_console_clean(
    server,
):
    async with aiohttp.ClientSession() as http, browser_tab(http, server) as tab:
        assert await tab.wait_for("My knowledge base has", START_SECONDS)
        (app,) = children(server.process.pid)
        server.apps.add(app)
        websocket = tab.websocket
        before = len(tab.stream)
        await websocket.send_json(["resize", {"width": 20000, "height": 20000}])  # 60 bytes
        for bad in (
            '["resize", {"width": "wide", "height": 30}]',
            '["resize", {"width": 1e400, "height": NaN}]',
            '["resize", {"width": true, "height": 30}]',
            '["resize"]',
            '["resize", null]',
            '["stdin", {"not": "text"}]',
            '["ping", "' + "9" * 1000 + '"]',
            '["run", "rm -rf /"]',
            "[]",
            "{}",
            "not json at all",
            "[" * 100_000 + "]" * 100_000,  # nested past the recursion limit
        ):
            await websocket.send_str(bad)
        await websocket.send_bytes(b"\x00binary")
        await tab.type("How do browser sessions work?\r")  # the session still works
        assert await tab.wait_for(ANSWER, ANSWER_SECONDS), tab.text[-2000:]
        assert app_memory_mb(app) < 400  # a 20000x20000 screen took 2.4 GB
        assert len(tab.stream) - before < 20_000_000  # a 500x200 screen at most, not 1.2 GB
        assert alive(app)

        await websocket.send_str('["stdin", "' + "x" * (300 * 1024) + '"]')  # over 256 KiB
        assert await tab.wait_closed(STOP_SECONDS)
    assert wait_until(lambda: not alive(app), STOP_SECONDS)
    assert server.interrupt() == 0
    output = server.output()
    assert "Traceback" not in output and "Error" not in output
    assert output.count("dropped a malformed message") == 1  # one line, then a count
    assert "sent 13 malformed messages in all" in output
    assert "it sent a message over 256 KiB" in output
    assert len(output) < 2000


@posix_only
async def test_sessions_are_limited_and_a_full_class_gets_a_clear_page(start_server):
    server = start_server("--max-sessions", "1")
    async with aiohttp.ClientSession() as http:
        async with browser_tab(http, server) as tab:
            assert await tab.wait_for("My knowledge base has", START_SECONDS)
            server.apps |= children(server.process.pid)
            async with http.get(server.base + "/") as full:
                assert full.status == 503
                page = await full.text()
            assert "The HCPCS assistant is full" in page and "All 1 sessions are in use" in page
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                async with browser_tab(http, server):
                    pass
            assert refused.value.status == 503
            assert len(children(server.process.pid)) == 1
        assert wait_until(lambda: not any(alive(p) for p in server.apps), STOP_SECONDS)
        # The tab closed: its place is free again, once the server has seen its app exit.
        assert await page_status_becomes(http, server, 200, STOP_SECONDS)
    assert server.interrupt() == 0


@posix_only
async def test_an_idle_session_ends_and_its_app_stops(start_server):
    server = start_server("--idle-timeout", "0.03")  # 1.8 seconds
    assert "idle ones end after 0.03 minutes" in server.output()
    async with aiohttp.ClientSession() as http, browser_tab(http, server) as tab:
        assert wait_until(lambda: children(server.process.pid), START_SECONDS)
        apps = children(server.process.pid)
        server.apps |= apps
        assert await tab.wait_closed(ANSWER_SECONDS)  # nobody typed anything
        assert tab.close_reason == "Ended after no use"
    assert wait_until(lambda: not any(alive(p) for p in apps), STOP_SECONDS)
    assert server.process.poll() is None
    assert server.interrupt() == 0


# -- the checks themselves ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('["stdin", "a"]', ("stdin", "a")),
        ('["resize", {"width": 120, "height": 40}]', ("resize", (120, 40))),
        ('["resize", {"width": 20000, "height": 20000}]', ("resize", (500, 200))),
        ('["resize", {"width": -5, "height": 0}]', ("resize", (10, 5))),
        ('["resize", {"width": 99.7, "height": 1e300}]', ("resize", (99, 200))),
        ('["ping", "1700000000000"]', ("ping", "1700000000000")),
        ('["focus"]', ("focus", None)),
        ('["blur"]', ("blur", None)),
    ],
)
def test_messages_from_the_page_are_read_and_bounded(text, expected):
    assert guard.read_message(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "null",
        '"stdin"',
        "[1, 2]",
        '["stdin"]',
        '["stdin", 5]',
        '["stdin", "a", "b"]',
        '["resize", [80, 24]]',
        '["resize", {"width": "80", "height": 24}]',
        '["resize", {"width": false, "height": 24}]',
        '["resize", {"width": NaN, "height": 24}]',
        '["ping", 5]',
        '["open_url", "http://evil.example"]',
        "[" * 50_000 + "]" * 50_000,
    ],
)
def test_malformed_messages_are_refused(text):
    with pytest.raises(guard.Malformed):
        guard.read_message(text)


@pytest.mark.parametrize(
    ("bound", "host", "ok"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "[::1]:8000", True),
        ("127.0.0.1", "127.0.0.1:8001", False),
        ("127.0.0.1", "127.0.0.1", False),
        ("127.0.0.1", "evil.example:8000", False),
        ("127.0.0.1", "192.168.1.20:8000", False),
        ("127.0.0.1", "", False),
        ("0.0.0.0", "192.168.1.20:8000", True),
        ("0.0.0.0", "[fe80::1]:8000", True),
        ("0.0.0.0", "evil.example:8000", False),
        ("192.168.1.20", "192.168.1.20:8000", True),
        ("192.168.1.20", "10.0.0.1:8000", False),
        ("192.168.1.20", "classroom.example:8000", True),  # --allow-host
    ],
)
def test_the_host_names_a_server_answers_to(bound, host, ok):
    addresses = guard.Addresses(bound, 8000, ("classroom.example",))
    assert addresses.host_ok(host) is ok


def test_only_the_page_s_own_origin_may_open_a_session():
    addresses = guard.Addresses("127.0.0.1", 8000)
    assert addresses.origin_ok("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert addresses.origin_ok("http://LOCALHOST:8000", "localhost:8000")
    assert not addresses.origin_ok("http://localhost:8000", "127.0.0.1:8000")
    assert not addresses.origin_ok("http://evil.example", "127.0.0.1:8000")
    assert not addresses.origin_ok("http://127.0.0.1:8000/path", "127.0.0.1:8000")
    assert not addresses.origin_ok("file://", "127.0.0.1:8000")
    assert not addresses.origin_ok("null", "127.0.0.1:8000")
    assert not addresses.origin_ok(None, "127.0.0.1:8000")
    port80 = guard.Addresses("127.0.0.1", 80)
    assert port80.origin_ok("http://127.0.0.1", "127.0.0.1")


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--max-sessions", "0", "--max-sessions must be between 1 and 1000"),
        ("--idle-timeout", "-1", "--idle-timeout must be between 0 (never) and 10080"),
        ("--idle-timeout", "nan", "--idle-timeout must be between 0 (never) and 10080"),
        ("--font-size", "99", "--font-size must be between 8 and 48 pixels, not 99"),
    ],
)
def test_limits_out_of_range_are_bad_usage(run_cli, option, value, words):
    result = run_cli("serve", option, value)
    assert result.returncode == 2
    assert len(result.stderr_lines) == 1 and words in result.stderr
