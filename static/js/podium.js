// Comfort only: every page works without this file.
"use strict";

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source) return;
  const text = source.textContent;
  try {
    await navigator.clipboard.writeText(text);
  } catch (error) {
    // Older browsers, or a page not served securely: select the text for a manual copy.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return;
  }
  button.dataset.copied = "";
  button.textContent = "Copied";
  setTimeout(() => {
    delete button.dataset.copied;
    button.textContent = "Copy";
  }, 2000);
});
