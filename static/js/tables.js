// On a phone a wide table scrolls within itself (casebook.css): one that does can then be
// scrolled from the keyboard too, for it takes the focus (WCAG 2.1.1).
(function () {
  const focusable = () =>
    document.querySelectorAll(".usa-table:not(.usa-table--stacked)").forEach((table) => {
      if (table.scrollWidth > table.clientWidth) table.setAttribute("tabindex", "0");
      else table.removeAttribute("tabindex");
    });
  focusable();
  window.addEventListener("resize", focusable);
})();
