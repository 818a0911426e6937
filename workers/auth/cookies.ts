/** The auth worker's cookies: the platform session (apex and every wiki host) and the sign-in nonce (apex only). */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../lib/directory/sessions.ts';

export const SIGN_IN_COOKIE = 'wf_signin';
const SIGN_IN_MAX_AGE_S = 15 * 60;

function secure(publicOrigin: string): boolean {
  return new URL(publicOrigin).protocol === 'https:';
}

/** Domain=APEX so wiki hosts receive it too; HttpOnly; SameSite=Lax; Secure on https. */
export function setSessionCookie(c: Context, env: { APEX: string; PUBLIC_ORIGIN: string }, token: string, expiresAt: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    domain: env.APEX,
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: secure(env.PUBLIC_ORIGIN),
    maxAge: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)),
  });
}

export function clearSessionCookie(c: Context, env: { APEX: string; PUBLIC_ORIGIN: string }): void {
  deleteCookie(c, SESSION_COOKIE, { domain: env.APEX, path: '/', secure: secure(env.PUBLIC_ORIGIN) });
}

export function sessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** Host-only on the apex, only sent to /auth: binds a sign-in to the browser that started it. */
export function setSignInCookie(c: Context, env: { PUBLIC_ORIGIN: string }, nonce: string): void {
  setCookie(c, SIGN_IN_COOKIE, nonce, { path: '/auth', httpOnly: true, sameSite: 'Lax', secure: secure(env.PUBLIC_ORIGIN), maxAge: SIGN_IN_MAX_AGE_S });
}

export function takeSignInCookie(c: Context, env: { PUBLIC_ORIGIN: string }): string | null {
  const nonce = getCookie(c, SIGN_IN_COOKIE) ?? null;
  deleteCookie(c, SIGN_IN_COOKIE, { path: '/auth', secure: secure(env.PUBLIC_ORIGIN) });
  return nonce;
}
