// Charts of the comparison dashboard and the board pack.
//
// The page carries its data as JSON in <script type="application/json"
// id="chart-data"> (no inline script: the CSP forbids it) and one
// <canvas data-chart="KIND"> per chart. Chart.js and the annotation plugin
// are loaded before this module as classic deferred scripts (UMD builds),
// so they are on window. With <html data-test> the charts skip their
// animation, so tests see them drawn at once.
//
// When every chart is drawn, <html> gets data-charts-drawn (the count) and
// data-charts-ms (milliseconds since navigation), for the browser tests.

const Chart = window.Chart;
const annotation = window["chartjs-plugin-annotation"];

// Option colours, index = the option's colour number (the .cN classes of
// app.css use the same).
const palette = ["#1f5fbf", "#e07b39", "#2e9d6a", "#8e5cc2", "#c9404d", "#3aa6b9", "#b58b1f", "#6b7280"];
// Cost category colours, in tco.Categories order.
const categoryColours = {
  personnel: "#1f5fbf",
  technology: "#3aa6b9",
  operations: "#8e5cc2",
  external: "#b58b1f",
  vendor: "#e07b39",
};

const colour = (i) => palette[i % palette.length];

function alpha(hex, a) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

function setup(data) {
  const test = document.documentElement.dataset.test !== undefined;
  if (annotation) Chart.register(annotation);
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = "#5b6475";
  Chart.defaults.borderColor = "#e6e9ef";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  Chart.defaults.plugins.legend.labels.boxHeight = 12;
  if (test || document.body.classList.contains("print-body")) {
    Chart.defaults.animation = false;
    Chart.defaults.animations = {};
    Chart.defaults.transitions.active.animation.duration = 0;
  }
  const cur = data.currency || "EUR";
  const full = new Intl.NumberFormat("en", { style: "currency", currency: cur, maximumFractionDigits: 0 });
  const compact = new Intl.NumberFormat("en", { style: "currency", currency: cur, notation: "compact", maximumFractionDigits: 1 });
  const number = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
  return { full, compact, number, unit: data.unit || "unit" };
}

function moneyAxis(fmt, title) {
  return {
    ticks: { callback: (v) => fmt.compact.format(v) },
    title: title ? { display: true, text: title } : undefined,
  };
}

function moneyTooltip(fmt) {
  return {
    callbacks: {
      label: (ctx) => {
        const v = ctx.parsed.y !== undefined && ctx.chart.config.options.indexAxis !== "y" ? ctx.parsed.y : ctx.parsed.x;
        return `${ctx.dataset.label}: ${fmt.full.format(v)}`;
      },
    },
  };
}

// TCO per option, stacked by category: horizontal bars, so option names
// stay readable on a phone.
function tco(el, d, fmt) {
  const narrow = el.parentElement.clientWidth < 520;
  return new Chart(el, {
    type: "bar",
    data: {
      labels: d.labels,
      datasets: d.datasets.map((s) => ({
        label: s.label,
        data: s.data,
        backgroundColor: categoryColours[s.key] || "#6b7280",
        borderWidth: 0,
        maxBarThickness: 34,
      })),
    },
    options: {
      indexAxis: "y",
      scales: {
        y: {
          stacked: true,
          ticks: {
            autoSkip: false,
            // on a phone long names take the chart's width: cut them
            callback(v) {
              const l = this.getLabelForValue(v);
              return narrow && l.length > 14 ? `${l.slice(0, 13)}…` : l;
            },
          },
        },
        x: { stacked: true, ...moneyAxis(fmt) },
      },
      plugins: { tooltip: moneyTooltip(fmt), legend: { position: "bottom" } },
    },
  });
}

