// The readiness panel's "Fix it" links (catalog/readiness_panel.py): open the editor tab that
// holds the field, then scroll to the field and put focus in it. Without this script the
// link still opens the right tab.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-readiness-field]");
  if (!link) return;
  const name = link.dataset.readinessField;
  const field =
    document.querySelector(`[id$="-${name}-section"]`) ||
    document.querySelector(`[id$="-child-${name}-wrapper"]`) ||
    document.getElementById(`id_${name}-FORMS`);
  const tab = document.querySelector(`a[role="tab"][href="${link.getAttribute("href")}"]`);
  if (!field || !tab) return;
  event.preventDefault();
  tab.click();
  reveal(field, 60);
});

// Wagtail shows the tab's panel on its own schedule (a slow machine may take a few frames):
// scroll once the field is displayed, or the scroll would be lost on a hidden panel.
function reveal(field, framesLeft) {
  if (field.offsetParent === null && framesLeft > 0) {
    requestAnimationFrame(() => reveal(field, framesLeft - 1));
    return;
  }
  field.scrollIntoView({ block: "start" });
  const input = field.querySelector("input:not([type=hidden]), select, textarea, [contenteditable=true], button");
  if (input) input.focus({ preventScroll: true });
}
