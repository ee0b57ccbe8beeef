// Selects over tables that grow (core/autocomplete.py): the page holds only the chosen
// option; Tom Select asks the select's data-autocomplete-url for the rest as the user types.
// data-filter-by="<field>" sends the property chosen in that field of the same form, so only
// that property's records are offered (data-property="<id>" fixes the property, for a form
// about one property's records, such as its roster). Strings come from data attributes (translated on the
// server); nothing here is inline, as the Content-Security-Policy requires.
(function () {
  "use strict";

  function propertyField(select) {
    const name = select.dataset.filterBy;
    return name && select.form ? select.form.elements[name] : null;
  }

  function init(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    const url = select.dataset.autocompleteUrl;
    const source = propertyField(select);
    const plugins = {};
    if (select.multiple) plugins.remove_button = {};
    else if (!select.required) plugins.clear_button = { title: "×" };
    const control = new TomSelect(select, {
      plugins: plugins,
      valueField: "id",
      labelField: "text",
      searchField: [],
      maxOptions: null,
      preload: "focus",
      closeAfterSelect: true,
      loadThrottle: 250,
      placeholder: select.dataset.placeholder || "",
      // The empty choice ("---------") is the cleared state, not an item to show.
      allowEmptyOption: false,
      // Show what the server answered for the words typed now, in its order (it already
      // matched every word): options fetched for earlier words stay out of the list, and
      // until the answer comes the list shows "Searching …".
      score: function (query) {
        return function (item) {
          if (control.houqinQuery !== query) return 0;
          return control.houqinIds.has(String(item.id)) ? 1 : 0;
        };
      },
      shouldLoad: function () {
        return true;
      },
      load: function (query, callback) {
        const params = new URLSearchParams({ q: query });
        if (source && source.value) params.set("property", source.value);
        else if (select.dataset.property) params.set("property", select.dataset.property);
        fetch(url + "?" + params.toString(), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
          })
          .then(function (data) {
            if (query === control.inputValue()) {
              control.houqinQuery = query;
              control.houqinIds = new Set(data.results.map(function (r) { return String(r.id); }));
            }
            callback(data.results);
            control.loadedSearches = {};  // ask again next time: the answer may have changed
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        no_results: function (data, escape) {
          return '<div class="no-results">' + escape(select.dataset.noResults || "") + "</div>";
        },
        loading: function (data, escape) {
          return '<div class="spinner-border spinner-border-sm m-2" role="status"><span class="visually-hidden">' +
            escape(select.dataset.loading || "") + "</span></div>";
        },
      },
    });
    // Tom Select points the field's label at its own input; the select it hides (kept for
    // the form, and still in the accessibility tree) is named by the same label.
    const label = document.getElementById(select.id + "-ts-label");
    if (label) select.setAttribute("aria-labelledby", label.id);
    // A search typed before is asked again once the property changes.
    if (source) {
      source.addEventListener("change", function () {
        control.clear(true);
        control.clearOptions();
        control.loadedSearches = {};
      });
    }
  }

  function initAll(root) {
    root.querySelectorAll("select[data-autocomplete-url]").forEach(init);
  }

  document.addEventListener("DOMContentLoaded", function () {
    initAll(document);
  });
  // Rows added to a formset, or content swapped in by htmx.
  document.addEventListener("htmx:load", function (event) {
    initAll(event.target);
  });
  window.houqinAutocomplete = initAll;
})();