// Cumulative cost over the horizon, each option's payback month marked.
function cumulative(el, d, fmt) {
  const annotations = {};
  d.series.forEach((s) => {
    if (s.payback === null || s.payback === undefined || s.baseline) return;
    annotations[`pb${s.colour}`] = {
      type: "point",
      xValue: s.payback,
      yValue: s.data[s.payback],
      radius: 6,
      backgroundColor: "#fff",
      borderColor: colour(s.colour),
      borderWidth: 3,
    };
  });
  return new Chart(el, {
    type: "line",
    data: {
      labels: d.labels,
      datasets: d.series.map((s) => ({
        label: s.label,
        data: s.data,
        borderColor: colour(s.colour),
        backgroundColor: colour(s.colour),
        borderWidth: s.baseline ? 3 : 2,
        borderDash: s.baseline ? [6, 4] : [],
        pointRadius: 0,
        tension: 0,
      })),
    },
    options: {
      interaction: { mode: "index", intersect: false },
      scales: { x: { ticks: { maxTicksLimit: 12 } }, y: moneyAxis(fmt) },
      plugins: { tooltip: moneyTooltip(fmt), legend: { position: "bottom" }, annotation: { annotations } },
    },
  });
}

// Monthly cost against volume: one line per option, the cheapest option's
// bands shaded, crossings and the forecast volume marked.
function breakEven(el, d, fmt) {
  const annotations = {};
  // Label only what has room: a band under 10% of the range, or a crossing
  // within 8% of the last labelled one, is drawn but not labelled (the
  // list under the chart names them all).
  const room = (d.max || 1) * 0.1;
  (d.bands || []).forEach((b, i) => {
    annotations[`band${i}`] = {
      type: "box",
      xMin: b.from,
      xMax: b.to,
      backgroundColor: alpha(colour(b.colour), 0.08),
      borderWidth: 0,
      label: {
        display: b.to - b.from >= room,
        content: b.label,
        position: { x: "center", y: "start" },
        color: colour(b.colour),
        font: { size: 11, weight: "600" },
      },
    };
  });
  let lastLabel = -Infinity;
  (d.crossings || []).forEach((x, i) => {
    const show = x.v - lastLabel >= (d.max || 1) * 0.08 && Math.abs(x.v - d.forecast) >= (d.max || 1) * 0.08;
    if (show) lastLabel = x.v;
    annotations[`cross${i}`] = {
      type: "line",
      xMin: x.v,
      xMax: x.v,
      borderColor: "#8a93a3",
      borderWidth: 1,
      borderDash: [4, 4],
      label: {
        display: show,
        content: x.short,
        position: "center",
        backgroundColor: "rgba(24,32,46,0.8)",
        font: { size: 10 },
      },
    };
  });
  annotations.forecast = {
    type: "line",
    xMin: d.forecast,
    xMax: d.forecast,
    borderColor: "#18202e",
    borderWidth: 2,
    label: {
      display: true,
      content: `forecast ${fmt.number.format(d.forecast)}`,
      position: "start",
      backgroundColor: "#18202e",
      font: { size: 11, weight: "600" },
    },
  };
  return new Chart(el, {
    type: "scatter",
    data: {
      datasets: d.series.map((s) => ({
        label: s.label,
        data: s.points.map(([x, y]) => ({ x, y })),
        showLine: true,
        borderColor: colour(s.colour),
        backgroundColor: colour(s.colour),
        borderWidth: s.baseline ? 3 : 2,
        borderDash: s.baseline ? [6, 4] : [],
        pointRadius: 0,
        stepped: false,
      })),
    },
    options: {
      interaction: { mode: "nearest", axis: "x", intersect: false },
      scales: {
        x: {
          type: "linear",
          min: 0,
          max: d.max,
          title: { display: true, text: `${d.unit} per month` },
          ticks: { callback: (v) => fmt.number.format(v) },
        },
        y: { ...moneyAxis(fmt, "monthly cost"), beginAtZero: true },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            title: (items) => `${fmt.number.format(items[0].parsed.x)} ${d.unit} per month`,
            label: (ctx) => `${ctx.dataset.label}: ${fmt.full.format(ctx.parsed.y)}`,
          },
        },
        annotation: { annotations },
      },
    },
  });
}

