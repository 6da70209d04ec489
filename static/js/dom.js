// Building the screens: elements from data, never HTML strings (names and notes are
// text, always), no inline styles or handlers in markup (the CSP forbids them).

import { _ } from "./i18n.js";

export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function replaceChildren(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

/**
 * Change `element` without letting it get shorter than it has been: what is below it stays
 * where it was (a tap aimed at a button lands on it). A new screen starts again from nothing.
 */
export function keepingHeight(element, change) {
  const before = element.offsetHeight;
  change();
  if (element.offsetHeight < before) element.style.minHeight = `${before}px`;
}

// Words for the API's codes: the same messages as the server's presenters.
export const CONTACT_TYPES = [
  ["home_visit", () => _("Home visit")],
  ["public_place", () => _("Meeting in a public place")],
  ["phone", () => _("Phone call")],
  ["video_online", () => _("Video or online")],
  ["office", () => _("Office appointment")],
  ["partner_agency", () => _("Meeting with a partner agency")],
  ["lift_practical", () => _("Lift or practical help")],
  ["welfare_help", () => _("Welfare help")],
  ["activity", () => _("Activity")],
];

export const OUTCOMES = [
  ["kept", () => _("Kept")],
  ["not_at_home", () => _("Not kept: not at home")],
  ["did_not_attend", () => _("Not kept: did not attend")],
  ["refused", () => _("Refused")],
];

export const PATHWAYS = [
  ["accommodation", () => _("Accommodation and support")],
  ["education_training_employment", () => _("Education, training and employment")],
  ["health", () => _("Health")],
  ["drugs_alcohol", () => _("Drugs and alcohol")],
  ["children_families", () => _("Children and families")],
  ["finance_benefits_debt", () => _("Finance, benefits and debt")],
  ["attitudes_thinking_behaviour", () => _("Attitudes, thinking and behaviour")],
];

export function label(list, code) {
  const found = list.find(([value]) => value === code);
  return found ? found[1]() : code;
}

/** An error summary (GOV.UK pattern): a heading and a link to each field in trouble. */
export function errorSummary(title, problems) {
  return h(
    "div",
    { class: "error-summary", role: "alert", tabindex: "-1" },
    h("h2", {}, title),
    h("ul", {}, problems.map(([target, message]) => h("li", {}, target ? h("a", { href: `#${target}`, "data-focus": target }, message) : message))),
  );
}

/** Show an error summary in `box` (in place of what it held) and move the focus to it. */
export function showErrorSummary(box, title, problems) {
  const summary = errorSummary(title, problems);
  replaceChildren(box, summary);
  summary.focus();
}
