// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const nav = document.getElementById("main-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("open", !open);
    });
  }
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-tree-toggle]");
    if (!button) return;
    const expanded = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!expanded));
    const group = document.getElementById(button.getAttribute("aria-controls"));
    if (!group) return;
    group.hidden = expanded;
    // Children load on first opening; delegation means nodes added later need no set-up.
    const url = button.getAttribute("data-children-url");
    if (!expanded && url && !group.dataset.loaded) {
      group.dataset.loaded = "1";
      htmx.ajax("GET", url, { target: group, swap: "innerHTML" });
    }
  });
  document.body.addEventListener("submit", (event) => {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
});
