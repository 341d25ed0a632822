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
// app.css and howsure.js use the same; static/colours_test.go holds them
// together and apart). Twelve: an option past the twelfth shares a colour.
const palette = ["#1f5fbf", "#e07b39", "#2e9d6a", "#8e5cc2", "#c9404d", "#3aa6b9", "#b58b1f", "#c2408f", "#80b918", "#3a0ca3", "#0f5c5c", "#1d3557"];
// Cost category colours, in tco.Categories order: a ramp of warm greys, so
// that no category reads as an option (a test holds every pair apart).
const categoryColours = {
  personnel: "#3b2f2a",
  technology: "#b09a86",
  operations: "#cdbba7",
  external: "#ebe2d8",
  vendor: "#7d6757",
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
  const paper = document.body.classList.contains("print-body");
  // Paper shows a canvas's pixels at about 0.26 mm each: draw the board
  // pack's charts at twice the density, sharp when printed.
  if (paper) Chart.defaults.devicePixelRatio = Math.max(2, window.devicePixelRatio || 1);
  if (test || paper) {
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
        backgroundColor: categoryColours[s.key] || "#8c8c8c",
        borderColor: "#fff",
        borderWidth: { right: 1 },
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

// spread lays out labels of marks (sorted by v) on an axis of width px
// showing 0..max, about charPx wide a character: each gets a row (m.row)
// and a sideways shift in px (m.dx) so that no two in a row overlap and
// none leaves the axis, each as near its mark as that allows. It takes the
// fewest rows (at most 4) that keep every label within a label's width of
// its mark, else the rows that shift the labels least: bunched crossings
// stagger in rows above one another instead of running far along the axis.
// most is how many rows the chart has room for.
function spread(marks, px, max, charPx = 6, most = 4) {
  if (marks.px === px && marks.most === most) return; // laid out at this size already
  marks.px = px;
  marks.most = most;
  const width = (m) => m.text.length * charPx + 10;
  const lay = (n) => {
    const rows = [];
    let worst = 0;
    for (let r = 0; r < n; r++) {
      const row = marks.filter((_, i) => i % n === r);
      const w = row.map(width);
      const left = row.map((m, i) => (m.v / max) * px - w[i] / 2);
      for (let i = 0; i < row.length; i++) left[i] = Math.max(left[i], i ? left[i - 1] + w[i - 1] + 4 : 0);
      for (let i = row.length - 1, lim = px; i >= 0; i--) {
        left[i] = Math.max(0, Math.min(left[i], lim - w[i]));
        lim = left[i] - 4;
      }
      const dx = row.map((m, i) => Math.round(left[i] + w[i] / 2 - (m.v / max) * px));
      if (left.some((l, i) => l < 0 || l + w[i] > px + 0.5)) worst = Infinity; // does not fit the axis
      dx.forEach((d, i) => (worst = Math.max(worst, Math.abs(d) / w[i])));
      rows.push({ row, dx });
    }
    return { rows, worst };
  };
  let best = null;
  for (let n = 1; n <= Math.max(1, most); n++) {
    const l = lay(n);
    if (!best || l.worst < best.worst) best = l;
    if (l.worst <= 1) break;
  }
  best.rows.forEach(({ row, dx }, r) =>
    row.forEach((m, i) => {
      m.row = r;
      m.dx = dx[i];
    }),
  );
}

// stack lays out labels that start at their marks (sorted by v) on an axis
// of width px showing 0..max: a label that would run past the end moves
// left (m.dx, px), and each takes the first row (m.row) in which it
// overlaps no label before it.
function stack(marks, px, max, charPx = 6) {
  if (marks.px === px) return;
  marks.px = px;
  const ends = [];
  marks.forEach((m) => {
    const w = m.text.length * charPx + 10;
    const at = (m.v / max) * px;
    const x0 = Math.max(0, Math.min(at, px - w));
    let r = 0;
    while (r < ends.length && ends[r] > x0 - 4) r++;
    ends[r] = x0 + w;
    m.row = r;
    m.dx = Math.round(x0 - at);
  });
}

// at returns scriptable annotation options for mark m of marks: its
// sideways shift, whether its leader shows and its row's offset below
// top px (dy(top)), from layout() at the chart area's drawn size, with as
// many rows of rowPx as fit below base px.
function at(marks, m, max, charPx, layout = spread, rowPx = 24, base = 0) {
  // rows below base px that fit the chart area (a label is about 18 px tall)
  const lay = (chart) => layout(marks, chart.chartArea.width, max, charPx, Math.floor((chart.chartArea.height - base - 18) / rowPx) + 1);
  return {
    dx: ({ chart }) => (lay(chart), m.dx),
    leader: ({ chart }) => (lay(chart), m.dx !== 0),
    dy: (top) => ({ chart }) => (lay(chart), top + m.row * rowPx),
  };
}

// Cumulative savings against the baseline by month: above zero an option
// has saved money so far. Each line's payback, where it crosses zero for
// good, is ringed, with a dashed line up to its label at the top of the
// chart (where the lines rarely are before paying back), a row lower where
// paybacks bunch (stack()); options paying back in the same month share a
// label. Options that cannot be ranked are dashed.
function savings(el, d, fmt) {
  const top = ({ chart }) => chart.scales.y.max;
  const annotations = {
    zero: { type: "line", yMin: 0, yMax: 0, borderColor: "#18202e", borderWidth: 1.5 },
  };
  // on a phone the label is the month alone: the colour names the line
  const narrow = el.parentElement.clientWidth < 520;
  const marks = d.series
    .map((s, i) => ({ s, i, v: s.payback, text: narrow ? s.note.replace(/^pays back /, "") : `${s.label} ${s.note}` }))
    .filter((m) => m.v !== null && m.v !== undefined)
    .sort((a, b) => a.v - b.v);
  const n = Math.max(1, d.labels.length - 1);
  // options that pay back in the same month share one label (dark, naming
  // them all), so that many options do not stack labels off the chart
  const labels = [];
  marks.forEach((m) => {
    const g = labels.at(-1);
    if (g && g.v === m.v) g.members.push(m);
    else labels.push({ v: m.v, members: [m], text: m.text });
  });
  labels.forEach((g) => {
    if (g.members.length === 1) return;
    const note = g.members[0].s.note.replace(/^pays back/, "pay back");
    g.text = narrow ? `${g.members[0].text} (${g.members.length})` : `${g.members.map((m) => m.s.label).join(", ")} ${note}`;
  });
  labels.forEach((g, k) => {
    const { s } = g.members[0];
    const pos = at(labels, g, n, 7, stack);
    const bg = g.members.length === 1 ? colour(s.colour) : "#18202e";
    annotations[`pbl${k}`] = {
      type: "label",
      xValue: s.payback,
      yValue: top,
      position: { x: "start", y: "center" },
      xAdjust: pos.dx,
      yAdjust: pos.dy(14),
      content: g.text,
      backgroundColor: bg,
      color: "#fff",
      font: { size: 11, weight: "600" },
      padding: 3,
      callout: { display: pos.leader, borderColor: bg, borderWidth: 1, margin: 0 },
    };
  });
  marks.forEach((m) => {
    const { s, i } = m;
    annotations[`pb${i}`] = {
      type: "point",
      xValue: s.payback,
      yValue: s.data[s.payback],
      radius: 5,
      backgroundColor: "#fff",
      borderColor: colour(s.colour),
      borderWidth: 3,
    };
    annotations[`pbv${i}`] = {
      type: "line",
      xMin: s.payback,
      xMax: s.payback,
      yMin: s.data[s.payback],
      yMax: top,
      borderColor: alpha(colour(s.colour), 0.6),
      borderWidth: 1,
      borderDash: [3, 3],
    };
  });
  return new Chart(el, {
    type: "line",
    data: {
      labels: d.labels,
      datasets: d.series.map((s) => ({
        label: s.ranked ? s.label : `${s.label} (not ranked)`,
        data: s.data,
        borderColor: colour(s.colour),
        backgroundColor: colour(s.colour),
        borderWidth: s.ranked ? 2.5 : 1.5,
        borderDash: s.ranked ? [] : [5, 4],
        pointRadius: 0,
        tension: 0,
      })),
    },
    options: {
      interaction: { mode: "index", intersect: false },
      scales: { x: { ticks: { maxTicksLimit: 12 } }, y: moneyAxis(fmt, "saved so far") },
      plugins: { tooltip: moneyTooltip(fmt), legend: { position: "bottom" }, annotation: { annotations } },
    },
  });
}

// Monthly cost against volume: one line per option, the cheapest option's
// bands shaded, crossings and the forecast volume marked.
function breakEven(el, d, fmt) {
  const annotations = {};
  // A band's label only where it has room, measured at the drawn width (a
  // label wider than its band would be cut at the chart's edge): a
  // narrower band is drawn but not labelled (the list under the chart
  // names them all).
  const room = (b) => ({ chart }) => {
    const x = chart.scales.x;
    return x.getPixelForValue(b.to) - x.getPixelForValue(b.from) >= b.label.length * 6.5 + 8;
  };
  (d.bands || []).forEach((b, i) => {
    annotations[`band${i}`] = {
      type: "box",
      xMin: b.from,
      xMax: b.to,
      backgroundColor: alpha(colour(b.colour), 0.08),
      borderWidth: 0,
      label: {
        display: room(b),
        content: b.label,
        position: { x: "center", y: "start" },
        color: colour(b.colour),
        font: { size: 11, weight: "600" },
      },
    };
  });
  // Every crossing gets its mark: its number, as in the list under the
  // chart (crossings bunch: nine within 4,300 contacts a month in the
  // demo, whose volumes would not fit side by side). Grey: where the
  // cheapest option changes; in an option's colour: where its line
  // crosses the baseline's (the engine's break-even volumes), ringed on
  // the baseline. Each crossing's dashed line runs to the top; the marks
  // sit in rows under the forecast's label, staggered (spread()) where
  // crossings bunch, each with a leader to the top of its line.
  (d.even || []).forEach((b, i) => {
    annotations[`even${i}`] = {
      type: "box",
      xMin: b.from,
      xMax: b.to,
      backgroundColor: "rgba(24,32,46,0.10)",
      borderColor: "rgba(24,32,46,0.35)",
      borderWidth: 1,
      borderDash: [3, 3],
      label: { display: true, content: b.label, position: { x: "center", y: "end" }, color: "#18202e", font: { size: 11, weight: "600" } },
    };
  });
  const marks = [
    ...(d.crossings || []).map((x, i) => ({ id: `cross${i}`, v: x.v, text: String(x.n), line: "#8a93a3", bg: "rgba(24,32,46,0.85)" })),
    ...(d.pairs || []).map((x, i) => ({ id: `pairl${i}`, v: x.v, text: String(x.n), line: alpha(colour(x.colour), 0.7), bg: colour(x.colour), ring: x, i })),
  ].sort((a, b) => a.v - b.v);
  const top = ({ chart }) => chart.scales.y.max;
  marks.forEach((m) => {
    const pos = at(marks, m, d.max || 1, 7, spread, 19, 62);
    annotations[`line-${m.id}`] = {
      type: "line",
      xMin: m.v,
      xMax: m.v,
      yMin: m.ring ? m.ring.cost : undefined,
      borderColor: m.line,
      borderWidth: 1,
      borderDash: [4, 4],
    };
    annotations[m.id] = {
      type: "label",
      xValue: m.v,
      yValue: top,
      xAdjust: pos.dx,
      yAdjust: pos.dy(62), // under the bands' and the forecast's labels
      content: m.text,
      backgroundColor: m.bg,
      color: "#fff",
      font: { size: 11, weight: "600" },
      padding: { x: 4, y: 2 },
      callout: { display: pos.leader, borderColor: m.line, borderWidth: 1, margin: 0 },
    };
    if (m.ring) {
      annotations[`pair${m.i}`] = {
        type: "point",
        xValue: m.v,
        yValue: m.ring.cost,
        radius: 4,
        backgroundColor: "#fff",
        borderColor: colour(m.ring.colour),
        borderWidth: 2,
      };
    }
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
      position: "end",
      yAdjust: 22, // the top row is the bands' labels
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
      // every driver named, however low the chart (the board pack's)
      scales: { y: { ticks: { autoSkip: false } }, x: moneyAxis(fmt, `savings of ${d.option} (black line: today, ${fmt.compact.format(d.base)})`) },
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

const kinds = { tco, savings, breakEven, scatter, tornado, rounds };

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
