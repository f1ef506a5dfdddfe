import fc from 'fast-check';
import { decodeCharacterData, parseXmlFragment, XmlMalformed, type XmlNode } from './xml-fragment';

/** XML as any writer escapes it: the five specials as entities, some characters as references. */
function escaped(text: string, asReferences: boolean): string {
  return [...text]
    .map((c) => {
      if (c === '&') return '&amp;';
      if (c === '<') return '&lt;';
      if (c === '>') return '&gt;';
      if (c === '"') return '&quot;';
      return asReferences && c.codePointAt(0)! > 0x7f ? `&#x${c.codePointAt(0)!.toString(16)};` : c;
    })
    .join('');
}

/** Text XML can hold as it is (no control character but tab and LF, no lone surrogate). */
const xmlText = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'ệ', 'Đ', ' ', '\t', '\n', '&', '<', '>', '"', "'", '𡨸', '_x000D_'), fc.string({ unit: 'grapheme', maxLength: 1 })), maxLength: 12 }).filter((s) => !/[\u0000-\u0008\u000b-\u001f\ufffe\uffff\r]/.test(s));
const name = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);

interface Tree {
  name: string;
  attrs: Array<[string, string]>;
  children: Array<Tree | string>;
}

const tree = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.record({
    name,
    attrs: fc.uniqueArray(fc.tuple(name, xmlText), { maxLength: 3, selector: ([k]) => k }),
    // Two texts side by side are one text once written.
    children: fc.array(fc.oneof({ depthSize: 'small' }, xmlText.filter((s) => s !== ''), tie('node')), { maxLength: 4 }).map((cs) => cs.filter((c, i) => typeof c !== 'string' || typeof cs[i - 1] !== 'string')),
  }),
}));

function written(t: Tree, refs: boolean): string {
  const attrs = t.attrs.map(([k, v]) => ` ${k}="${escaped(v, refs).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;')}"`).join('');
  return t.children.length === 0 ? `<${t.name}${attrs}/>` : `<${t.name}${attrs}>${t.children.map((c) => (typeof c === 'string' ? escaped(c, refs) : written(c, refs))).join('')}</${t.name}>`;
}

function asTree(node: XmlNode): Tree | string {
  if (typeof node === 'string') return node;
  return { name: node.name, attrs: [...node.attrs], children: node.children.map(asTree) };
}

test('any element tree, written with entities or character references, parses back to itself', () => {
  fc.assert(
    fc.property(tree.node, fc.boolean(), (t, refs) => {
      expect(parseXmlFragment(written(t, refs)).map(asTree)).toEqual([t]);
    }),
  );
});

test('any text parses or is refused as malformed XML, nothing else is thrown', () => {
  const markup = fc.string({ unit: fc.oneof(fc.constantFrom('<', '>', '/', '</', '<a', '<a>', '</a>', '<b/>', '"', "'", '=', ' ', '&', '&amp;', '&#0;', '&#xD800;', '&#65;', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<!DOCTYPE'), fc.string({ maxLength: 2 })), maxLength: 30 });
  fc.assert(
    fc.property(markup, (xml) => {
      try {
        parseXmlFragment(xml);
      } catch (e) {
        expect(e).toBeInstanceOf(XmlMalformed);
      }
    }),
  );
});

test('character data: CR LF and lone CR become LF, as XML parsers make them, before references are replaced', () => {
  fc.assert(
    fc.property(xmlText, fc.constantFrom('\r\n', '\r', '\n'), (text, eol) => {
      expect(decodeCharacterData(escaped(text, false).replace(/\n/g, eol))).toBe(text);
    }),
  );
});
