// llmscope: the span search. The page lists the slowest and the failed spans without this
// script; with it, the filters read the data files beside the page (every span of the range,
// slowest first), loading one file at a time and only as far as the rows shown need.
(function () {
  var root = document.querySelector("[data-span-search]");
  if (!root) return;
  var form = root.querySelector("form");
  var body = root.querySelector("tbody");
  var status = root.querySelector(".search-status");
  var more = root.querySelector("button.more");
  var files = +root.getAttribute("data-chunks");
  var prefix = root.getAttribute("data-prefix");
  var step = +root.getAttribute("data-rows");
  var total = +root.getAttribute("data-total");
  var loaded = [], loading = -1, next = 0, shown = step, matches = [], filter = null;

  window.llmscopeSpans = function (i, rows) {
    loaded[i] = rows;
    if (loading === i) loading = -1;
    update();
  };

  function load(i) {
    loading = i;
    var s = document.createElement("script");
    s.src = prefix + (i + 1) + ".js";
    s.onerror = function () { status.textContent = "Cannot read " + s.src + "; the spans shown are those read so far."; };
    document.head.appendChild(s);
  }

  function read() {
    var v = function (name) { return form.elements[name].value.trim(); };
    var min = parseFloat(v("min")), max = parseFloat(v("max"));
    return { app: v("app"), kind: v("kind"), name: v("name").toLowerCase(), status: v("status"),
             min: isNaN(min) ? -Infinity : min, max: isNaN(max) ? Infinity : max };
  }

  // [start, app, kind, name, ms, error, model, tokens, trace, span, has page]
  function keep(r, f) {
    return (!f.app || r[1] === f.app) && (!f.kind || r[2] === f.kind) && (!f.name || r[3].toLowerCase().indexOf(f.name) >= 0)
      && r[4] >= f.min && r[4] <= f.max && (!f.status || (f.status === "error") === (r[5] === 1));
  }

  function ms(v) { return v >= 1000 ? (v / 1000).toFixed(2) + " s" : v.toFixed(1) + " ms"; }

  function cell(tr, cls, text) {
    var td = document.createElement("td");
    td.className = cls;
    if (text !== undefined) td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function render() {
    var rows = document.createDocumentFragment();
    matches.slice(0, shown).forEach(function (r) {
      var tr = document.createElement("tr");
      if (r[5] === 1) tr.className = "error";
      cell(tr, "text nowrap", r[0]);
      cell(tr, "text", r[1]);
      var badge = document.createElement("span");
      badge.className = "badge k-" + r[2];
      badge.textContent = r[2];
      cell(tr, "text").appendChild(badge);
      cell(tr, "text", r[3]);
      cell(tr, "num", ms(r[4]));
      var st = document.createElement("span");
      st.className = r[5] === 1 ? "status-error" : "status-ok";
      st.textContent = r[5] === 1 ? "error" : "ok";
      cell(tr, "text").appendChild(st);
      cell(tr, "text", r[6] || "");
      cell(tr, "num", r[7] === null ? "" : r[7].toLocaleString("en-US"));
      var code = document.createElement("code");
      code.textContent = r[8];
      var td = cell(tr, "text");
      if (r[10] === 1) {
        var a = document.createElement("a");
        a.href = "trace-" + r[8] + ".html#span-" + r[9];
        a.appendChild(code);
        td.appendChild(a);
      } else td.appendChild(code);
      rows.appendChild(tr);
    });
    body.textContent = "";
    body.appendChild(rows);
    var done = next >= files;
    var n = Math.min(shown, matches.length);
    status.textContent = done
      ? n + " of " + matches.length + " matching spans (of " + total + " in this range), slowest first."
      : n + " matching spans shown, slowest first; " + (loading >= 0 ? "reading more…" : "more may match.");
    more.hidden = done && matches.length <= shown;
  }

  function update() {
    while (matches.length <= shown && next < files) {
      if (!loaded[next]) {
        if (loading < 0) load(next);
        break;
      }
      loaded[next].forEach(function (r) { if (keep(r, filter)) matches.push(r); });
      next++;
    }
    render();
  }

  // The filters live in the address (#app=…&status=error), so a filtered view can be shared.
  function fromHash() {
    location.hash.slice(1).split("&").forEach(function (pair) {
      var kv = pair.split("="), field = form.elements[decodeURIComponent(kv[0] || "")];
      if (field && kv.length === 2) field.value = decodeURIComponent(kv[1]);
    });
  }

  function toHash() {
    var parts = [];
    ["app", "kind", "name", "min", "max", "status"].forEach(function (k) {
      var v = form.elements[k].value.trim();
      if (v) parts.push(k + "=" + encodeURIComponent(v));
    });
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
  }

  function reset() {
    filter = read();
    matches = [];
    next = 0;
    shown = step;
    update();
  }

  form.hidden = false;
  fromHash();
  form.addEventListener("input", function () { toHash(); reset(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); reset(); });
  more.addEventListener("click", function () { shown += step; update(); });
  reset();
})();
