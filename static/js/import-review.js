// The import's review screen, made quicker with a mouse and keys. Without this file the page
// works the same way: links between the text and the statements, a round button per line and
// the repair tools above the text, buttons on each statement.
(function () {
  "use strict";
  const form = document.getElementById("import-form");
  const source = document.getElementById("review-source");
  if (!form || !source) return;
  const statements = Array.from(document.querySelectorAll("article.stmt"));
  const status = document.getElementById("review-status");
  let current = -1;

  function say(text) {
    if (status) status.textContent = text;
  }

  function highlight(row, from) {
    document.querySelectorAll(".current").forEach((el) => el.classList.remove("current"));
    const article = document.getElementById("row-" + row);
    const spans = source.querySelectorAll('a.seg[data-row="' + row + '"]');
    spans.forEach((el) => el.classList.add("current"));
    if (article) article.classList.add("current");
    if (from !== "statement" && article) article.scrollIntoView({ block: "nearest" });
    if (from !== "source" && spans.length) spans[0].scrollIntoView({ block: "center" });
    current = statements.indexOf(article);
  }

  function chosenLine() {
    const radio = source.querySelector('input[name="at"]:checked');
    return radio ? radio.closest(".src-line") : null;
  }

  function choose(line) {
    const radio = line && line.querySelector('input[name="at"]');
    if (!radio) return;
    radio.checked = true;
    source.querySelectorAll(".src-line.chosen").forEach((el) => el.classList.remove("chosen"));
    line.classList.add("chosen");
  }

  // A click on the text chooses its line; on a statement's stretch it also shows the statement.
  source.addEventListener("click", (event) => {
    const line = event.target.closest(".src-line");
    if (line) choose(line);
    const seg = event.target.closest("a.seg");
    if (seg) {
      event.preventDefault();
      highlight(seg.dataset.row, "source");
    }
  });
  source.addEventListener("change", (event) => {
    if (event.target.name === "at") choose(event.target.closest(".src-line"));
  });

  // A click on a statement (not on one of its controls) shows its stretch of the text.
  statements.forEach((article) => {
    article.addEventListener("click", (event) => {
      if (event.target.closest("a, button, input, select, label, textarea")) return;
      highlight(article.dataset.row, "statement");
    });
  });
  document.querySelectorAll("a.stmt-number").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      highlight(link.closest("article").dataset.row, "statement");
    });
  });

  function speakerForBreak() {
    const typed = document.getElementById("line-new-name");
    const picked = document.getElementById("line-speaker");
    return (typed && typed.value.trim()) || (picked && picked.value) || "";
  }

  function mark(kind) {
    const line = chosenLine();
    if (!line) {
      say("Choose a line of the text first (click it).");
      return;
    }
    const at = line.querySelector('input[name="at"]').value;
    if (kind === "break" && !speakerForBreak()) {
      say("Say who speaks from that line first: pick a speaker or type a new name above the text.");
      return;
    }
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "hint";
    if (kind === "break") {
      input.value = "break:" + at + ":" + speakerForBreak();
    } else {
      input.value = "drop:" + at + ":" + line.dataset.end;
    }
    form.appendChild(input);
    line.classList.add("pending");
    const number = line.querySelector('input[name="at"]').getAttribute("aria-label");
    const what = kind === "break" ? "a new statement starts" : "not a statement";
    say(number + " marked: " + what + ". Press Enter to preview again.");
  }

  function move(step) {
    if (!statements.length) return;
    const next = Math.max(0, Math.min(statements.length - 1, current + step));
    statements[next].focus({ preventScroll: true });
    highlight(statements[next].dataset.row, null);
    const first = source.querySelector('a.seg[data-row="' + statements[next].dataset.row + '"]');
    if (first) choose(first.closest(".src-line"));
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input[type=text], textarea, select, [contenteditable]")) {
      return;
    }
    if (event.key === "j") move(1);
    else if (event.key === "k") move(-1);
    else if (event.key === "n") mark("break");
    else if (event.key === "x") mark("drop");
    else if (event.key === "Enter" && !target.closest("button, a, summary")) {
      document.getElementById("preview-button").click();
    } else return;
    event.preventDefault();
  });
})();
