/** Debian's caddy for the tests that need it: installed with apt-get when missing. */
import { execFileSync } from 'node:child_process';
import { caddyBinary } from '../../bin/lib/caddy.ts';

export function ensureCaddy(): string {
  const found = caddyBinary();
  if (found) return found;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'caddy'], { env, stdio: 'inherit' });
  const installed = caddyBinary();
  if (!installed) throw new Error('apt-get installed caddy, but no caddy binary was found');
  return installed;
}