// Quality against cost.
function scatter(el, d, fmt) {
  return new Chart(el, {
    type: "scatter",
    data: {
      datasets: d.points.map((p) => ({
        label: p.label,
        data: [{ x: p.x, y: p.y }],
        backgroundColor: p.status === "ranked" ? colour(p.colour) : "#fff",
        borderColor: colour(p.colour),
        borderWidth: 2,
        pointRadius: 8,
        pointHoverRadius: 10,
        pointStyle: p.status === "ranked" ? "circle" : "rectRot",
      })),
    },
    options: {
      scales: {
        x: { ...moneyAxis(fmt, d.xTitle), grace: "5%" },
        y: { title: { display: true, text: "quality (0–100)" }, suggestedMin: 50, suggestedMax: 100 },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: { label: (ctx) => `${ctx.dataset.label}: ${fmt.full.format(ctx.parsed.x)}, quality ${ctx.parsed.y.toFixed(1)}` },
        },
      },
    },
  });
}

// Sensitivity tornado: savings with each driver at −20% and +20%.
function tornado(el, d, fmt) {
  return new Chart(el, {
    type: "bar",
    data: {
      labels: d.drivers.map((x) => x.label),
      datasets: [
        {
          label: "driver at −20%",
          data: d.drivers.map((x) => [d.base, x.low]),
          backgroundColor: alpha("#1f5fbf", 0.75),
          borderWidth: 0,
          barPercentage: 0.8,
          categoryPercentage: 0.9,
          grouped: false,
        },
        {
          label: "driver at +20%",
          data: d.drivers.map((x) => [d.base, x.high]),
          backgroundColor: alpha("#e07b39", 0.75),
          borderWidth: 0,
          barPercentage: 0.8,
          categoryPercentage: 0.9,
          grouped: false,
        },
      ],
    },
    options: {
      indexAxis: "y",
      scales: { x: moneyAxis(fmt, `savings of ${d.option} (black line: today, ${fmt.compact.format(d.base)})`) },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: { label: (ctx) => `${ctx.dataset.label}: savings ${fmt.full.format(ctx.raw[1])}` },
        },
        annotation: {
          annotations: {
            base: {
              type: "line",
              xMin: d.base,
              xMax: d.base,
              borderColor: "#18202e",
              borderWidth: 2,
            },
            zero: { type: "line", xMin: 0, xMax: 0, borderColor: "#b3261e", borderWidth: 1, borderDash: [4, 4] },
          },
        },
      },
    },
  });
}

// Each round's total of a vendor.
function rounds(el, d, fmt) {
  return new Chart(el, {
    type: "bar",
    data: {
      labels: d.labels,
      datasets: [{ label: d.title, data: d.data, backgroundColor: d.data.map((_, i) => alpha(colour(d.colour), 0.45 + (0.55 * i) / Math.max(1, d.data.length - 1))), borderWidth: 0, maxBarThickness: 64 }],
    },
    options: {
      scales: { y: { ...moneyAxis(fmt), beginAtZero: true } },
      plugins: { legend: { display: false }, tooltip: moneyTooltip(fmt) },
    },
  });
}

const kinds = { tco, cumulative, breakEven, scatter, tornado, rounds };

function main() {
  performance.mark("charts-start");
  const el = document.getElementById("chart-data");
  if (!el || !Chart) return;
  document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));
  const data = JSON.parse(el.textContent);
  const fmt = setup(data);
  const charts = [];
  const times = {};
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const kind = canvas.dataset.chart;
    const d = data.charts[canvas.dataset.key || kind];
    if (!kinds[kind] || !d) return;
    const t0 = performance.now();
    try {
      charts.push(kinds[kind](canvas, d, fmt));
      times[canvas.dataset.key || kind] = Math.round(performance.now() - t0);
    } catch (e) {
      console.error(`chart ${canvas.dataset.key || kind}:`, e); // keep drawing the others
    }
  });
  // Redraw at the printed size (the board pack, or printing the dashboard).
  window.addEventListener("beforeprint", () => charts.forEach((c) => c.resize()));
  window.addEventListener("afterprint", () => charts.forEach((c) => c.resize()));
  requestAnimationFrame(() => {
    const root = document.documentElement;
    root.dataset.chartsDrawn = String(charts.length);
    root.dataset.chartsMs = String(Math.round(performance.now()));
    root.dataset.chartsTimes = JSON.stringify(times); // ms per chart, for the tests' log
  });
}

main();
