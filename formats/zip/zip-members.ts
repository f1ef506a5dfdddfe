/**
 * A zip read with yauzl, one way for every reader of packages and workbooks: opened for random
 * access (closed by the caller, so members can be opened after the listing), its members listed
 * in the order of its central directory, each opened as a stream.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** `decodeStrings: false` leaves names as bytes, for a caller that decodes legacy code pages itself. */
export function openZipFile(file: string, options: { decodeStrings?: boolean } = {}): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.open(file, { lazyEntries: true, autoClose: false, ...options }, (e, zip) => (e ? reject(e) : resolve(zip))));
}

export function zipMembers(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const all: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      all.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(all));
    zip.once('error', reject);
    zip.readEntry();
  });
}

/** A member as a stream, inflated by yauzl unless `options` say otherwise. */
export function openEntryStream(zip: yauzl.ZipFile, entry: yauzl.Entry, options: yauzl.ZipFileOptions = {}): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, options, (e, stream) => (e ? reject(e) : resolve(stream))));
}
