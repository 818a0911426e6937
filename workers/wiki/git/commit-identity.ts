/**
 * Author and committer lines for new commits, cleaned so that git accepts
 * them (`fsck --strict` refuses `<`, `>` and line breaks in names and emails).
 */

/** Who wrote or committed a change. */
export interface Identity {
  name: string;
  email: string;
}

/** An identity with the time of the commit, as git stores it. */
export interface Signature extends Identity {
  /** Seconds since the Unix epoch. */
  timestamp: number;
  /** Minutes, with the sign of JavaScript's `Date#getTimezoneOffset` (UTC+2 is -120). */
  timezoneOffset: number;
}

const UNSAFE = /[<>\p{Cc}\p{Cs}\u2028\u2029]/gu;

function clean(value: string): string {
  return value.replace(UNSAFE, ' ').replace(/\s+/gu, ' ').trim();
}

/**
 * The signature git will store: `<`, `>`, control characters, lone surrogates
 * and line breaks become spaces, runs of whitespace collapse, and an empty name becomes
 * `Anonymous`.
 */
export function toSignature(who: Identity, timestamp: number, timezoneOffset = 0): Signature {
  return {
    name: clean(who.name) || 'Anonymous',
    email: clean(who.email),
    timestamp: Math.floor(timestamp),
    timezoneOffset,
  };
}
