// The workspace forms' conveniences. Every form works without this module:
// the server validates, computes and re-renders; this only saves clicks.
//
//   - a cost line shows the fields of its basis only ([data-basis] lists
//     the bases a field belongs to; the server ignores the others anyway);
//   - a quote shows the per-unit or per-block fields ([data-per]);
//   - tier rows can be added and removed (template#tier-template);
//   - the staffing helper recomputes as you type and can fill the line form.

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

// showFor hides the wrappers of attr whose list does not name the select's
// value; a wrapper holding an invalid field always stays visible.
function showFor(select, attr) {
  if (!select) return;
  const update = () => {
    for (const el of $$(`[${attr}]`)) {
      const on = el.getAttribute(attr).split(/\s+/).includes(select.value);
      el.hidden = !on && !el.querySelector('[aria-invalid="true"]');
    }
  };
  select.addEventListener("change", update);
  update();
  return update;
}

const updateBasis = showFor($("#f-l_basis"), "data-basis");
showFor($("#f-p_per"), "data-per");
showFor($("#f-vendor-quoted"), "data-quoted");

// Tier rows.
const tierBody = $("#tier-rows");
const tierTemplate = $("#tier-template");
let tierSeq = tierBody ? tierBody.rows.length : 0;

function numberTiers() {
  $$("tr.ws-tier", tierBody).forEach((row, i) => {
    row.querySelector("th").textContent = String(i + 1);
    const [up, price] = $$("label", row);
    if (up) up.textContent = `Tier ${i + 1}: up to`;
    if (price) price.textContent = `Tier ${i + 1}: price per unit`;
  });
}

function wireTier(row) {
  const remove = $("[data-remove-tier]", row);
  if (!remove) return;
  remove.hidden = false;
  remove.addEventListener("click", () => {
    if (tierBody.rows.length > 1) {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      numberTiers();
      $("input", next)?.focus();
    } else {
      $$("input", row).forEach((i) => (i.value = ""));
    }
  });
}

if (tierBody && tierTemplate) {
  $$("tr.ws-tier", tierBody).forEach(wireTier);
  const add = $("[data-add-tier]");
  add.hidden = false;
  add.addEventListener("click", () => {
    const frag = tierTemplate.content.cloneNode(true);
    const row = $("tr", frag);
    const n = tierSeq++;
    for (const el of $$("[id]", row)) el.id = el.id.replace("new", String(n));
    for (const el of $$("label[for]", row)) el.htmlFor = el.htmlFor.replace("new", String(n));
    tierBody.appendChild(row);
    wireTier(row);
    numberTiers();
    $("input", row).focus();
  });
}

// The staffing helper.
const staffing = $("form[data-staffing]");
const fmt = (x, digits = 2) => x.toLocaleString("en-US", { maximumFractionDigits: digits });
// at least two decimals, as the server writes them: 0.7 → "0.70", 0.875 stays
const fixed2 = (x) => ((String(x).split(".")[1] || "").length < 2 ? x.toFixed(2) : String(x));

function staffNumbers() {
  // as the server reads them: "1,234.5"; occupancy and shrinkage also "85%"
  const v = (name, rate = false) => {
    let s = $(`[name="${name}"]`, staffing).value.replace(/[,\s]/g, "");
    const pct = rate && s.endsWith("%");
    if (pct) s = s.slice(0, -1);
    if (s === "" || !/^-?(\d+\.?\d*|\.\d+)$/.test(s)) return NaN;
    return pct ? Number(s) / 100 : Number(s);
  };
  return {
    volume: v("st_volume"), aht: v("st_aht"), occupancy: v("st_occupancy", true),
    shrinkage: v("st_shrinkage", true), paid: v("st_paid_hours"),
  };
}

function recompute() {
  const n = staffNumbers();
  const out = $("#staffing-result");
  const ok = n.volume >= 0 && n.aht > 0 && n.occupancy > 0 && n.occupancy <= 1 &&
    n.shrinkage >= 0 && n.shrinkage < 1 && n.paid > 0;
  out.replaceChildren();
  if (!ok) {
    const s = document.createElement("span");
    s.className = "small";
    s.textContent = "Enter the five figures to see the FTE and head count (occupancy above 0 and at most 1, shrinkage from 0 to below 1).";
    out.append(s);
    return;
  }
  const fte = (n.volume * n.aht) / (n.occupancy * (1 - n.shrinkage) * n.paid * 60);
  const near = Math.round(fte);
  const agents = Math.abs(fte - near) <= 1e-9 * Math.max(1, near) ? near : Math.ceil(fte);
  const head = document.createElement("span");
  head.className = "ws-fte";
  const strong = (text, attr) => {
    const b = document.createElement("strong");
    b.textContent = text;
    b.setAttribute(attr, "");
    return b;
  };
  head.append(strong(fte.toFixed(2), "data-fte"), " FTE → ", strong(String(agents), "data-agents"), " agents");
  const sentence = document.createElement("span");
  sentence.className = "small";
  sentence.setAttribute("data-sentence", "");
  const unit = staffing.dataset.unit || "units";
  sentence.textContent = `${fmt(n.volume)} ${unit} × ${fmt(n.aht, 3)} min ÷ (${fixed2(n.occupancy)} × ${fixed2(Math.round((1 - n.shrinkage) * 1e9) / 1e9)} × ${fmt(n.paid)} h × 60) = ${fmt(fte)} FTE → ${fmt(agents, 0)} agent${agents === 1 ? "" : "s"}`;
  out.append(head, sentence);
}

if (staffing) {
  staffing.addEventListener("input", recompute);
  const fill = $("[data-fill-line]", staffing);
  const line = $("form[data-line-form]");
  if (fill && line) {
    fill.addEventListener("click", (ev) => {
      // a service level is staffed by the server, which fills the line
      // form with it: let the submit go
      if ($('[name="st_mode"]', staffing)?.value === "service_level") return;
      ev.preventDefault();
      const set = (name, value) => {
        const el = $(`[name="${name}"]`, line);
        if (el) el.value = value;
      };
      const get = (name) => $(`[name="${name}"]`, staffing).value.trim();
      if (!$('[name="l_name"]', line).value.trim()) set("l_name", "Agents");
      set("l_category", "personnel");
      set("l_basis", "per_block");
      set("l_block_size", "");
      set("l_cap_aht_minutes", get("st_aht"));
      set("l_cap_occupancy", get("st_occupancy"));
      set("l_cap_shrinkage", get("st_shrinkage"));
      set("l_cap_paid_hours", get("st_paid_hours"));
      if (updateBasis) updateBasis();
      line.scrollIntoView({ block: "start" });
      $('[name="l_amount"]', line).focus();
    });
  }
}

// Deleting asks first ([data-confirm] on the form); without JavaScript the
// delete goes straight through, and the audit log keeps the record.
for (const form of $$("form[data-confirm]")) {
  form.addEventListener("submit", (ev) => {
    if (!window.confirm(form.dataset.confirm)) ev.preventDefault();
  });
}
