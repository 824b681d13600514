/// `GET /docs`: the gateway's API page, as the Flow cookbook shows FastAPI's: the routes from
/// /openapi.json, and a form that sends a request to a data route and shows the answer. A page
/// of our own with no outside assets (no CDN, no Swagger UI bundle): it works offline, and is
/// small enough to keep in the binary as text.
enum DocsPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>jina Flow API</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
  h1 { font-size: 1.5rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  code, pre, textarea, select { font-family: ui-monospace, monospace; font-size: .9rem; }
  table { border-collapse: collapse; width: 100%; } td { padding: .25rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  .method { font-weight: bold; color: #06c; width: 4rem; }
  textarea { width: 100%; height: 8rem; box-sizing: border-box; }
  pre { background: #f6f6f6; padding: .75rem; overflow: auto; max-height: 30rem; }
  button { font-size: 1rem; padding: .3rem 1rem; margin-top: .5rem; }
  #status.failed { color: #b00; }
</style>
</head>
<body>
<h1 id="title">jina Flow API</h1>
<p id="description"></p>

<h2>Send a request</h2>
<form id="send">
  <label>Route <select id="route"></select></label>
  <p id="summary"></p>
  <label for="body">Body (JSON: <code>data</code> is the documents, <code>parameters</code> optional)</label>
  <textarea id="body">{"data": [{"text": "hello world"}], "parameters": {}}</textarea>
  <button type="submit" id="submit">Send</button>
</form>
<p id="status"></p>
<pre id="answer"></pre>

<h2>Routes</h2>
<table id="routes"></table>

<script>
"use strict";
const $ = (id) => document.getElementById(id);
let spec = null;

function dataRoutes() {
  return Object.keys(spec.paths).filter((path) => spec.paths[path].post && !path.includes("{"));
}

function showRoutes() {
  const table = $("routes");
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const row = table.insertRow();
      row.insertCell().textContent = method.toUpperCase();
      row.cells[0].className = "method";
      row.insertCell().innerHTML = "<code></code>";
      row.cells[1].firstChild.textContent = path;
      row.insertCell().textContent = operation.summary || "";
    }
  }
  const select = $("route");
  for (const path of dataRoutes()) select.add(new Option(path, path));
  select.onchange = () => { $("summary").textContent = spec.paths[select.value].post.summary || ""; };
  select.onchange();
}

async function send(event) {
  event.preventDefault();
  const status = $("status"), answer = $("answer");
  status.className = ""; status.textContent = "sending…"; answer.textContent = "";
  let body;
  try { body = JSON.parse($("body").value); } catch (error) {
    status.className = "failed"; status.textContent = "the body is not JSON: " + error.message; return;
  }
  const started = performance.now();
  try {
    const response = await fetch($("route").value, {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
    const text = await response.text();
    status.textContent = "HTTP " + response.status + " in " + Math.round(performance.now() - started) + " ms";
    if (!response.ok) status.className = "failed";
    try { answer.textContent = JSON.stringify(JSON.parse(text), null, 2); } catch { answer.textContent = text; }
  } catch (error) {
    status.className = "failed"; status.textContent = "no answer: " + error.message;
  }
}

fetch("/openapi.json").then((r) => r.json()).then((document_) => {
  spec = document_;
  $("title").textContent = spec.info.title + " " + spec.info.version;
  document.title = spec.info.title;
  $("description").textContent = spec.info.description || "";
  showRoutes();
  $("send").onsubmit = send;
  document.body.dataset.ready = "true";
}).catch((error) => { $("status").textContent = "cannot read /openapi.json: " + error.message; });
</script>
</body>
</html>
"""#
}
