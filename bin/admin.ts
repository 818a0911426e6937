/**
 * Admin CLI: users, wikis, members and personal access tokens, with or without
 * the stack running (see bin/lib/store-access.ts). `npm run admin -- help`.
 */
import { AppError } from '../workers/lib/errors.ts';
import { parseCommand, usage, UsageError } from './lib/admin-commands.ts';
import { StartupError } from './lib/fail.ts';
import { readSettings } from './lib/settings.ts';
import { withStore } from './lib/store-access.ts';

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || ['help', '--help', '-h'].includes(argv[0]!)) {
    console.log(usage());
    return argv.length === 0 ? 2 : 0;
  }
  try {
    const { command, positionals, values } = parseCommand(argv);
    const { dataDir } = readSettings();
    await withStore(dataDir, (db) => command.run(db, { positionals, values }, { out: (l) => console.log(l), dataDir }), { changesDirectory: !command.readOnly });
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`error: ${err.message}\n\nRun "npm run admin -- help" for every command.`);
      return 2;
    }
    if (err instanceof AppError || err instanceof StartupError) {
      console.error(`error: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((err: unknown) => {
  console.error('unexpected failure:', err);
  return 1;
});
