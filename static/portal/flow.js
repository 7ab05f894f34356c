// Booking flow pages: small progressive enhancements; every step also works without them.
// Filter box: <input data-filter="#list" data-filter-empty="#none"> hides list items
// ([data-filter-text]) that do not contain what was typed.
document.addEventListener("input", (event) => {
  const box = event.target.closest("[data-filter]");
  if (!box) return;
  const list = document.querySelector(box.dataset.filter);
  if (!list) return;
  const query = box.value.trim().toLowerCase();
  let shown = 0;
  list.querySelectorAll("[data-filter-text]").forEach((item) => {
    const match = item.dataset.filterText.toLowerCase().includes(query);
    item.hidden = !match;
    if (match) shown += 1;
  });
  const empty = box.dataset.filterEmpty && document.querySelector(box.dataset.filterEmpty);
  if (empty) empty.hidden = shown > 0;
});

// Photos: a missing or broken image leaves the initials placeholder of its .avatar.
function usePlaceholder(img) {
  const avatar = img.closest(".avatar");
  if (avatar) avatar.classList.add("no-photo");
  img.remove();
}
document.addEventListener(
  "error",
  (event) => {
    if (event.target instanceof HTMLImageElement && event.target.matches("img[data-fallback]")) {
      usePlaceholder(event.target);
    }
  },
  true,
);
function checkImages(root) {
  root.querySelectorAll("img[data-fallback]").forEach((img) => {
    if (img.complete && img.naturalWidth === 0) usePlaceholder(img);
  });
}
checkImages(document);

// Date of birth: <input data-age-output="id" data-age-label="Age: %(age)s"> writes the age into
// <output id="id">, in the page's language (Intl's plural rules; Latin digits as the server writes them).
function unitLabel(count, unit) {
  const lang = document.documentElement.lang || "en";
  const locale = lang === "ar" ? "ar-u-nu-latn" : lang;
  try {
    return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(count);
  } catch {
    return `${count} ${unit}${count === 1 ? "" : "s"}`;
  }
}
function ageLabel(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
  if (!match) return "";
  const dob = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  if (Number.isNaN(dob.getTime()) || dob > today) return "";
  let months = (today.getFullYear() - dob.getFullYear()) * 12 + today.getMonth() - dob.getMonth();
  if (today.getDate() < dob.getDate()) months -= 1;
  const years = Math.floor(months / 12);
  if (years >= 2) return unitLabel(years, "year");
  if (months >= 1) return unitLabel(months, "month");
  return unitLabel(Math.round((today - dob) / 86400000), "day");
}
function showAge(input) {
  const output = document.getElementById(input.dataset.ageOutput);
  if (!output) return;
  const label = ageLabel(input.value);
  output.textContent = label ? (input.dataset.ageLabel || "Age: %(age)s").replace("%(age)s", label) : "";
}
["input", "change"].forEach((type) =>
  document.addEventListener(type, (event) => {
    const input = event.target.closest("[data-age-output]");
    if (input) showAge(input);
  }),
);

// Forms marked data-submit-once send once: a double click does not post twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("[data-submit-once]")) return;
  if (form.dataset.submitted) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
  // Disabled after the event, so the clicked button's name and value are still sent.
  setTimeout(() => {
    form.querySelectorAll("button[type=submit]").forEach((button) => {
      button.disabled = true;
    });
  }, 0);
});
// Coming back with the back button shows the page as it was left: make it usable again.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  document.querySelectorAll("form[data-submitted]").forEach((form) => {
    delete form.dataset.submitted;
    form.querySelectorAll("button[type=submit]:not([aria-disabled=true])").forEach((button) => {
      button.disabled = false;
    });
  });
});
// Content swapped in by htmx (the slots) gets the same photo check.
document.addEventListener("htmx:afterSwap", (event) => checkImages(event.target));
