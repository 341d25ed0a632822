// Every page's forms. After a refused submit the server answers the page
// again with an error summary ([data-error-summary]) above the form; this
// moves the focus there, so the reader lands on what to fix (a screen
// reader reads it) instead of the top of a long page. Without JavaScript the
// summary is still there, linked to each field.

const summary = document.querySelector("[data-error-summary]");
if (summary) {
  if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
  summary.focus({ preventScroll: true });
  summary.scrollIntoView({ block: "start" });
}

// A field that belongs to another field's choice ([data-needs="NAME"]: a
// select's value must be set) is disabled while that value is empty, so the
// browser does not send it: the bid upload's round label means nothing for
// a new vendor quote.
for (const el of document.querySelectorAll("[data-needs]")) {
  const form = el.form;
  const other = form && form.elements.namedItem(el.dataset.needs);
  if (!other) continue;
  const update = () => {
    el.disabled = other.value === "";
  };
  other.addEventListener("change", update);
  update();
}
