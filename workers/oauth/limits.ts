/**
 * Per-address limits of the authorization server's endpoints, counted in sqld.
 * Wider than the TS SDK's single-tenant defaults (50 token requests per 15
 * min): Claude.ai's backend refreshes for all its users from a few egress
 * addresses.
 */
import type { RateRule } from '../lib/limits/rate-limit.ts';

const MINUTE = 60_000;
export const AS_RATE_RULES = {
  authorize: { name: 'as-authorize-ip', what: 'authorization requests', limit: 300, windowMs: 15 * MINUTE },
  token: { name: 'as-token-ip', what: 'token requests', limit: 1000, windowMs: 15 * MINUTE },
  register: { name: 'as-register-ip', what: 'client registrations', limit: 100, windowMs: 60 * MINUTE },
} as const satisfies Record<string, RateRule>;
