// Rows of a formset added and removed in place. [data-rows="prefix"] holds the rows, a
// <template data-row-template="prefix"> the empty row (its number as __prefix__, Django's),
// [data-add-row="prefix"] adds one and [data-remove-row] removes its own. A removed row is
// simply absent: the formset takes a missing row for an empty one. Without a script the
// buttons stay hidden and the page keeps the rows it was sent with.
(function () {
  const changed = (element) => element.dispatchEvent(new Event("change", { bubbles: true }));
  document.querySelectorAll("[data-add-row], [data-remove-row]").forEach((button) => {
    button.hidden = false;
  });
  document.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-row]");
    if (add) {
      const prefix = add.dataset.addRow;
      const total = document.querySelector(`[name="${prefix}-TOTAL_FORMS"]`);
      const most = Number(document.querySelector(`[name="${prefix}-MAX_NUM_FORMS"]`).value);
      const template = document.querySelector(`template[data-row-template="${prefix}"]`);
      const rows = document.querySelector(`[data-rows="${prefix}"]`);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, total.value));
      total.value = Number(total.value) + 1;
      add.disabled = Number(total.value) >= most;
      const row = rows.lastElementChild;
      if (window.htmx) window.htmx.process(row); // its typeahead
      row.querySelector("input, select, textarea").focus();
      return;
    }
    const remove = event.target.closest("[data-remove-row]");
    if (remove) {
      const rows = remove.closest("[data-rows]");
      remove.closest("[data-row]").remove();
      changed(rows); // the precedent check reads the citations again
      const next = rows.parentElement.querySelector("[data-add-row]");
      if (next) next.focus();
    }
  });
})();
