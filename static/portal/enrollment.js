// Sandicare enrollment: the consultation reason is shown, and required, only for General medicine.
// Without this script the field stays visible and the server applies the same rule.
(() => {
  const service = document.querySelector("select[data-reason-service]");
  const reason = document.querySelector("textarea[data-reason-field]");
  if (!service || !reason) return;
  const wrapper = reason.closest(".field") || reason;

  const sync = () => {
    const needed = service.value === service.dataset.reasonService;
    wrapper.hidden = !needed;
    // A hidden reason is not posted at all; what was typed stays in the box if staff switch back.
    reason.disabled = !needed;
    reason.required = needed;
  };
  service.addEventListener("change", sync);
  sync();
})();
