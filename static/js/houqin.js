// Houqin's small behaviours, with no dependencies.

// A select marked data-filter-by="<field>" lists records of several properties; show only the
// options whose data-property matches the property chosen in that field of the same form.
function houqinFilterByProperty(select) {
  const source = select.form && select.form.elements[select.dataset.filterBy];
  if (!source) return;
  const apply = () => {
    for (const option of select.options) {
      if (!option.dataset.property) continue;
      const hide = Boolean(source.value) && option.dataset.property !== source.value;
      option.hidden = hide;
      option.disabled = hide;
      if (hide && option.selected) select.value = "";
    }
  };
  source.addEventListener("change", apply);
  apply();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-filter-by]").forEach(houqinFilterByProperty);
});

// Behaviours named by data attributes, since the Content-Security-Policy allows no inline
// handlers (onclick=…): data-print prints the page, data-autosubmit sends its form on change.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
// A button marked data-copy="<selector>" copies the value of that field (the calendar feed's
// address on the profile page).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  field.select();
  if (navigator.clipboard) navigator.clipboard.writeText(field.value).catch(() => {});
});

// A table wider than a phone scrolls sideways in its .table-responsive box; when nothing in it
// can take the focus, the keyboard could not scroll it, so the box itself takes the focus.
function houqinFocusableScrollers(root) {
  root.querySelectorAll(".table-responsive:not([tabindex])").forEach((region) => {
    if (!region.querySelector("a[href], button, input, select, textarea, [tabindex]")) {
      region.tabIndex = 0;
    }
  });
}
document.addEventListener("DOMContentLoaded", () => houqinFocusableScrollers(document));
document.addEventListener("htmx:load", (event) => houqinFocusableScrollers(event.target));
