"""``hcpcs-assistant serve``: the chat app in the browser, tested over loopback only.

The server runs as a real subprocess on a free port of 127.0.0.1. The tests fetch the page and its
assets like a browser, check that nothing is loaded from the internet, and drive a session the way
textual-serve's page does: a websocket to ``/ws``, ``["stdin", text]`` messages for keystrokes,
the app's screen coming back as terminal output. Every wait is bounded, and the server and its app
processes are stopped whatever happens (a Ctrl+C to the process group, as a terminal sends it,
then SIGKILL).
"""

from __future__ import annotations

import contextlib
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

from assistant import serve

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


@pytest.fixture
def knowledge_dir(make_kb) -> Path:
    entry = """\
        # Training

        ## browser-sessions

        ### Questions
        - How do browser sessions work?

        ### Answer
        {answer}.

        ### Sources
        - Test knowledge
        """
    return make_kb({"entries/01-training.md": entry.format(answer=ANSWER)})


@pytest.fixture
def server(tmp_path, knowledge_dir, empty_data_dir):
    """``python -m assistant serve`` on a free loopback port, in its own process group."""
    port = free_port()
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    env = dict(os.environ, HCPCS_ASSISTANT_DATA=str(empty_data_dir), PYTHONIOENCODING="utf-8")
    argv = [sys.executable, "-m", "assistant", "serve", "--port", str(port)]
    argv += ["--kb", str(knowledge_dir)]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
    running = Server(process, port, out, err)
    try:
        started = wait_until(
            lambda: "Serving" in out.read_text() or process.poll() is not None, START_SECONDS
        )
        assert started and process.poll() is None, running.output()
        yield running
    finally:
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


class Terminal:
    """A browser tab, as textual-serve's page drives it: a websocket and a terminal stream."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.websocket = websocket
        self.stream = bytearray()
        self.closed = False

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
            elif message.type in (
                aiohttp.WSMsgType.CLOSE,
                aiohttp.WSMsgType.CLOSED,
                aiohttp.WSMsgType.CLOSING,
                aiohttp.WSMsgType.ERROR,
            ):
                self.closed = True
        return True

    async def type(self, text: str) -> None:
        for char in text:  # one message per key, as xterm.js sends typed keys
            await self.websocket.send_json(["stdin", char])

    async def wait_closed(self, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while not self.closed and time.monotonic() < end:
            await self.wait_for("\0never\0", end - time.monotonic())
        return self.closed


@contextlib.asynccontextmanager
async def browser_tab(http: aiohttp.ClientSession, server: Server, width=100, height=30):
    url = f"ws://{HOST}:{server.port}/ws?width={width}&height={height}"
    async with http.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=10)) as websocket:
        await websocket.send_json(["resize", {"width": width, "height": height}])
        yield Terminal(websocket)


def local_urls(text: str) -> list[str]:
    """Every src/href/url() in a page or stylesheet."""
    return re.findall(r'(?:src|href)="([^"]+)"|url\(["\']?([^"\')]+)', text)


# -- the page ----------------------------------------------------------------------------------


async def test_the_page_and_its_assets_are_served_locally(server):
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


def test_a_port_in_use_is_one_clear_line(run_cli):
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
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
    assert serve.is_loopback(host)
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
