/**
 * A small XML reader for the parts of a workbook that the byte scan leaves to text: a row it
 * does not know the form of, a shared string, the styles. It reads what an XML parser reads
 * (prefixed names, either quote, spaces inside tags, CDATA, comments, character references,
 * line ends made LF) and throws `XmlMalformed` on what is not well-formed, so that no markup is
 * ever passed over unread.
 */

export interface XmlElement {
  /** The local name: a prefix (`x:row`) is dropped, as writers bind it to the main namespace. */
  name: string;
  /** Attributes by their name as written (`r`, `t`, `xml:space`, `r:id`). */
  attrs: Map<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export class XmlMalformed extends Error {}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z]+));|&/g;
const NAME = /[A-Za-z_\u00C0-\uFFFF][\w.\-:\u00B7-\uFFFF]*/y;
const SPACE = /[ \t\r\n]*/y;

/** XML 1.0's Char: a reference to anything else (a NUL, a lone surrogate) is not well-formed. */
const isXmlChar = (n: number) => n === 0x9 || n === 0xa || n === 0xd || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff);

function codePoint(n: number): string {
  if (!isXmlChar(n)) throw new XmlMalformed(`character reference to ${Number.isFinite(n) ? n.toString(16) : 'a number'}, not a character XML allows`);
  return String.fromCodePoint(n);
}

/**
 * Character data as it is written in XML: line ends (CR LF, a lone CR) made LF, as a parser
 * makes them before anything else, then entity and character references replaced.
 */
export function decodeCharacterData(raw: string): string {
  const text = raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n');
  if (text.indexOf('&') < 0) return text;
  return text.replace(REFERENCE, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex !== undefined) return codePoint(parseInt(hex, 16));
    if (dec !== undefined) return codePoint(Number(dec));
    const named = name === undefined ? undefined : ENTITY[name];
    if (named === undefined) throw new XmlMalformed(`"${whole}" is neither one of XML's five entities nor a character reference`);
    return named;
  });
}

/** Excel's escapes of characters XML cannot hold (`_x000D_`; `_x005F_` is a "_" itself), in text it has already read as XML. */
export function excelUnescape(text: string): string {
  if (text.indexOf('_x') < 0) return text;
  return text.replace(/_x([0-9a-fA-F]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export const localName = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);

function nameAt(xml: string, at: number): string {
  NAME.lastIndex = at;
  const m = NAME.exec(xml);
  if (!m) throw new XmlMalformed(`no name where one is due at ${at}`);
  return m[0];
}

function spaceAfter(xml: string, at: number): number {
  SPACE.lastIndex = at;
  SPACE.exec(xml);
  return SPACE.lastIndex;
}

function end(xml: string, what: string, from: number): number {
  const at = xml.indexOf(what, from);
  if (at < 0) throw new XmlMalformed(`"${what}" never comes`);
  return at;
}

/** The nodes of a piece of XML: elements with their children, text with its references replaced. */
export function parseXmlFragment(xml: string): XmlNode[] {
  const top: XmlElement = { name: '', attrs: new Map(), children: [] };
  const open: Array<{ element: XmlElement; qualified: string }> = [{ element: top, qualified: '' }];
  const add = (node: XmlNode) => {
    const children = open[open.length - 1]!.element.children;
    const last = children[children.length - 1];
    // Text split by a comment or CDATA is one text.
    if (typeof node === 'string' && typeof last === 'string') children[children.length - 1] = last + node;
    else children.push(node);
  };
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? xml.length : lt;
    if (textEnd > i) add(decodeCharacterData(xml.slice(i, textEnd)));
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) i = end(xml, '-->', lt + 4) + 3;
    else if (xml.startsWith('<![CDATA[', lt)) {
      const close = end(xml, ']]>', lt + 9);
      add(xml.slice(lt + 9, close).replace(/\r\n?/g, '\n'));
      i = close + 3;
    } else if (xml.startsWith('<?', lt)) i = end(xml, '?>', lt + 2) + 2;
    else if (xml.startsWith('<!', lt)) throw new XmlMalformed('a declaration inside the content');
    else if (xml[lt + 1] === '/') {
      const qualified = nameAt(xml, lt + 2);
      const gt = spaceAfter(xml, lt + 2 + qualified.length);
      if (xml[gt] !== '>') throw new XmlMalformed(`the end tag </${qualified} is not closed`);
      const closed = open.pop()!;
      if (open.length === 0 || closed.qualified !== qualified) throw new XmlMalformed(`</${qualified}> ends <${closed.qualified || '(nothing)'}>`);
      i = gt + 1;
    } else {
      const qualified = nameAt(xml, lt + 1);
      const element: XmlElement = { name: localName(qualified), attrs: new Map(), children: [] };
      let p = lt + 1 + qualified.length;
      let selfClosing: boolean;
      for (;;) {
        const spaced = spaceAfter(xml, p);
        if (xml[spaced] === '>' || (xml[spaced] === '/' && xml[spaced + 1] === '>')) {
          selfClosing = xml[spaced] === '/';
          p = spaced + (selfClosing ? 2 : 1);
          break;
        }
        if (spaced === p) throw new XmlMalformed(`<${qualified}: no space before an attribute, or the tag is not closed`);
        const attr = nameAt(xml, spaced);
        const eq = spaceAfter(xml, spaced + attr.length);
        if (xml[eq] !== '=') throw new XmlMalformed(`<${qualified}: attribute ${attr} has no value`);
        const q = spaceAfter(xml, eq + 1);
        const quote = xml[q];
        if (quote !== '"' && quote !== "'") throw new XmlMalformed(`<${qualified}: the value of ${attr} is not quoted`);
        const close = end(xml, quote, q + 1);
        const value = xml.slice(q + 1, close);
        if (value.indexOf('<') >= 0) throw new XmlMalformed(`<${qualified}: "<" in the value of ${attr}`);
        if (element.attrs.has(attr)) throw new XmlMalformed(`<${qualified}: attribute ${attr} given twice`);
        element.attrs.set(attr, decodeCharacterData(value));
        p = close + 1;
      }
      add(element);
      if (!selfClosing) open.push({ element, qualified });
      i = p;
    }
  }
  if (open.length > 1) throw new XmlMalformed(`<${open[open.length - 1]!.qualified}> is never closed`);
  return top.children;
}

/** Whether a node is text holding only XML white space. */
export const isBlankText = (node: XmlNode): node is string => typeof node === 'string' && /^[ \t\n]*$/.test(node);
