// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const target = document.getElementById(button.dataset.copy);
  if (!target) return;
  navigator.clipboard.writeText(target.value || target.textContent.trim()).then(() => {
    button.textContent = "Copied";
  });
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
