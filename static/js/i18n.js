// Messages and dates in the app's language, offline too.
//
// The server builds /i18n/<lang>.json from the compiled catalogues: only the messages
// these scripts mark with _(), ngettext() and pgettext() (pybabel extracts them), and
// Babel's month and day names (some browsers' Intl has no Welsh data). The service
// worker precaches both languages. A message said as it is written is left out (in
// English, nearly all of them): a message not in the catalogue is its msgid, and a count
// not in it is the msgid for one and the msgid_plural for the rest.

const PLURAL_INDEX = {
  // CLDR categories to msgstr[] positions: the Welsh catalogue's six forms are for
  // n = 0, 1, 2, 3, 6 and everything else; English has one and other.
  cy: { zero: 0, one: 1, two: 2, few: 3, many: 4, other: 5 },
  en: { one: 0, other: 1 },
};

let language = "en";
let messages = {};
let dates = null;
let pluralRules = new Intl.PluralRules("en");

export async function load(code) {
  const response = await fetch(`/i18n/${code}.json`);
  if (!response.ok) throw new Error(`no catalogue for ${code}`);
  const catalogue = await response.json();
  language = catalogue.language;
  messages = catalogue.messages;
  dates = catalogue.dates;
  pluralRules = new Intl.PluralRules(language);
}

export function currentLanguage() {
  return language;
}

function interpolate(text, params) {
  if (!params) return text;
  return text.replace(/%\((\w+)\)([sd])/g, (whole, name, kind) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return kind === "d" ? String(Math.trunc(Number(value))) : String(value);
  });
}

export function _(msgid, params) {
  const found = messages[msgid];
  return interpolate(typeof found === "string" ? found : msgid, params);
}

export function pgettext(context, msgid, params) {
  const found = messages[`${context}\u0004${msgid}`];
  return interpolate(typeof found === "string" ? found : msgid, params);
}

export function ngettext(singular, plural, count, params) {
  const forms = messages[singular];
  const values = { num: count, ...params };
  if (Array.isArray(forms) && forms.length) {
    const index = (PLURAL_INDEX[language] || PLURAL_INDEX.en)[pluralRules.select(count)] ?? forms.length - 1;
    return interpolate(forms[Math.min(index, forms.length - 1)], values);
  }
  return interpolate(count === 1 ? singular : plural, values);
}

// --- Dates: always Europe/London, in the patterns the server's presenters use ---------

const LONDON_PARTS = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
  weekday: "short",
});
const WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/** The Europe/London wall-clock parts of an instant (weekday 0 = Monday). */
export function londonParts(moment) {
  const parts = {};
  for (const { type, value } of LONDON_PARTS.formatToParts(moment)) parts[type] = value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday],
  };
}

/** The instant at a Europe/London wall-clock time (the first, if the clocks went back). */
export function fromLondon(year, month, day, hour, minute) {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wanted;
  for (let step = 0; step < 3; step += 1) {
    const seen = londonParts(new Date(guess));
    const seenAsUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    if (seenAsUtc === wanted) break;
    guess += wanted - seenAsUtc;
  }
  return new Date(guess);
}

const pad = (number) => String(number).padStart(2, "0");

/** "2026-11-18" for the London calendar day of an instant. */
export function londonDay(moment) {
  const p = londonParts(moment);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "10:05" for the London time of an instant. */
export function londonTime(moment) {
  const p = londonParts(moment);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

function formatPattern(pattern, p, days = dates && dates.days) {
  if (!dates) return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`; // no catalogue loaded
  return pattern.replace(/EEEE|EEE|MMMM|MMM|HH|mm|d|y/g, (token) => {
    switch (token) {
      case "EEEE": return days[p.weekday];
      case "EEE": return dates.days_short[p.weekday];
      case "MMMM": return dates.months[p.month - 1];
      case "MMM": return dates.months_short[p.month - 1];
      case "HH": return pad(p.hour);
      case "mm": return pad(p.minute);
      case "d": return String(p.day);
      default: return String(p.year);
    }
  });
}

/** A date or time in one of the presenters' patterns: full_date, short_date, date_time, recent_time. */
export function formatDate(moment, kind) {
  if (!(moment instanceof Date)) moment = new Date(moment);
  return formatPattern(dates && dates.patterns[kind], londonParts(moment));
}

/** A calendar date ("2026-11-16") in a date pattern, with no time-zone shift ("full_date_in_sentence" inside a sentence). */
export function formatDay(isoDay, kind) {
  const [year, month, day] = isoDay.split("-").map(Number);
  const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  const days = dates && (kind === "full_date_in_sentence" ? dates.days_in_sentence : dates.days);
  return formatPattern(dates && dates.patterns[kind], { year, month, day, weekday, hour: 0, minute: 0 }, days);
}

/** "5 minutes ago", "3 days ago": whole sentences from the catalogue, in each language's plurals. */
export function ago(moment, now = new Date()) {
  const minutes = Math.max(0, Math.floor((now - new Date(moment)) / 60000));
  if (minutes < 1) return _("just now");
  if (minutes < 60) return ngettext("%(num)d minute ago", "%(num)d minutes ago", minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return ngettext("%(num)d hour ago", "%(num)d hours ago", hours);
  const days = Math.floor(hours / 24);
  return ngettext("%(num)d day ago", "%(num)d days ago", days);
}
