/**
 * How many wikis one person may own: `users.max_wikis`, or this default when
 * it is null. It sits beside the rate rules (rate-limit.ts): the
 * `wikiCreatePerUser` rule limits how fast wikis are made, this how many are
 * kept. Enforced when a person creates a wiki (directory/wikis.ts); the admin
 * CLI is not held to it.
 */
export const DEFAULT_MAX_OWNED_WIKIS = 10;
