// django-import-export's export page in Django admin (templates/admin/import_export/export.html):
// the "select all" toggle, bound here instead of by an inline onchange handler, which the
// Content-Security-Policy refuses.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof onSelectToggleChange !== "function") return;
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
