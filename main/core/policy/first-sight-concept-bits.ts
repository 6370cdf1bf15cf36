// The concepts first sight reads a definition as (first-sight-lexicon.ts holds their words in ten
// languages): each a bit, so that a word may carry several and a sentence's concepts are one number.

/** The concepts, as bits: a word may carry several. */
export const CONCEPT = {
  /** The assistant, the AI, the model, the agent. */
  model: 1 << 0,
  /** You, your (the reader addressed). */
  you: 1 << 1,
  /** Must, always, never, required, make sure. */
  must: 1 << 2,
  /** The user, the human, the person. */
  user: 1 << 3,
  /** Tell, mention, reveal, inform, disclose, show, notify. */
  tell: 1 << 4,
  /** Not, don't, never, without. */
  not: 1 << 5,
  /** Hide, conceal, silently, quietly, secretly. */
  hide: 1 << 6,
  /** Ask, confirm, permission, consent, approval. */
  ask: 1 << 7,
  /** Read, open, load, collect, gather, look up. */
  read: 1 << 8,
  /** Pass, include, send, put, attach, paste, copy, forward, upload, append, insert. */
  hand: 1 << 9,
  /** A kind of secret: password, token, API key, credentials, private key, cookie. */
  secret: 1 << 10,
  /** A place secrets live, or the conversation itself: ~/.ssh, .env, kubeconfig, system prompt, chat history. */
  place: 1 << 11,
  /** All, every, any, whole, full, verbatim, the user's: how much, or whose. */
  all: 1 << 12,
  /** Tool, function, server, capability, connector. */
  tool: 1 << 13,
  /** Other, another, any other, whatever, every other. */
  other: 1 << 14,
  /** Bcc, cc, recipient, destination, payee, remote. */
  recipient: 1 << 15,
  /** Replace, change, redirect, instead, swap, route. */
  replace: 1 << 16,
  /** Ignore, disregard, forget, override, bypass. */
  ignore: 1 << 17,
  /** Previous, prior, earlier, above, original, before. */
  prior: 1 << 18,
  /** Instructions, rules, guidelines, constraints, system prompt, directives. */
  rules: 1 << 19,
  /** From now on, no longer, henceforth. */
  now: 1 << 20,
  /** Policy, compliance, mandated, administrator, the developer, security team. */
  authority: 1 << 21,
  /** Only, exclusively, prefer, instead of, avoid. */
  prefer: 1 << 22,
  /** Unsafe, deprecated, unreliable, fabricated, untrustworthy. */
  disparage: 1 << 23,
  /** Even if, regardless, pretend, convince, downplay, leave out, omit. */
  deceive: 1 << 24,
  /** Use, call, invoke, run, execute. */
  use: 1 << 25,
  /** Field, parameter, argument: a place in a call to put something. */
  field: 1 << 31,
  /** Permission, confirmation, consent, approval: the user's say. */
  consent: 1 << 29,
  /** Even if, regardless, no matter: against what is true or asked. */
  despite: 1 << 30,
  /** A verb of handing over in the passive ("must be added", "should be sent"): handing over only after must. */
  passive: 1 << 26,
  /** Email, message, mail, shell, terminal, browser, payment: a capability another tool has. */
  capability: 1 << 27,
  /** A negation that follows what it negates: German "nicht", Japanese "ないで", Korean "마세요". */
  notAfter: 1 << 28,
} as const;
