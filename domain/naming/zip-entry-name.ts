/**
 * Names of the files inside a zip, as bytes. Zips made on Windows without the UTF-8 flag
 * (Explorer's "Send to compressed folder", older WinRAR and 7-Zip) carry names in the
 * machine's OEM code page: Windows-1258 on Vietnamese Windows, CP437 (the zip format's
 * default) elsewhere. iconv-lite is pure JavaScript, so this stays free of I/O.
 */
import iconv from 'iconv-lite';
import { nfc } from '../text/normalize';

export type ZipNameEncoding = 'utf8' | 'windows1258' | 'cp437';

/** Marks Vietnamese letters carry in NFD: breve, circumflex, horn, and the five tones. */
const VIETNAMESE_MARKS = /^[\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323]*$/u;

/** Whether a character is a Vietnamese letter beyond ASCII (ệ, ư, Đ …; not Ä, ß, ├). */
function isVietnameseLetter(ch: string): boolean {
  if (ch === 'đ' || ch === 'Đ') return true;
  const d = ch.normalize('NFD');
  return /^[a-zA-Z]/.test(d) && d.length > 1 && VIETNAMESE_MARKS.test(d.slice(1));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Validity judged by a strict decoder, not by U+FFFD in a lenient one: a name may hold U+FFFD itself. */
function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes a zip entry name. UTF-8 when flagged, and also when the bytes are valid UTF-8 (many
 * tools write UTF-8 without the flag); otherwise Windows-1258 when that reading gives
 * Vietnamese letters and nothing else beyond ASCII, else CP437. Always NFC: Windows-1258
 * writes tones as combining marks, and macOS writes decomposed UTF-8.
 */
export function decodeZipEntryName(raw: Uint8Array, utf8Flag: boolean): { name: string; encoding: ZipNameEncoding } {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (utf8Flag || isValidUtf8(bytes)) return { name: nfc(bytes.toString('utf8')), encoding: 'utf8' };
  const cp1258 = nfc(iconv.decode(bytes, 'windows1258'));
  const beyondAscii = [...cp1258].filter((c) => c.charCodeAt(0) >= 0x80);
  if (beyondAscii.length > 0 && beyondAscii.every(isVietnameseLetter)) return { name: cp1258, encoding: 'windows1258' };
  return { name: nfc(iconv.decode(bytes, 'cp437')), encoding: 'cp437' };
}
