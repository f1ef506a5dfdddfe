/** A member of a zip opened with yauzl, as a stream (inflated by yauzl unless `options` say otherwise). */
import type { Readable } from 'node:stream';
import type yauzl from 'yauzl';

export function openEntryStream(zip: yauzl.ZipFile, entry: yauzl.Entry, options: yauzl.ZipFileOptions = {}): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, options, (e, stream) => (e ? reject(e) : resolve(stream))));
}
