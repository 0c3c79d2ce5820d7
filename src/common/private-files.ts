import * as fs from 'node:fs';

/**
 * The data directory holds the database, evidence, packs and the checkpoint key: only the service's own user may
 * read it. Directories are 0700 and files 0600 (stored evidence and pack files 0400).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
export const READ_ONLY_FILE_MODE = 0o400;

/** Creates the directory and any missing parents as 0700 (an existing parent is left as it is). */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** For directories the service owns wholly (evidence/, packs/): created 0700, and tightened if older code left them open. */
export function ownPrivateDir(dir: string): void {
  makePrivateDir(dir);
  if ((fs.statSync(dir).mode & 0o077) !== 0) fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** The group/other permission bits of an existing path, or 0 (also when it does not exist). */
export function looseBits(target: string): number {
  try {
    return fs.statSync(target).mode & 0o077;
  } catch {
    return 0;
  }
}

/**
 * The SQLite file, created empty as 0600 before SQLite opens it: SQLite gives its -wal and -shm files the mode of
 * the database file. Files left 0644 by older versions are tightened, journals included.
 */
export function prepareSqliteFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (looseBits(path) !== 0) fs.chmodSync(path, PRIVATE_FILE_MODE);
  }
}
