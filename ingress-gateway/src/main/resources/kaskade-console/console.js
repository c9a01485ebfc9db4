// The Kaskade console: one page per view, data only from the gateway's /api (and the inference
// endpoints for "try it"). Everything is built with DOM calls and textContent: no HTML strings.
"use strict";
(() => {
  const TOKEN_KEY = "kaskade.token";
  const page = document.getElementById("page");
  let timer = null;

  // ---- helpers -------------------------------------------------------------------------------
  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  function showError(message) {
    const box = document.getElementById("error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  function headers(extra) {
    const out = Object.assign({}, extra || {});
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) out["Authorization"] = "Bearer " + token;
    return out;
  }

  /** GET /api/...: the JSON answer, or throws with the gateway's error message. */
  async function api(path) {
    const res = await fetch(path, { headers: headers() });
    const body = await res.json().catch(() => ({}));
    if (res.status === 401) {
      document.getElementById("token-panel").hidden = false;
    }
    if (!res.ok) throw new Error(body.error || ("HTTP " + res.status));
    return body;
  }

  function pretty(v) {
    return JSON.stringify(v, null, 2);
  }

  function badge(ok, yes, no) {
    return h("span", { class: "badge " + (ok ? "ready" : "not-ready") }, ok ? yes : no);
  }

  function qs(params) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") p.set(k, v);
    const s = p.toString();
    return s ? "?" + s : "";
  }

  function guard(fn) {
    return async (...args) => {
      try {
        showError("");
        await fn(...args);
      } catch (e) {
        showError(e.message);
      }
    };
  }

  // ---- Models ----------------------------------------------------------------------------------
  async function models() {
    const data = await api("/api/models");
    const rows = data.models.map(m => h("tr", { "data-model": m.name },
      h("td", {}, m.kind),
      h("td", {}, h("b", {}, m.name), h("div", { class: "muted" }, m.namespace)),
      h("td", { class: "ready-cell" }, badge(m.ready, "Ready", "Not ready")),
      h("td", {}, m.reason || ""),
      h("td", {}, (m.revisions || []).map(r => h("div", {},
        h("code", {}, r.revision), " ", r.traffic_percent + "%", r.shadow ? " (shadow)" : "",
        " ", h("span", { class: "muted" }, r.state + ", " + r.instances + " instance(s)")))),
      h("td", {}, Object.entries(m.endpoints || {}).map(([k, v]) => h("div", {}, h("span", { class: "muted" }, k + " "), h("code", {}, v))))));
    page.append(h("h2", {}, "Models"),
      h("table", { id: "models-table" },
        h("thead", {}, h("tr", {}, ["Kind", "Name", "Ready", "Reason", "Revisions and traffic", "Endpoints"].map(t => h("th", {}, t)))),
        h("tbody", {}, rows)),
      tryIt(data.models.filter(m => m.kind !== "InferenceGraph")));
  }

  function v1Example(m) {
    const input = (m.example_v2 && m.example_v2.inputs[0]) || null;
    if (!input) return { instances: [[1.0]] };
    const shape = input.shape;
    const per = shape.slice(1).reduce((a, b) => a * b, 1);
    const rows = [];
    for (let i = 0; i < (shape[0] || 1); i++) rows.push(input.data.slice(i * per, (i + 1) * per));
    return { instances: rows };
  }

  function example(m, protocol) {
    if (protocol === "v1") return v1Example(m);
    const body = m.example_v2 ? JSON.parse(JSON.stringify(m.example_v2)) : { inputs: [] };
    body.id = "console-" + Math.random().toString(16).slice(2, 10) + Date.now().toString(16);
    return body;
  }

  function tryIt(list) {
    const byName = Object.fromEntries(list.map(m => [m.name, m]));
    const select = h("select", { id: "try-model" }, list.map(m => h("option", { value: m.name }, m.name)));
    const protocol = h("select", { id: "try-protocol" }, h("option", { value: "v2" }, "V2 (Open Inference Protocol)"), h("option", { value: "v1" }, "V1 (KServe)"));
    const body = h("textarea", { id: "try-body", spellcheck: "false" });
    const answer = h("pre", { id: "try-answer" }, "");
    const status = h("div", { id: "try-status", class: "muted" });
    const fill = () => {
      const m = byName[select.value];
      if (m) body.value = pretty(example(m, protocol.value));
    };
    select.addEventListener("change", fill);
    protocol.addEventListener("change", fill);
    if (list.some(m => m.name === "iris")) select.value = "iris";
    fill();
    const send = guard(async () => {
      const name = select.value;
      const url = protocol.value === "v1" ? `/v1/models/${encodeURIComponent(name)}:predict` : `/v2/models/${encodeURIComponent(name)}/infer`;
      const started = performance.now();
      const res = await fetch(url, { method: "POST", headers: headers({ "Content-Type": "application/json" }), body: body.value });
      const text = await res.text();
      let shown = text;
      try { shown = pretty(JSON.parse(text)); } catch (e) { /* not JSON: show as is */ }
      answer.textContent = shown;
      status.textContent = "";
      status.append(`HTTP ${res.status} in ${(performance.now() - started).toFixed(0)} ms`);
      let id = null;
      try { id = JSON.parse(body.value).id; } catch (e) { /* the body is the user's */ }
      if (id && res.ok) status.append(" · ", h("a", { href: "/ui/audit?id=" + encodeURIComponent(id), id: "try-audit-link" }, "audit record " + id));
      answer.setAttribute("data-status", res.status);
      fill();
    });
    return h("div", { class: "card", id: "try-it" }, h("h3", {}, "Try it"),
      h("form", { class: "inline", onsubmit: e => { e.preventDefault(); send(); } },
        h("label", {}, "Model", select), h("label", {}, "Protocol", protocol),
        h("button", { type: "submit", id: "try-send" }, "Send")),
      h("div", { class: "side-by-side" }, h("div", {}, h("h3", {}, "Request"), body), h("div", {}, h("h3", {}, "Answer"), answer)),
      status);
  }

  // ---- Live traffic ---------------------------------------------------------------------------
  async function traffic() {
    const holder = h("div", { id: "traffic" });
    page.append(h("h2", {}, "Live traffic"), h("p", { class: "muted" },
      "Calls answered by this gateway over the last 10 minutes, in 5-second buckets; refreshed every 5 seconds."), holder);
    const draw = guard(async () => {
      const data = await api("/api/traffic?window=10m");
      holder.textContent = "";
      if (!data.models.length) holder.append(h("p", {}, "No calls yet. Send one from the Models page."));
      for (const m of data.models) {
        const pts = m.points;
        const total = pts.reduce((a, p) => a + p.calls, 0);
        const card = h("div", { class: "card", "data-model": m.model },
          h("h3", {}, m.model, " ", h("span", { class: "muted" }, total + " call(s)")));
        const row = h("div", { class: "row" });
        const rate = h("div", { class: "card" }, h("b", {}, "Requests per second"));
        const lat = h("div", { class: "card" }, h("b", {}, "Latency (ms)"),
          h("div", { class: "legend" }, h("span", {}, h("i", { class: "p50" }), "p50"), h("span", {}, h("i", { class: "p99" }), "p99")));
        const err = h("div", { class: "card" }, h("b", {}, "Errors per bucket"));
        row.append(rate, lat, err);
        card.append(row);
        holder.append(card);
        Charts.line(rate.appendChild(h("div")), [{ name: "rate", color: "#2a62c9", points: pts.map(p => [p.time_ms, p.rate]) }], { unit: "/s", minTop: 1 });
        Charts.line(lat.appendChild(h("div")), [
          { name: "p50", color: "#2a62c9", dots: true, points: pts.map(p => [p.time_ms, p.p50_ms]) },
          { name: "p99", color: "#c0392b", dots: true, points: pts.map(p => [p.time_ms, p.p99_ms]) }], { unit: "ms" });
        Charts.line(err.appendChild(h("div")), [
          { name: "5xx", color: "#c0392b", points: pts.map(p => [p.time_ms, p.errors_5xx]) },
          { name: "4xx", color: "#b9770e", points: pts.map(p => [p.time_ms, p.errors_4xx]) }], { minTop: 1 });
      }
    });
    await draw();
    timer = setInterval(draw, 5000);
  }

  // ---- Drift and outliers ---------------------------------------------------------------------
  async function drift() {
    const list = await api("/api/monitor");
    const params = new URLSearchParams(location.search);
    const select = h("select", { id: "drift-model" }, list.models.map(m => h("option", { value: m }, m)));
    if (params.get("model")) select.value = params.get("model");
    const holder = h("div", { id: "drift" });
    page.append(h("h2", {}, "Drift and outliers"),
      list.following ? null : h("p", {}, "This gateway does not follow the monitor topics (gateway.console.monitor=false)."),
      list.models.length ? h("label", {}, "Model ", select) : h("p", {},
        "No drift results or outlier scores yet: give an InferenceService a monitor (docs/monitoring.md) and send traffic."),
      holder);
    const show = guard(async () => {
      if (!select.value) return;
      const [ns, model] = select.value.split("/");
      const v = await api(`/api/monitor/${encodeURIComponent(model)}${qs({ namespace: ns })}`);
      holder.textContent = "";
      const alert = v.latest_alert;
      holder.append(h("div", { class: "card", id: "latest-alert" }, h("h3", {}, "Latest drift alert"),
        alert ? h("p", {}, h("span", { class: "badge not-ready" }, "drift"), ` feature ${alert.feature}: ${alert.test} p-value ${alert.p_value.toExponential(2)} < ${alert.threshold} over ${alert.sample_size} samples, window ending ${new Date(alert.window_end_ms).toISOString()}`)
          : h("p", {}, badge(true, "no drift detected", ""))));
      const row = h("div", { class: "row" });
      for (const f of v.features) {
        const card = h("div", { class: "card", "data-feature": f.feature }, h("b", {}, `${f.feature} (${f.test}) p-value`));
        row.append(card);
        Charts.line(card.appendChild(h("div")), [{ name: "p", color: "#2a62c9", dots: true, points: f.points.map(p => [p.time_ms, p.p_value]) }],
          { yMin: 0, yMax: 1, threshold: f.threshold, thresholdLabel: "threshold " + f.threshold });
      }
      holder.append(row);
      const o = v.outliers;
      const oc = h("div", { class: "card", id: "outliers" }, h("h3", {}, `Outlier scores (${o.count} recent, ${o.outliers || 0} outliers)`));
      holder.append(oc);
      Charts.bars(oc.appendChild(h("div")), o.bins, { threshold: o.threshold });
      if (o.top.length) {
        oc.append(h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Request"), h("th", {}, "Score"), h("th", {}, "Outlier"))),
          h("tbody", {}, o.top.map(t => h("tr", {}, h("td", {}, h("a", { href: "/ui/audit?id=" + encodeURIComponent(t.id.split("#")[0]) }, t.id)),
            h("td", {}, t.score.toFixed(3)), h("td", {}, t.outlier ? "yes" : "no"))))));
      }
    });
    select.addEventListener("change", show);
    await show();
    timer = setInterval(show, 10000);
  }

  // ---- Audit -----------------------------------------------------------------------------------
  async function audit() {
    const params = new URLSearchParams(location.search);
    const field = (name, label, value, attrs) => h("label", {}, label, h("input", Object.assign({ name, value: value || "", id: "audit-" + name }, attrs || {})));
    const outcome = h("select", { name: "outcome", id: "audit-outcome" },
      ["", "OK", "ERROR", "PAIRED", "NO_RESPONSE", "REQUEST_ONLY", "RESPONSE_ONLY"].map(o => h("option", { value: o }, o || "any")));
    const form = h("form", { class: "inline", id: "audit-form" },
      field("model", "Model", params.get("model")), field("from", "From (ISO or -1h)", params.get("from"), { placeholder: "-1h" }),
      field("to", "To", params.get("to"), { placeholder: "now" }), field("id", "Request id", params.get("id"), { size: 38 }),
      h("label", {}, "Outcome", outcome), field("limit", "Limit", params.get("limit") || "50", { size: 4 }),
      h("button", { type: "submit" }, "Search"));
    const results = h("div", { id: "audit-results" });
    const record = h("div", { id: "audit-record" });
    const verify = h("div", { class: "card", id: "audit-verify" }, h("h3", {}, "Chain verification"),
      h("button", { type: "button", id: "verify-button", onclick: guard(async () => {
        const v = await api("/api/audit/verify" + qs({ from: form.from.value, to: form.to.value }));
        const out = verify.querySelector(".result") || verify.appendChild(h("div", { class: "result" }));
        out.textContent = "";
        out.append(badge(v.ok, "verified", "BROKEN"), " ", v.summary, h("div", { class: "muted" }, `${v.from} – ${v.to}`),
          ...v.notes.map(n => h("div", { class: "muted" }, "note: " + n)));
      }) }, "Verify the chain over the range"));
    const replays = h("div", { class: "card", id: "audit-replays" }, h("h3", {}, "Replay reports"));
    page.append(h("h2", {}, "Audit"), form, results, record, h("div", { class: "row" }, verify, replays));

    const search = guard(async () => {
      const q = { model: form.model.value, from: form.from.value, to: form.to.value, id: form.id.value, outcome: outcome.value, limit: form.limit.value };
      history.replaceState(null, "", "/ui/audit" + qs(q));
      const data = await api("/api/audit" + qs(q));
      results.textContent = "";
      results.append(h("p", { class: "muted" }, `${data.records.length} record(s) from ${data.from} to ${data.to}${data.truncated ? " (more match: narrow the search)" : ""}`),
        h("table", { id: "audit-table" }, h("thead", {}, h("tr", {}, ["Time", "Request id", "Model", "Outcome", "Endpoint"].map(t => h("th", {}, t)))),
          h("tbody", {}, data.records.map(r => h("tr", { class: "clickable", "data-id": r.id, onclick: () => open(r.id) },
            h("td", {}, r.time), h("td", {}, h("code", {}, r.id)), h("td", {}, `${r.namespace}/${r.model}`),
            h("td", {}, r.error ? h("span", { class: "badge not-ready" }, "error " + r.error) : h("span", { class: "badge ready" }, r.outcome), r.replay ? " replay" : ""),
            h("td", {}, r.endpoint || ""))))));
      if (q.id && data.records.length) await open(q.id);
    });
    const open = guard(async (id) => {
      const data = await api(`/api/audit/records/${encodeURIComponent(id)}${qs({ from: form.from.value, to: form.to.value })}`);
      record.textContent = "";
      for (const r of data.records) {
        record.append(h("div", { class: "card audit-record", "data-id": r.id },
          h("h3", {}, "Record ", h("code", {}, r.id), " ", h("span", { class: "muted" }, `${r.namespace}/${r.inferenceservice} · ${r.time} · ${r.outcome}${r.subject ? " · " + r.subject : ""} · partition ${r.partition} offset ${r.offset}`)),
          h("div", { class: "side-by-side" },
            h("div", {}, h("b", {}, "Request"), h("pre", { class: "audit-request" }, pretty(r.request))),
            h("div", {}, h("b", {}, "Response"), h("pre", { class: "audit-response" }, pretty(r.response))))));
      }
    });
    form.addEventListener("submit", e => { e.preventDefault(); search(); });
    if (params.get("outcome")) outcome.value = params.get("outcome");
    await search();
    await guard(async () => {
      const data = await api("/api/audit/replays");
      if (!data.reports.length) replays.append(h("p", { class: "muted" }, `No reports in ${data.folder}: run kaskade audit replay … --report ${data.folder}/NAME.json`));
      for (const r of data.reports) replays.append(replayReport(r));
    })();
  }

  function replayReport(entry) {
    if (entry.error) return h("p", {}, entry.file + ": " + entry.error);
    const r = entry.report;
    const worst = (r.most_different || []).map(d => Number(d.max_abs_diff)).filter(isFinite);
    const max = Math.max(0, ...worst);
    return h("div", { class: "replay" }, h("b", {}, entry.file), " → ", h("code", {}, r.target),
      h("p", {}, `${r.total} replayed: ${r.identical} identical, ${r.within_tolerance} within ${r.tolerance}, `,
        h("b", {}, `${r.different} different`), `, ${r.errors} error(s); p50 ${r.latency_ms.p50.toFixed(1)} ms, p99 ${r.latency_ms.p99.toFixed(1)} ms`),
      h("table", {}, h("thead", {}, h("tr", {}, ["Original", "Replay", "Max abs diff", "Detail"].map(t => h("th", {}, t)))),
        h("tbody", {}, (r.most_different || []).map((d, i) => h("tr", { class: i === 0 || Number(d.max_abs_diff) >= max * 0.5 ? "diff-high" : "diff-mid" },
          h("td", {}, h("a", { href: "/ui/audit?id=" + encodeURIComponent(d.id) }, d.id)), h("td", {}, d.replay_id || ""),
          h("td", {}, String(d.max_abs_diff)), h("td", {}, d.detail || ""))))));
  }

  // ---- Graphs ----------------------------------------------------------------------------------
  async function graphs() {
    const all = (await api("/api/models")).models.filter(m => m.kind === "InferenceGraph");
    const params = new URLSearchParams(location.search);
    const select = h("select", { id: "graph-name" }, all.map(m => h("option", { value: m.name }, m.name)));
    if (params.get("name")) select.value = params.get("name");
    const holder = h("div", { id: "graph" });
    page.append(h("h2", {}, "Graphs"),
      all.length ? h("label", {}, "InferenceGraph ", select) : h("p", {}, "No InferenceGraph is applied (see examples/ for one)."), holder);
    const show = guard(async () => {
      if (!select.value) return;
      const g = await api(`/api/graphs/${encodeURIComponent(select.value)}`);
      holder.textContent = "";
      holder.append(drawGraph(g));
    });
    select.addEventListener("change", show);
    await show();
    timer = setInterval(show, 10000);
  }

  /** Nodes as columns of step boxes; a step that calls another node gets an arrow to it. */
  function drawGraph(g) {
    const NW = 230, SH = 54, GAP = 70, TOP = 30;
    const height = TOP + 20 + Math.max(1, ...g.nodes.map(n => n.steps.length)) * (SH + 10);
    const width = g.nodes.length * (NW + GAP);
    const s = Charts.el("svg", { class: "graph", viewBox: `0 0 ${width} ${height}`, width, height });
    const defs = Charts.el("defs", {}, s);
    const marker = Charts.el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: "auto" }, defs);
    Charts.el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#5f6b7a" }, marker);
    const xOf = Object.fromEntries(g.nodes.map((n, i) => [n.name, i * (NW + GAP)]));
    g.nodes.forEach((n, i) => {
      const x = i * (NW + GAP);
      Charts.el("rect", { x, y: 2, width: NW, height: height - 4, rx: 8, fill: "#f0f4fb", stroke: "#9fb3d9", class: "graph-node" }, s);
      Charts.text(s, x + 10, 20, `${n.name} · ${n.router_type}`).setAttribute("font-weight", "700");
      n.steps.forEach((st, j) => {
        const y = TOP + j * (SH + 10);
        Charts.el("rect", { x: x + 10, y, width: NW - 20, height: SH, rx: 5, fill: "#fff", stroke: "#2a62c9", class: "graph-step" }, s);
        Charts.text(s, x + 18, y + 16, `${st.name} → ${st.target_kind} ${st.target}`);
        const l = st.latency;
        Charts.text(s, x + 18, y + 32, l ? `mean ${l.mean_ms.toFixed(1)} ms, max ${l.max_ms.toFixed(1)} ms` : "no calls yet").setAttribute("class", "step-latency");
        Charts.text(s, x + 18, y + 47, [st.weight !== undefined && st.weight !== null ? "weight " + st.weight : "", st.condition ? "if " + st.condition : "", l ? l.count + " call(s)" : ""].filter(Boolean).join(" · "));
        if (st.target_kind === "node" && xOf[st.target] !== undefined) {
          Charts.el("path", { d: `M${x + NW - 10},${y + SH / 2} C${x + NW + GAP / 2},${y + SH / 2} ${xOf[st.target] - GAP / 2},${TOP} ${xOf[st.target]},${TOP + 10}`,
            fill: "none", stroke: "#5f6b7a", "marker-end": "url(#arrow)" }, s);
        }
      });
    });
    return h("div", { class: "card" }, s);
  }

  // ---- routing ---------------------------------------------------------------------------------
  const PAGES = { models, traffic, drift, audit, graphs };

  async function render() {
    if (timer) clearInterval(timer);
    timer = null;
    showError("");
    const name = location.pathname.replace(/^\/ui\/?/, "").split("/")[0] || "models";
    document.querySelectorAll("header nav a").forEach(a => a.classList.toggle("active", a.dataset.page === name));
    page.textContent = "";
    page.setAttribute("data-page", name);
    try {
      await (PAGES[name] || models)();
      page.setAttribute("data-loaded", "true");
    } catch (e) {
      showError(e.message);
      page.setAttribute("data-loaded", "error");
    }
  }

  document.addEventListener("click", e => {
    const a = e.target.closest("a");
    if (a && a.getAttribute("href") && a.getAttribute("href").startsWith("/ui") && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      history.pushState(null, "", a.getAttribute("href"));
      render();
    }
  });
  window.addEventListener("popstate", render);
  document.getElementById("token-button").addEventListener("click", () => {
    const p = document.getElementById("token-panel");
    p.hidden = !p.hidden;
  });
  document.getElementById("token-save").addEventListener("click", () => {
    sessionStorage.setItem(TOKEN_KEY, document.getElementById("token-input").value.trim());
    document.getElementById("token-panel").hidden = true;
    render();
  });
  document.getElementById("token-clear").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    document.getElementById("token-input").value = "";
    render();
  });
  render();
})();
