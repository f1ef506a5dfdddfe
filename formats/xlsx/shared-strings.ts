/**
 * The shared string table, read as it inflates and kept as UTF-8 bytes in large buffers, not
 * as JavaScript strings: a province's names are mostly distinct, and as strings they would take
 * several times the memory. The byte scan packs a shared string's bytes without decoding them.
 */
import type yauzl from 'yauzl';
import type { RowPacker } from '../tabular/packed-rows';
import { richText } from './cell-markup';
import { openPart, XlsxUnreadable } from './workbook-parts';
import { parseXmlFragment, XmlMalformed, type XmlElement } from './xml-fragment';

/** Shared strings as UTF-8 in 8 MB slabs, indexed by offsets. */
export class SharedStrings {
  private readonly slabs: Buffer[] = [];
  private slab = Buffer.allocUnsafe(8 << 20);
  private used = 0;
  private starts = new Float64Array(1 << 16);
  private count = 0;

  add(s: string): void {
    const bytes = Buffer.byteLength(s);
    if (this.used + bytes > this.slab.length) {
      this.slabs.push(this.slab.subarray(0, this.used));
      this.slab = Buffer.allocUnsafe(Math.max(8 << 20, bytes));
      this.used = 0;
    }
    this.slab.write(s, this.used);
    if (this.count * 3 + 3 > this.starts.length) {
      const grown = new Float64Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    // Slab number and offset in one number: slab * 2^32 + offset; the byte length; 1 when it holds a NUL (not packed as bytes).
    this.starts[this.count * 3] = this.slabs.length * 4294967296 + this.used;
    this.starts[this.count * 3 + 1] = bytes;
    this.starts[this.count * 3 + 2] = s.includes('\0') ? 1 : 0;
    this.used += bytes;
    this.count++;
  }

  private place(i: number): { slab: Buffer; offset: number } {
    const at = this.starts[i * 3]!;
    const slabIndex = Math.floor(at / 4294967296);
    return { slab: slabIndex === this.slabs.length ? this.slab : this.slabs[slabIndex]!, offset: at - slabIndex * 4294967296 };
  }

  get(i: number): string | undefined {
    if (!(i >= 0 && i < this.count)) return undefined;
    const { slab, offset } = this.place(i);
    return slab.toString('utf8', offset, offset + this.starts[i * 3 + 1]!);
  }

  /** String `i` as a packed cell, without making a string of it; false, with nothing packed, when there is no such string. */
  pack(i: number, packer: RowPacker): boolean {
    if (!(i >= 0 && i < this.count)) return false;
    if (this.starts[i * 3 + 2]) packer.string(this.get(i)!);
    else {
      const { slab, offset } = this.place(i);
      packer.encodedText(slab, offset, offset + this.starts[i * 3 + 1]!);
    }
    return true;
  }
}

/** Where an element `<name …>` or `<name/>` starts in `text`, its name standing whole; -1 when none, or when the text ends before that can be told. */
function elementAt(text: string, name: string, from: number): number {
  for (let at = text.indexOf(name, from); at >= 0; at = text.indexOf(name, at + 1)) {
    const after = text.charCodeAt(at + name.length);
    if (Number.isNaN(after)) return -1;
    if (after === 0x3e || after === 0x2f || after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d) return at;
  }
  return -1;
}

/** Reads the plain <si><t>text</t></si> that Excel writes for most strings (with xml:space="preserve" or not) without parsing it. */
class PlainSharedString {
  private readonly head: string;
  private readonly preserved: string;
  private readonly tail: string;

  constructor(prefix: string) {
    this.head = `<${prefix}si><${prefix}t>`;
    this.preserved = `<${prefix}si><${prefix}t xml:space="preserve">`;
    this.tail = `</${prefix}t></${prefix}si>`;
  }

  /** The text of `item`; undefined for any other form, or a text with markup to undo. */
  text(item: string): string | undefined {
    const start = item.startsWith(this.head) ? this.head.length : item.startsWith(this.preserved) ? this.preserved.length : -1;
    if (start < 0 || !item.endsWith(this.tail)) return undefined;
    const text = item.slice(start, item.length - this.tail.length);
    if (text.indexOf('<') >= 0 || text.indexOf('&') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('_x') >= 0) return undefined;
    return text;
  }
}

/**
 * The shared strings, read as they inflate. Inside <sst> there is nothing but <si> items (and
 * white space, comments, and an <extLst> at the end): anything else is refused, as an item
 * passed over would give every later cell the string after its own.
 */
export async function readSharedStrings(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined, file: string): Promise<SharedStrings> {
  const table = new SharedStrings();
  if (!entry) return table;
  // Fatal: a byte that is not UTF-8 would otherwise become U+FFFD in every cell that shows the string.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let buffer = '';
  let names: { open: string; close: string; end: string; extensions: string; plain: PlainSharedString } | undefined;
  let done = false;
  let items = 0;
  const unreadable = (reason: string) => XlsxUnreadable({ file, reason: `shared string ${items + 1}: ${reason}` });
  for await (const chunk of await openPart(zip, entry, file)) {
    if (done) continue;
    try {
      buffer += decoder.decode(chunk as Buffer, { stream: true });
    } catch (e) {
      throw XlsxUnreadable({ file, reason: 'the shared strings are not UTF-8' }, { cause: e });
    }
    let from = 0;
    if (!names) {
      const m = /<([A-Za-z_][\w.-]*:)?sst(?:\s[^>]*)?(\/?)>/.exec(buffer);
      if (!m) continue;
      const prefix = m[1] ?? '';
      names = { open: `<${prefix}si`, close: `</${prefix}si>`, end: `</${prefix}sst`, extensions: `<${prefix}extLst`, plain: new PlainSharedString(prefix) };
      done = m[2] === '/';
      from = m.index + m[0].length;
    }
    while (!done) {
      while (from < buffer.length && /[ \t\r\n]/.test(buffer[from]!)) from++;
      if (buffer.length - from < names.end.length) break;
      if (buffer.startsWith(names.end, from) || buffer.startsWith(names.extensions, from)) {
        done = true;
        break;
      }
      if (buffer.startsWith('<!--', from)) {
        const close = buffer.indexOf('-->', from + 4);
        if (close < 0) break;
        from = close + 3;
        continue;
      }
      if (elementAt(buffer, names.open, from) !== from) throw unreadable('the shared strings hold what is not a string');
      const gt = buffer.indexOf('>', from);
      if (gt < 0) break;
      const selfClosing = buffer[gt - 1] === '/';
      const end = selfClosing ? gt + 1 : buffer.indexOf(names.close, gt);
      if (end < 0) break;
      const after = selfClosing ? end : end + names.close.length;
      const item = buffer.slice(from, after);
      let text = names.plain.text(item);
      if (text === undefined) {
        try {
          const [si] = parseXmlFragment(item) as XmlElement[];
          text = richText(si!);
        } catch (e) {
          if (!(e instanceof XmlMalformed)) throw e;
        }
        if (text === undefined) throw unreadable('its XML is not well-formed or not that of a string');
      }
      table.add(text);
      items++;
      from = after;
    }
    buffer = buffer.slice(from);
  }
  if (names && !done) throw unreadable('the shared strings end inside a string');
  return table;
}
