// casegraph's pages work without this script; it only adds conveniences:
// - the list of entities filters as you type (the static site's search), case and accents
//   ignored as the server's search ignores them (NFD, without combining marks, lower case);
// - Ctrl+Enter runs the query in the editor.
"use strict";

function fold(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("entities");
  const filter = document.getElementById("filter");
  if (list && filter) {
    const items = Array.from(list.querySelectorAll("li[data-names]"));
    const shown = document.getElementById("shown");
    const apply = () => {
      const wanted = fold(filter.value.trim());
      let count = 0;
      for (const item of items) {
        const match = wanted === "" || item.dataset.names.split("\n").some((n) => n.includes(wanted));
        item.hidden = !match;
        if (match) count += 1;
      }
      if (shown) shown.textContent = `${count} of ${items.length}`;
    };
    filter.closest("[hidden]")?.removeAttribute("hidden");
    const asked = new URLSearchParams(window.location.search).get("q");
    if (asked) filter.value = asked;
    filter.addEventListener("input", apply);
    apply();
  }
  const editor = document.querySelector("form.editor textarea");
  if (editor) {
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        editor.form.requestSubmit();
      }
    });
  }
});
