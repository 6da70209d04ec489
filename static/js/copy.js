// Copy buttons for text an officer pastes into another system (the Niche export page).
// Without JavaScript the buttons stay hidden and the text can be selected by hand.

export async function copyFrom(button, doc, clipboard) {
  const source = doc.getElementById(button.dataset.copy);
  if (!source || !clipboard) return false;
  try {
    await clipboard.writeText(source.textContent);
  } catch {
    return false; // the browser refused: the text is still there to select
  }
  if (!button.dataset.label) button.dataset.label = button.textContent;
  button.textContent = button.dataset.copied || button.dataset.label;
  return true;
}

export function mount(doc, clipboard) {
  for (const button of doc.querySelectorAll("button[data-copy]")) {
    if (!clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", () => copyFrom(button, doc, clipboard));
  }
}

if (typeof document !== "undefined") mount(document, globalThis.navigator && navigator.clipboard);
