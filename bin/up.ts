/**
 * The start command (`npm start`): builds the workers, prepares the data
 * directory and keys, starts sqld, applies migrations, starts workerd (and
 * Caddy with CADDY=1), waits until every worker is healthy and prints the URLs.
 * It keeps sqld and workerd up, restarting either if it dies.
 * Ctrl-C or SIGTERM stops everything. `--watch` rebuilds and reloads on change.
 */
import { parseArgs } from 'node:util';
import { StartupError } from './lib/fail.ts';
import { readSettings } from './lib/settings.ts';
import { startStack, type Stack } from './lib/stack.ts';

const USAGE = `usage: npm start [-- --watch] [-- --caddy] [-- --no-build]
  --watch     rebuild the workers on every change; workerd reloads them
  --caddy     also run Caddy in front (HTTPS with a local CA); same as CADDY=1
  --no-build  use the bundles already in dist/
Configuration comes from the environment: see "Configuration" in README.md.`;

function log(line: string): void {
  process.stdout.write(line + '\n');
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { watch: { type: 'boolean' }, caddy: { type: 'boolean' }, 'no-build': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    log(USAGE);
    return 0;
  }
  const started = performance.now();
  // Signals are handled from the first moment: one that arrives while the stack
  // is still starting stops it as soon as it is up.
  let signalled: NodeJS.Signals | null = null;
  let stack: Stack | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled) return;
    signalled = sig;
    log(`\n[up] ${sig}: stopping`);
    void stack?.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let settings;
  try {
    settings = readSettings(process.env, args.caddy ? { caddy: 'local' } : {});
    stack = await startStack({ settings, log, watch: !!args.watch, skipBuild: !!args['no-build'] });
  } catch (err) {
    if (err instanceof StartupError) {
      console.error(`[up] cannot start: ${err.message}`);
      return 1;
    }
    throw err;
  }

  const host = new URL(stack.origin).host;
  const scheme = new URL(stack.origin).protocol;
  log(`
Wikifarm is running (ready in ${Math.round(performance.now() - started)} ms)
  apex      ${stack.origin}/
  wikis     ${scheme}//{slug}.${host}/
  health    ${stack.origin}/healthz
  gateway   ${stack.gatewayUrl}   internal ${stack.internalUrl}   wiki hosts ${stack.wikiUrl} (behind Caddy)   sqld ${stack.sqldUrl}
  data      ${settings.dataDir}
Press Ctrl-C to stop.${args.watch ? ' Watching workers/ for changes.' : ''}`);

  if (signalled) void stack.stop();
  await stack.stopped;
  log('[up] stopped');
  return signalled ? 0 : 1;
}

process.exitCode = await main().catch((err: unknown) => {
  console.error('[up] unexpected failure:', err);
  return 1;
});
