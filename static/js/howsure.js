// The dashboard's "how sure" panel (templates/_dash_risk.html).
//
// The page never waits for the risk simulation. When it was drawn before
// the simulation was made, the panel (section#howsure) carries
// data-src: this module fetches that fragment, which answers once the
// simulation is made, and puts each of its elements in place of the
// page's element with the same id (the panel, and the first screen's
// line when the page has one). Then it draws the panel's two charts from
// <script type="application/json" id="howsure-data">: each option's
// savings from P10 to P90 with its median and today's figure, and the
// share of futures in which each comes out first. No inline script: the
// CSP holds.
//
// <html> gets data-howsure="ready|problem|none|failed" when the panel is
// final and data-howsure-drawn (the charts drawn), for the browser tests.

const palette = ["#1f5fbf", "#e07b39", "#2e9d6a", "#8e5cc2", "#c9404d", "#3aa6b9", "#b58b1f", "#c2408f", "#80b918", "#3a0ca3", "#0f5c5c", "#1d3557"];
const colour = (i) => palette[i % palette.length];

function alpha(hex, a) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

function formats(cur) {
  const full = new Intl.NumberFormat("en", { style: "currency", currency: cur || "EUR", maximumFractionDigits: 0 });
  const compact = new Intl.NumberFormat("en", { style: "currency", currency: cur || "EUR", notation: "compact", maximumFractionDigits: 1 });
  return { full, compact };
}

// shortTicks cuts category labels on a narrow chart (a phone), where
// Chart.js would clip them at the canvas's edge; the table has the names.
function shortTicks(el) {
  const narrow = el.parentElement.clientWidth < 520;
  return {
    callback(v) {
      const l = this.getLabelForValue(v);
      return narrow && l.length > 14 ? `${l.slice(0, 13)}…` : l;
    },
  };
}

// spread draws each option's P10–P90 as a floating bar, its median as a
// dark tick and today's deterministic savings as a diamond.
function spread(el, d, fmt) {
  const labels = d.options.map((o) => o.label);
  const point = (key) => d.options.map((o) => ({ x: o[key], y: o.label }));
  return new window.Chart(el, {
    type: "bar",
    data: {
      labels,
      datasets: [
        {
          label: "P10 to P90",
          data: d.options.map((o) => [o.p10, o.p90]),
          backgroundColor: d.options.map((o) => alpha(colour(o.colour), 0.35)),
          borderColor: d.options.map((o) => colour(o.colour)),
          borderWidth: 1,
          barPercentage: 0.7,
          order: 3,
        },
        {
          type: "scatter",
          label: "Median",
          data: point("p50"),
          pointStyle: "line",
          pointRadius: 11,
          pointBorderWidth: 3,
          rotation: 90,
          borderColor: "#18202e",
          backgroundColor: "#18202e",
          order: 1,
        },
        {
          type: "scatter",
          label: "Today",
          data: point("today"),
          pointStyle: "rectRot",
          pointRadius: 6,
          borderColor: "#18202e",
          backgroundColor: "#ffffff",
          borderWidth: 2,
          order: 2,
        },
      ],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      scales: {
        x: { ticks: { callback: (v) => fmt.compact.format(v) }, title: { display: true, text: `savings (${d.basis})` } },
        y: { type: "category", labels, ticks: shortTicks(el) },
      },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12, boxHeight: 12 } },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              if (Array.isArray(ctx.raw)) return `P10 ${fmt.full.format(ctx.raw[0])} to P90 ${fmt.full.format(ctx.raw[1])}`;
              return `${ctx.dataset.label}: ${fmt.full.format(ctx.raw.x)}`;
            },
          },
        },
      },
    },
  });
}

// first draws the share of futures in which each option comes out first.
function first(el, d) {
  return new window.Chart(el, {
    type: "bar",
    data: {
      labels: d.first.map((o) => o.label),
      datasets: [{ label: "Comes out first", data: d.first.map((o) => o.p * 100), backgroundColor: d.first.map((o) => colour(o.colour)), borderWidth: 0, maxBarThickness: 28 }],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } }, y: { ticks: shortTicks(el) } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (ctx) => `first in ${Math.round(ctx.raw * 10) / 10}% of futures` } },
      },
    },
  });
}

function draw() {
  const root = document.documentElement;
  const panel = document.getElementById("howsure");
  const el = document.getElementById("howsure-data");
  if (!panel) return;
  root.dataset.howsure = panel.dataset.state;
  if (!el || !window.Chart) return;
  const d = JSON.parse(el.textContent);
  const fmt = formats(d.currency);
  let drawn = 0;
  for (const canvas of panel.querySelectorAll("canvas[data-howsure-chart]")) {
    try {
      if (canvas.dataset.howsureChart === "spread") spread(canvas, d, fmt);
      else first(canvas, d);
      drawn++;
    } catch (e) {
      console.error("how sure chart:", e);
    }
  }
  root.dataset.howsureDrawn = String(drawn);
}

// fill fetches the fragment and puts its elements in place, by id.
async function fill(panel) {
  const root = document.documentElement;
  const url = new URL(panel.dataset.src, location.href);
  if (root.dataset.test !== undefined) url.searchParams.set("test", "1");
  try {
    const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    for (const id of ["howsure", "howsure-line"]) {
      const fresh = doc.getElementById(id);
      const old = document.getElementById(id);
      if (fresh && old) old.replaceWith(document.importNode(fresh, true));
    }
    draw();
  } catch (e) {
    const wait = document.getElementById("howsure-wait");
    if (wait) wait.textContent = "The simulation did not finish in time; reload the page to try again.";
    root.dataset.howsure = "failed";
    console.warn("how sure:", e.message);
  }
}

function main() {
  const panel = document.getElementById("howsure");
  if (!panel) return;
  if (panel.dataset.src) fill(panel);
  else draw();
}

main();
