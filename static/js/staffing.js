// The staffing helper's service-level mode (issue 15). The server staffs
// the capacity (tco.Staff, the same as POST /api/v1/staffing); this module
// only shows the service-level fields when that method is chosen, draws the
// chart of agents by interval from the page's JSON (no inline script: the
// CSP forbids it), and marks the answer stale when a figure changes.

const $ = (sel, root = document) => root.querySelector(sel);

const form = $("form[data-staffing]");
const mode = $("#f-st_mode");
const sl = $("[data-stmode]");

if (form && mode && sl) {
  const update = () => {
    sl.hidden = mode.value !== "service_level" && !sl.querySelector('[aria-invalid="true"]');
  };
  mode.addEventListener("change", update);
  update();
  const stale = $("[data-sl-stale]");
  const result = $("[data-sl-result]");
  if (stale && result) {
    form.addEventListener("input", () => {
      stale.hidden = false;
      result.classList.add("stale");
    });
  }
}

const canvas = $("canvas[data-staffing-chart]");
const data = $("#staffing-chart-data");
if (canvas && data && window.Chart) {
  const d = JSON.parse(data.textContent);
  const labels = d.agents.map((_, i) => {
    // the interval's start from the day's first open minute, as h:mm
    const m = i * d.interval;
    return `+${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}`;
  });
  new window.Chart(canvas, {
    type: "bar",
    data: { labels, datasets: [{ label: "Agents", data: d.agents, backgroundColor: "#1f5fbf", borderWidth: 0, maxBarThickness: 18 }] },
    options: {
      maintainAspectRatio: false,
      animation: false, // a small chart that redraws on every Calculate: no need to grow it
      plugins: { legend: { display: false }, tooltip: { callbacks: { title: (items) => `Interval ${items[0].dataIndex + 1} (${items[0].label} from opening)` } } },
      scales: {
        x: { title: { display: true, text: "Time from opening" }, ticks: { autoSkip: true, maxRotation: 0 } },
        y: { beginAtZero: true, title: { display: true, text: "Agents" }, ticks: { precision: 0 } },
      },
    },
  });
  canvas.dataset.drawn = "1";
}
