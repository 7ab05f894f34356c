// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

// <button data-copy="id" data-copied="Copied"> copies the element's text and says so in the
// element its aria-describedby names (a role="status" region), so a screen reader hears it too.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const target = document.getElementById(button.dataset.copy);
  if (!target) return;
  const text = (target.value || target.textContent).trim();
  const done = () => {
    const result = document.getElementById(button.getAttribute("aria-describedby"));
    if (result) result.textContent = button.dataset.copied || "Copied";
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, () => target.select());
  } else {
    target.select?.(); // over plain http the clipboard API is missing: select it for Ctrl+C
    if (document.execCommand && document.execCommand("copy")) done();
  }
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
// A form sent back with errors: focus its first invalid field, so keyboard and screen reader
// users land on it and hear its error (tied to it with aria-describedby).
document.addEventListener("DOMContentLoaded", () => {
  const invalid = document.querySelector("main .is-invalid");
  if (invalid && !document.querySelector("[autofocus]")) {
    invalid.closest("details")?.setAttribute("open", "");
    invalid.focus();
  }
});
