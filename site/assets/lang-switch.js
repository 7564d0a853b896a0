// The header's language switch keeps the visitor's place. The other language's page opens with the same #fragment
// (a checker's answers, or the clause a terms page shows), and a checker page scrolls back to the question that was
// in view. Only that question's name is remembered, for this tab, until the next page reads it: never an answer.
const KEY = "warranty-checker-lang-switch";

let lastAnswered = null;  // opening the language menu takes the focus: remember the question it came from
document.addEventListener("focusin", (event) => {
  const box = event.target.closest?.(".wc-field");
  if (box) lastAnswered = box;
});

function questionInView() {
  if (lastAnswered && !lastAnswered.hidden) return lastAnswered.dataset.field;
  // In the viewport, not merely below its top: on a terms page showing a clause, the checker further down is not "in view".
  const visible = [...document.querySelectorAll(".wc-field:not([hidden])")].find((box) => {
    const top = box.getBoundingClientRect().top;
    return top >= 0 && top < innerHeight;
  });
  return visible ? visible.dataset.field : null;
}

for (const link of document.querySelectorAll("[data-lang-switch]")) {
  link.addEventListener("click", () => {
    const target = new URL(link.href, location.href);
    target.hash = location.hash;
    link.href = target.href;
    const field = questionInView();
    try {
      if (field) sessionStorage.setItem(KEY, JSON.stringify({ path: target.pathname, field }));
    } catch {
      // storage refused (private mode, a hardened browser): the answers still travel in the fragment
    }
  });
}

function returnToQuestion() {
  let place = null;
  try {
    place = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
  } catch {
    return;
  }
  if (!place || place.path !== location.pathname) return;
  const box = document.querySelector(`.wc-field[data-field="${CSS.escape(place.field)}"]`);
  if (box) box.scrollIntoView({ block: "center" });
}

// After the checker has filled the form from the fragment (it shows and hides questions as it does).
if (document.readyState === "complete") requestAnimationFrame(returnToQuestion);
else window.addEventListener("load", () => requestAnimationFrame(returnToQuestion), { once: true });
