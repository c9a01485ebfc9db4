// Small SVG charts for the Kaskade console: no library, no build step.
"use strict";
const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const W = 600, H = 180, L = 48, R = 10, T = 10, B = 24;

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  function text(parent, x, y, s, anchor) {
    const t = el("text", { x, y, "text-anchor": anchor || "start" }, parent);
    t.textContent = s;
    return t;
  }

  function fmt(v) {
    if (v === 0) return "0";
    const a = Math.abs(v);
    if (a >= 1000) return (v / 1000).toFixed(1) + "k";
    if (a >= 10) return v.toFixed(0);
    if (a >= 1) return v.toFixed(1);
    if (a >= 0.01) return v.toFixed(2);
    return v.toExponential(0);
  }

  function clock(ms) {
    const d = new Date(ms);
    return d.toTimeString().slice(0, 8);
  }

  function svg(container) {
    container.textContent = "";
    return el("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none" }, container);
  }

  /**
   * A line chart. series: [{name, color, points: [[timeMs, value|null], ...]}];
   * opts: {threshold, thresholdLabel, yMin, yMax, minTop (least top of an automatic axis), unit}. Sets data-points on the svg (points drawn).
   */
  function line(container, series, opts) {
    opts = opts || {};
    const s = svg(container);
    const all = series.flatMap(x => x.points).filter(p => p[1] !== null && p[1] !== undefined && isFinite(p[1]));
    const times = series.flatMap(x => x.points.map(p => p[0]));
    const t0 = Math.min(...times), t1 = Math.max(...times);
    let y0 = opts.yMin !== undefined ? opts.yMin : Math.min(0, ...all.map(p => p[1]));
    let y1 = opts.yMax !== undefined ? opts.yMax : Math.max(opts.minTop || 1e-9, ...all.map(p => p[1]), opts.threshold || 0);
    if (opts.yMax === undefined) y1 *= 1.1;
    const x = t => L + (t1 === t0 ? 0 : (t - t0) / (t1 - t0)) * (W - L - R);
    const y = v => H - B - ((v - y0) / (y1 - y0 || 1)) * (H - T - B);
    el("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#bbb" }, s);
    el("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#bbb" }, s);
    for (let i = 0; i <= 4; i++) {
      const v = y0 + (y1 - y0) * i / 4;
      el("line", { x1: L, y1: y(v), x2: W - R, y2: y(v), stroke: "#eee" }, s);
      text(s, L - 4, y(v) + 3, fmt(v) + (i === 4 && opts.unit ? " " + opts.unit : ""), "end");
    }
    if (isFinite(t0)) {
      text(s, L, H - 8, clock(t0));
      text(s, W - R, H - 8, clock(t1), "end");
    }
    if (opts.threshold !== undefined && opts.threshold !== null) {
      el("line", { x1: L, y1: y(opts.threshold), x2: W - R, y2: y(opts.threshold), stroke: "#c0392b",
        "stroke-dasharray": "4 3", class: "threshold" }, s);
      text(s, W - R, y(opts.threshold) - 3, opts.thresholdLabel || "threshold", "end");
    }
    let drawn = 0;
    for (const serie of series) {
      let d = "";
      let pen = false;
      for (const [t, v] of serie.points) {
        if (v === null || v === undefined || !isFinite(v)) { pen = false; continue; }
        d += (pen ? "L" : "M") + x(t).toFixed(1) + "," + y(v).toFixed(1);
        pen = true;
        drawn++;
        if (serie.dots) el("circle", { cx: x(t), cy: y(v), r: 2.5, fill: serie.color }, s);
      }
      if (d) el("path", { d, fill: "none", stroke: serie.color, "stroke-width": 1.8, class: "series" }, s);
    }
    s.setAttribute("data-points", drawn);
    return s;
  }

  /** A histogram. bins: [{from, to, count}]; opts: {threshold}. */
  function bars(container, bins, opts) {
    opts = opts || {};
    const s = svg(container);
    if (!bins.length) { s.setAttribute("data-points", 0); return s; }
    const lo = bins[0].from, hi = bins[bins.length - 1].to;
    const max = Math.max(1, ...bins.map(b => b.count));
    const x = v => L + ((v - lo) / (hi - lo || 1)) * (W - L - R);
    const y = c => H - B - (c / max) * (H - T - B);
    el("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#bbb" }, s);
    text(s, L - 4, y(max) + 3, String(max), "end");
    text(s, L - 4, H - B, "0", "end");
    for (const b of bins) {
      const over = opts.threshold !== undefined && b.from >= opts.threshold;
      el("rect", { x: x(b.from) + 1, y: y(b.count), width: Math.max(1, x(b.to) - x(b.from) - 2),
        height: H - B - y(b.count), fill: over ? "#c0392b" : "#2a62c9", class: "bar" }, s);
    }
    text(s, L, H - 8, fmt(lo));
    text(s, W - R, H - 8, fmt(hi), "end");
    if (opts.threshold !== undefined && opts.threshold !== null) {
      el("line", { x1: x(opts.threshold), y1: T, x2: x(opts.threshold), y2: H - B, stroke: "#c0392b",
        "stroke-dasharray": "4 3", class: "threshold" }, s);
      text(s, x(opts.threshold) + 3, T + 10, "threshold " + fmt(opts.threshold));
    }
    s.setAttribute("data-points", bins.filter(b => b.count > 0).length);
    return s;
  }

  return { line, bars, el, text, fmt, clock };
})();
