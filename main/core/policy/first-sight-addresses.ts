// The shapes of an address someone can be reached or paid at, as first sight finds them in text
// (first-sight-concepts.ts: a mark) and in what a schema fixes (first-sight-fixed.ts).

/** An email address (a git remote's `git@host` too). */
export const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;
/** A phone number in international form. */
export const PHONE = /(?<![\w.])\+\d[\d -]{7,}\d(?![\w.])/g;
/** An IP address with a port ("203.0.113.77:8080"): somewhere to send to. */
export const IP_PORT = /\b\d{1,3}(?:\.\d{1,3}){3}:\d{2,5}\b/g;
/** An international bank account number. */
export const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,}(?: ?[A-Z0-9]{1,4})?\b/g;
