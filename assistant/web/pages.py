"""The two pages the browser gets: the app's page (which loads textual-serve's script, stylesheet
and fonts from this server, never from the internet) and the page shown when the class is full.

Every value put into them is escaped by the server before substitution."""

from __future__ import annotations

from string import Template

TITLE = "HCPCS assistant"
DEFAULT_FONT_SIZE = 16  # pixels; --font-size (or ?fontsize= in the address) for a projector
MIN_FONT_SIZE, MAX_FONT_SIZE = 8, 48

FULL_PAGE = Template("""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title: full</title>
<link rel="icon" href="data:,">
<style>
body { margin: 0; background: #ffffff; color: #000000; font-family: sans-serif; }
main { max-width: 36em; margin: 15vh auto; padding: 32px 48px; font-size: 18px;
       background: #f2f4f7; border: 2px solid #0b3d91; border-radius: 6px; text-align: center; }
button { margin-top: 16px; padding: 12px 28px; border: none; cursor: pointer;
         background: #0b3d91; color: #ffffff; font: inherit; }
</style>
</head>
<body>
<main>
<h1>The $title is full</h1>
<p>All $limit sessions are in use. Please try again in a few minutes, or ask your trainer
(a session ends when its tab is closed, or after $idle of no use).</p>
<button type="button" onclick="window.location.reload()">Try again</button>
</main>
</body>
</html>
""")

PAGE = Template("""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<link rel="icon" href="data:,">
<link rel="preload" href="${static}fonts/RobotoMono-VariableFont_wght.ttf" as="font"
      type="font/ttf" crossorigin>
<link rel="stylesheet" href="${static}css/xterm.css">
<style>
@font-face {
  font-family: "Roboto Mono";
  src: url("${static}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700;
  font-style: normal;
}
@font-face {
  font-family: "Roboto Mono";
  src: url("${static}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700;
  font-style: italic;
}
body { margin: 0; background: #ffffff; color: #000000; font-family: "Roboto Mono", monospace; }
.dialog-container {
  position: absolute; width: 100vw; height: 100vh; z-index: 10;
  display: flex; align-items: center; justify-content: center;
}
.intro {
  padding: 32px 48px; font-size: 18px; text-align: center;
  background: #f2f4f7; border: 2px solid #0b3d91; border-radius: 6px;
}
button {
  display: block; margin: 16px auto 0; padding: 12px 28px; border: none; cursor: pointer;
  background: #0b3d91; color: #ffffff; font: inherit;
}
body.-first-byte .intro-dialog { display: none; }
.textual-terminal { opacity: 0; transition: opacity 0.3s ease-out; }
body.-first-byte .textual-terminal { opacity: 1; }
.closed-dialog { display: none; }
body.-closed .closed-dialog { display: flex; }
body.-closed .intro-dialog { display: none; }
#start { display: none; }
#start.-delay { display: block; }
</style>
<script src="${static}js/textual.js"></script>
<script>
function startAgain() {
  const params = new URLSearchParams(window.location.search);
  params.delete("delay");
  window.location.href = window.location.pathname + "?" + params.toString();
}
</script>
</head>
<body>
<div class="dialog-container intro-dialog">
  <div class="intro">
    <div>Starting the $title&hellip;</div>
    <button type="button" id="start" onclick="startAgain()">Start</button>
  </div>
</div>
<div class="dialog-container closed-dialog">
  <div class="intro">
    <div>This session has ended.</div>
    <button type="button" onclick="startAgain()">Start a new session</button>
  </div>
</div>
<div id="terminal" class="textual-terminal"
     data-session-websocket-url="$websocket_url" data-font-size="$font_size"></div>
</body>
</html>
""")
