import archiver, { Archiver, ArchiverOptions } from 'archiver';
import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';

// archiver 7 exports a factory function; the installed @types/archiver describes archiver 8's classes.
const createArchive = archiver as unknown as (format: 'zip', options: ArchiverOptions) => Archiver;

/** A file of a bundle: its path in the zip, the hash recorded for it, and how to read it (only when its turn comes). */
export interface BundleMember {
  path: string;
  sha256: string;
  open(): Readable;
}

/**
 * Passes the bytes through while hashing them and fails at the end when they are not the recorded content: a file
 * altered (or swapped) after it was checked still never reaches a client as a complete download. Read errors of the
 * source come out of the returned stream too.
 */
export function hashChecked(source: Readable, sha256: string, label: string): Readable {
  const hash = createHash('sha256');
  const checked = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = hash.digest('hex');
      callback(
        actual === sha256
          ? null
          : new Error(`${label} changed while it was being sent: sha256 ${actual}, recorded ${sha256}`),
      );
    },
  });
  // pipeline destroys `checked` with the source's error; its callback has nothing left to do.
  pipeline(source, checked, () => undefined);
  return checked;
}

/**
 * A stored (uncompressed) zip of the members followed by the given text entries, streamed as it is built. Each file
 * is opened only when the archive reaches it, so a bundle of thousands of files holds one descriptor at a time, and
 * goes through hashChecked. Any failure (a read error, a changed file, an archiver error or warning) destroys the
 * returned stream with the error: the response then breaks off rather than ending as a truncated 200.
 */
export function streamZip(members: BundleMember[], texts: { path: string; content: string | Buffer }[]): Readable {
  // Stored, not deflated: PDFs and most evidence are compressed already, and bytes on disk stay checkable.
  const zip = createArchive('zip', { store: true });
  let current: Readable | undefined;
  const fail = (error: Error) => {
    current?.destroy();
    if (zip.destroyed) return;
    // abort() first stops archiver's queue, so no entry starts on an archive that is gone.
    zip.abort();
    zip.destroy(error);
  };
  zip.on('error', fail);
  // archiver warns when it skips an entry (e.g. a file it cannot stat): the bundle would be incomplete.
  zip.on('warning', fail);
  // A client that goes away destroys the archive: stop reading the current file too.
  zip.on('close', () => current?.destroy());

  const appendInTurn = async () => {
    for (const member of members) {
      if (zip.destroyed) return;
      current = hashChecked(member.open(), member.sha256, member.path);
      current.on('error', fail);
      const appended = entryOrEnd(zip);
      zip.append(current, { name: member.path });
      if (!(await appended)) return;
    }
    current = undefined;
    for (const text of texts) zip.append(text.content, { name: text.path });
    zip.finalize().catch(fail);
  };
  appendInTurn().catch(fail);
  return zip;
}

/** True once archiver has written the entry appended last; false when the archive failed or closed first. */
function entryOrEnd(zip: Archiver): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (written: boolean) => {
      zip.off('entry', onEntry);
      zip.off('close', onEnd);
      zip.off('error', onEnd);
      resolve(written);
    };
    const onEntry = () => settle(true);
    const onEnd = () => settle(false);
    zip.once('entry', onEntry);
    zip.once('close', onEnd);
    zip.once('error', onEnd);
  });
}
