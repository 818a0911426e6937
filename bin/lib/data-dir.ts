/**
 * The data directory: everything the stack keeps between starts.
 *   <data>/VERSION    layout version of this directory
 *   <data>/sqld/      the libSQL server's files
 *   <data>/git/       one bare git repository per wiki (workerd's disk service)
 *   <data>/keys/      signing and encryption keys (0700; files 0600)
 *   <data>/run/       lock and address of the running stack
 */
import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from './fail.ts';

export const LAYOUT_VERSION = 1;

export interface DataPaths {
  root: string;
  sqld: string;
  git: string;
  keys: string;
  run: string;
}

export function dataPaths(root: string): DataPaths {
  return { root, sqld: path.join(root, 'sqld'), git: path.join(root, 'git'), keys: path.join(root, 'keys'), run: path.join(root, 'run') };
}

/** mkdir -p, one level at a time (Node's recursive mkdir can spin forever under /proc). */
function mkdirs(dir: string): void {
  const missing: string[] = [];
  let d = path.resolve(dir);
  while (!fs.existsSync(d)) {
    missing.unshift(d);
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (const m of missing) fs.mkdirSync(m);
}

/** Creates the directory tree on first use and checks an existing one can be used. */
export function prepareDataDir(root: string): DataPaths {
  const p = dataPaths(root);
  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) throw new StartupError(`the data directory ${root} is not a directory`);
  try {
    mkdirs(root);
  } catch (err) {
    throw new StartupError(`cannot create the data directory ${root}: ${(err as Error).message}. Set DATA_DIR to a directory you can write.`);
  }
  try {
    fs.accessSync(root, fs.constants.W_OK | fs.constants.R_OK | fs.constants.X_OK);
    const probe = path.join(root, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch {
    throw new StartupError(`the data directory ${root} is not writable by this user. Fix its permissions or set DATA_DIR.`);
  }

  const versionFile = path.join(root, 'VERSION');
  if (fs.existsSync(versionFile)) {
    const found = Number(fs.readFileSync(versionFile, 'utf8').trim());
    if (found !== LAYOUT_VERSION) {
      throw new StartupError(
        `the data directory ${root} has layout version ${fs.readFileSync(versionFile, 'utf8').trim()}, this code reads version ${LAYOUT_VERSION}. ` +
          (found > LAYOUT_VERSION ? 'It was written by a newer release: upgrade the code.' : 'Upgrade it with the matching release first.'),
      );
    }
  } else {
    const entries = fs.readdirSync(root).filter((e) => !e.startsWith('.'));
    if (entries.length > 0) throw new StartupError(`${root} is not empty and is not a data directory of this project (no VERSION file)`);
    fs.writeFileSync(versionFile, `${LAYOUT_VERSION}\n`);
  }
  try {
    for (const dir of [p.sqld, p.git, p.run]) fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(p.keys, { recursive: true, mode: 0o700 });
    fs.chmodSync(p.keys, 0o700);
  } catch (err) {
    throw new StartupError(`the data directory ${root} is damaged: ${(err as Error).message}`);
  }
  return p;
}
