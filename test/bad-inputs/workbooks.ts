/**
 * Bad workbooks and CSVs, each made from a valid base file: cut short, bytes overwritten, parts
 * missing or malformed, password-protected, named as another format, written in another
 * encoding than UTF-8.
 */
import CFB from 'cfb';
import iconv from 'iconv-lite';
import * as XLSX from '@e965/xlsx';
import { writeZip } from '../../formats/zip/zip-writer';
import { encodeTcvn3, encodeVni } from '../../domain/text/legacy-encoding';
import type { Random } from '../../domain/synthetic/random';
import type { BaseFiles } from './base-files';
import type { BadFile, Category, FileTarget } from './corpus-types';

const WORKBOOK_TARGETS: readonly FileTarget[] = ['package', 'excel', 'custodian-table', 'placements'];
const CSV_TARGETS: readonly FileTarget[] = ['package', 'custodian-table'];

const file = (id: string, category: Category, fileName: string, bytes: Buffer, targets: readonly FileTarget[]): BadFile => ({ kind: 'file', id, category, targets, fileName, bytes });

/** The parts of a zip (an .xlsx) in their order, read with cfb, which reads zips as well as compound files. */
export function zipParts(bytes: Buffer): Array<{ name: string; data: Buffer }> {
  const container = CFB.read(bytes, { type: 'buffer' });
  return container.FileIndex.flatMap((entry, i) => {
    const name = container.FullPaths[i]!.replace(/^Root Entry\//, '');
    if (entry.type !== 2 || name.startsWith('\u0001')) return [];
    return [{ name, data: Buffer.from(entry.content as Uint8Array) }];
  });
}

export const rezip = (parts: ReadonlyArray<{ name: string; data: Buffer }>): Buffer => writeZip(parts.map((p) => ({ name: p.name, data: p.data, deflate: true })));

/** An .xlsx of one sheet written part by part, to say exactly what a hostile or broken one says. */
export function minimalXlsx(o: { sheetXml: string; sharedStrings?: string; workbookXml?: string; workbookRels?: string; contentTypes?: string; omit?: string[]; extra?: Array<{ name: string; data: Buffer }> }): Buffer {
  const contentTypes =
    o.contentTypes ??
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      (o.sharedStrings === undefined ? '' : '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>') +
      '</Types>';
  const rels =
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
  const workbook =
    o.workbookXml ??
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<sheets><sheet name="KS" sheetId="1" r:id="rId1"/></sheets></workbook>';
  const workbookRels =
    o.workbookRels ??
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      (o.sharedStrings === undefined ? '' : '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>') +
      '</Relationships>';
  const parts = [
    { name: '[Content_Types].xml', data: Buffer.from(contentTypes) },
    { name: '_rels/.rels', data: Buffer.from(rels) },
    { name: 'xl/workbook.xml', data: Buffer.from(workbook) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(workbookRels) },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(o.sheetXml) },
    ...(o.sharedStrings === undefined ? [] : [{ name: 'xl/sharedStrings.xml', data: Buffer.from(o.sharedStrings) }]),
    ...(o.extra ?? []),
  ].filter((p) => !o.omit?.includes(p.name));
  return rezip(parts);
}

const SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The birth register's header and first rows as inline strings, then `rows` as given (already markup). */
export function sheetXml(base: BaseFiles, rows: string, options: { prolog?: string } = {}): string {
  const header = base.ksRows[0]!;
  const headerRow = `<row r="1">${header.map((h, i) => `<c r="${XLSX.utils.encode_col(i)}1" t="inlineStr"><is><t>${xmlText(h)}</t></is></c>`).join('')}</row>`;
  return `${options.prolog ?? '<?xml version="1.0" encoding="UTF-8"?>'}<worksheet ${SHEET_NS}><sheetData>${headerRow}${rows}</sheetData></worksheet>`;
}

/** The first data row of the birth register as inline-string cells of row `r`. */
function dataRow(base: BaseFiles, r: number, override: (col: number, text: string) => string | undefined = () => undefined): string {
  const cells = base.ksRows[1]!.map((text, i) => {
    const ref = `${XLSX.utils.encode_col(i)}${r}`;
    const custom = override(i, text);
    if (custom !== undefined) return custom.replace('{ref}', ref);
    return text === '' ? '' : `<c r="${ref}" t="inlineStr"><is><t>${xmlText(text)}</t></is></c>`;
  });
  return `<row r="${r}">${cells.join('')}</row>`;
}

/** A BIFF8 workbook stream's records, to edit one and write the compound file again. */
function editWorkbookStream(xls: Buffer, edit: (records: Array<{ type: number; data: Buffer }>) => Array<{ type: number; data: Buffer }>): Buffer {
  const container = CFB.read(xls, { type: 'buffer' });
  const entry = CFB.find(container, '/Workbook')!;
  const stream = Buffer.from(entry.content as Uint8Array);
  const records: Array<{ type: number; data: Buffer }> = [];
  for (let p = 0; p + 4 <= stream.length; ) {
    const type = stream.readUInt16LE(p);
    const length = stream.readUInt16LE(p + 2);
    records.push({ type, data: stream.subarray(p + 4, p + 4 + length) });
    p += 4 + length;
  }
  const out = Buffer.concat(
    edit(records).flatMap((r) => {
      const head = Buffer.alloc(4);
      head.writeUInt16LE(r.type, 0);
      head.writeUInt16LE(r.data.length, 2);
      return [head, r.data];
    }),
  );
  CFB.utils.cfb_add(container, '/Workbook', out);
  return Buffer.from(CFB.write(container, { type: 'buffer' }) as Buffer);
}

const BIFF = { BOF: 0x0809, FILEPASS: 0x002f, SST: 0x00fc, LABELSST: 0x00fd, BOUNDSHEET: 0x0085, DIMENSIONS: 0x0200, EOF: 0x000a } as const;

/** A compound file holding what Office writes for a password-protected .xlsx (the package itself encrypted). */
function encryptedOfficeFile(random: Random): Buffer {
  const container = CFB.utils.cfb_new();
  const info = Buffer.alloc(256);
  info.writeUInt16LE(4, 0); // agile encryption: version 4.4
  info.writeUInt16LE(4, 2);
  info.writeUInt32LE(0x40, 4);
  Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"/>').copy(info, 8);
  CFB.utils.cfb_add(container, '/EncryptionInfo', info);
  CFB.utils.cfb_add(container, '/EncryptedPackage', Buffer.from(Array.from({ length: 4096 }, () => random.int(0, 255))));
  return Buffer.from(CFB.write(container, { type: 'buffer' }) as Buffer);
}

/** A zip whose every entry is flagged encrypted, in its local header and its central record, its bytes left as they were. */
function flaggedEncrypted(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  for (let at = out.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04])); at >= 0; at = out.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), at + 4)) out.writeUInt16LE(out.readUInt16LE(at + 6) | 1, at + 6);
  for (let at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0; at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) out.writeUInt16LE(out.readUInt16LE(at + 8) | 1, at + 8);
  return out;
}

function truncations(base: BaseFiles): BadFile[] {
  const bases: Array<[string, string, Buffer, readonly FileTarget[]]> = [
    ['gen-xlsx', '01-c06.xlsx', base.packageXlsx, WORKBOOK_TARGETS],
    ['gen-xls', '01-c06-KS.xls', base.ksXls, WORKBOOK_TARGETS],
    ['sheetjs-xls', 'KS.xls', base.sheetjs.xls, WORKBOOK_TARGETS],
    ['exceljs-xlsx', 'KS.xlsx', base.exceljsXlsx, WORKBOOK_TARGETS],
    ['exceptions-xlsx', 'Ngoại lệ.xlsx', base.exceptionsXlsx, ['placements']],
  ];
  const fractions = [0.001, 0.1, 0.5, 0.9, 0.999];
  const files = bases.flatMap(([label, name, bytes, targets]) =>
    fractions.map((f) => file(`truncated/${label}-${f * 1000}‰`, 'truncated', name, bytes.subarray(0, Math.max(1, Math.floor(bytes.length * f))), targets)),
  );
  const csv = base.ksCsv;
  const text = csv.toString('utf8');
  const quote = Buffer.from(text.replace(/\n(?=[^\n]*$)/, '\n"Nguyễn Văn An, chưa đóng ngoặc kép'), 'utf8');
  const midChar = csv.indexOf(Buffer.from('ễ'));
  files.push(
    file('truncated/csv-open-quote', 'truncated', '01-c06-KS.csv', quote, CSV_TARGETS),
    file('truncated/csv-mid-character', 'truncated', '01-c06-KS.csv', csv.subarray(0, midChar + 1), CSV_TARGETS),
  );
  for (const [ext, targets] of [['xlsx', WORKBOOK_TARGETS], ['xls', WORKBOOK_TARGETS], ['csv', CSV_TARGETS], ['zip', ['package', 'scans']]] as const) {
    files.push(file(`truncated/empty-${ext}`, 'truncated', `rỗng.${ext}`, Buffer.alloc(0), targets));
  }
  return files;
}

function overwritten(base: BaseFiles, random: Random): BadFile[] {
  const flip = (bytes: Buffer, seed: Random, at: number) => {
    const out = Buffer.from(bytes);
    const start = Math.floor(out.length * at);
    for (let i = 0; i < 64 && start + i < out.length; i++) out[start + i] = seed.int(0, 255);
    return out;
  };
  const bases: Array<[string, string, Buffer]> = [
    ['gen-xlsx', '01-c06.xlsx', base.packageXlsx],
    ['gen-xls', '01-c06-KS.xls', base.ksXls],
    ['sheetjs-xlsx', 'KS.xlsx', base.sheetjs.xlsx],
    ['exceljs-xlsx', 'KS.xlsx', base.exceljsXlsx],
  ];
  return bases.flatMap(([label, name, bytes]) =>
    [0.0, 0.3, 0.6, 0.95].map((at) => file(`overwritten/${label}-at-${at * 100}%`, 'damaged', name, flip(bytes, random.fork(`${label}${at}`), at), WORKBOOK_TARGETS)),
  );
}

function xlsxStructure(base: BaseFiles): BadFile[] {
  const parts = zipParts(base.packageXlsx);
  const without = (name: string) => rezip(parts.filter((p) => p.name !== name));
  const replaced = (name: string, data: string | Buffer) => rezip(parts.map((p) => (p.name === name ? { name, data: typeof data === 'string' ? Buffer.from(data) : data } : p)));
  const sheet1 = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!.data.toString('utf8');
  const row = (r: number) => dataRow(base, r);
  const cell = (xml: string) => (col: number) => (col === 0 ? xml : undefined);
  const x = (id: string, bytes: Buffer, category: Category = 'damaged') => file(`xlsx-structure/${id}`, category, 'KS.xlsx', bytes, WORKBOOK_TARGETS);
  const entity = (decl: string, use: string) =>
    minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell(`<c r="{ref}" t="inlineStr"><is><t>${use}</t></is></c>`)), { prolog: `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [${decl}]>` }) });
  const withSheet = (data: Buffer) => rezip([...zipParts(minimalXlsx({ sheetXml: sheetXml(base, row(2)) })).filter((p) => p.name !== 'xl/worksheets/sheet1.xml'), { name: 'xl/worksheets/sheet1.xml', data }]);
  const laughs = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
  return [
    x('no-content-types', without('[Content_Types].xml')),
    x('no-workbook-part', without('xl/workbook.xml')),
    x('no-sheet-part', without('xl/worksheets/sheet1.xml')),
    x('no-package-relationships', without('_rels/.rels')),
    x('sheet-not-xml', replaced('xl/worksheets/sheet1.xml', Buffer.from('\u0000\u0001PK garbage that is not XML at all \u00ff'))),
    x('sheet-cut-mid-tag', replaced('xl/worksheets/sheet1.xml', sheet1.slice(0, Math.floor(sheet1.length / 2)))),
    x('sheet-unclosed-row', minimalXlsx({ sheetXml: sheetXml(base, `${row(2)}<row r="3"><c r="A3" t="inlineStr"><is><t>00376</t></is></c>`) })),
    x('relationship-to-missing-part', minimalXlsx({ sheetXml: sheetXml(base, row(2)), workbookRels: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/nowhere.xml"/></Relationships>' })),
    x('relationship-climbs-out', minimalXlsx({ sheetXml: sheetXml(base, row(2)), workbookRels: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="../../../../../../etc/passwd"/></Relationships>' })),
    x('workbook-without-sheets', minimalXlsx({ sheetXml: sheetXml(base, row(2)), workbookXml: `<workbook ${SHEET_NS}><sheets/></workbook>` })),
    x('shared-string-out-of-range', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell('<c r="{ref}" t="s"><v>999999</v></c>'))), sharedStrings: `<sst ${SHEET_NS} count="1" uniqueCount="1"><si><t>một</t></si></sst>` })),
    x('shared-string-negative', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell('<c r="{ref}" t="s"><v>-1</v></c>'))), sharedStrings: `<sst ${SHEET_NS}><si><t>một</t></si></sst>` })),
    x('cell-reference-garbage', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell('<c r="ZZ$$0" t="inlineStr"><is><t>00376</t></is></c>'))) })),
    x('cell-past-last-column', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, () => undefined).replace('</row>', '<c r="XFE2" t="inlineStr"><is><t>ngoài bảng</t></is></c></row>')) })),
    x('row-number-zero', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2).replace('<row r="2">', '<row r="0">')) })),
    x('row-number-huge', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2).replace('<row r="2">', '<row r="99999999999">')) })),
    x('rows-out-of-order', minimalXlsx({ sheetXml: sheetXml(base, `${row(3)}${row(2)}`) })),
    x('cell-given-twice', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell('<c r="{ref}" t="inlineStr"><is><t>00376</t></is></c><c r="{ref}" t="inlineStr"><is><t>00377</t></is></c>'))) })),
    x('formula-without-result', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell('<c r="{ref}"><f>1+1</f></c>'))) })),
    x('number-not-a-number', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell('<c r="{ref}" t="n"><v>mười hai</v></c>'))) })),
    x('boolean-not-boolean', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell('<c r="{ref}" t="b"><v>2</v></c>'))) })),
    x('error-value-unknown', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell('<c r="{ref}" t="e"><v>#BỊA!</v></c>'))) })),
    x('inline-string-without-text', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell('<c r="{ref}" t="inlineStr"></c>'))) })),
    x('cell-type-unknown', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell('<c r="{ref}" t="zz"><v>1</v></c>'))) })),
    x('character-reference-nul', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell('<c r="{ref}" t="inlineStr"><is><t>a&#0;b</t></is></c>'))) }), 'encoding'),
    x('character-reference-surrogate', minimalXlsx({ sheetXml: sheetXml(base, dataRow(base, 2, cell('<c r="{ref}" t="inlineStr"><is><t>&#xD800;</t></is></c>'))) }), 'encoding'),
    x('external-entity', entity('<!ENTITY xxe SYSTEM "file:///etc/passwd">', '&xxe;')),
    x('sheet-of-spaces', minimalXlsx({ sheetXml: sheetXml(base, `${row(2)}${' '.repeat(256 << 20)}`) }), 'zip-bomb'),
    x('entity-expansion', entity(`<!ENTITY l0 "ha">${laughs}`, '&l10;'), 'zip-bomb'),
    x('sheet-declared-latin1', withSheet(iconv.encode(sheetXml(base, row(2), { prolog: '<?xml version="1.0" encoding="ISO-8859-1"?>' }), 'latin1')), 'encoding'),
    x('sheet-utf16', withSheet(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sheetXml(base, row(2), { prolog: '<?xml version="1.0" encoding="UTF-16"?>' }), 'utf16le')])), 'encoding'),
    x('parts-flagged-encrypted', flaggedEncrypted(base.packageXlsx), 'encrypted'),
  ];
}

function xlsStructure(base: BaseFiles, random: Random): BadFile[] {
  const x = (id: string, bytes: Buffer, category: Category = 'damaged') => file(`xls-structure/${id}`, category, 'KS.xls', bytes, WORKBOOK_TARGETS);
  const withFilepass = editWorkbookStream(base.ksXls, (rs) => [rs[0]!, { type: BIFF.FILEPASS, data: Buffer.from([1, 0, 1, 0, 1, 0, ...Array.from({ length: 48 }, () => random.int(0, 255))]) }, ...rs.slice(1)]);
  const sstLies = editWorkbookStream(base.ksXls, (rs) =>
    rs.map((r) => {
      if (r.type !== BIFF.SST) return r;
      const data = Buffer.from(r.data);
      data.writeUInt32LE(0x7fffffff, 4);
      return { type: r.type, data };
    }),
  );
  const labelPastSst = editWorkbookStream(base.ksXls, (rs) =>
    rs.map((r) => {
      if (r.type !== BIFF.LABELSST) return r;
      const data = Buffer.from(r.data);
      data.writeUInt32LE(0x00ffffff, 6);
      return { type: r.type, data };
    }),
  );
  const sheetOffsetPast = editWorkbookStream(base.ksXls, (rs) =>
    rs.map((r) => {
      if (r.type !== BIFF.BOUNDSHEET) return r;
      const data = Buffer.from(r.data);
      data.writeUInt32LE(0x7fffff00, 0);
      return { type: r.type, data };
    }),
  );
  const noEof = editWorkbookStream(base.ksXls, (rs) => rs.filter((r) => r.type !== BIFF.EOF));
  const dimensionsHuge = editWorkbookStream(base.ksXls, (rs) =>
    rs.map((r) => {
      if (r.type !== BIFF.DIMENSIONS) return r;
      const data = Buffer.from(r.data);
      data.writeUInt32LE(0xffffffff, 4);
      return { type: r.type, data };
    }),
  );
  const lengthPastEnd = (() => {
    const container = CFB.read(base.ksXls, { type: 'buffer' });
    const entry = CFB.find(container, '/Workbook')!;
    const stream = Buffer.from(entry.content as Uint8Array);
    stream.writeUInt16LE(0xffff, stream.length - 2);
    CFB.utils.cfb_add(container, '/Workbook', stream.subarray(0, stream.length - 1));
    return Buffer.from(CFB.write(container, { type: 'buffer' }) as Buffer);
  })();
  const noWorkbookStream = (() => {
    const container = CFB.utils.cfb_new();
    CFB.utils.cfb_add(container, '/WordDocument', Buffer.from('không phải sổ'));
    return Buffer.from(CFB.write(container, { type: 'buffer' }) as Buffer);
  })();
  const header = Buffer.from(base.ksXls);
  header.writeUInt16LE(0xfffe, 0x1e); // sector shift: 2^65534 bytes a sector
  const fatLoop = Buffer.from(base.ksXls);
  fatLoop.fill(0xff, 0x4c, 0x4c + 436); // every FAT sector "free": no chain leads anywhere
  return [
    x('filepass', withFilepass, 'encrypted'),
    x('sst-count-lies', sstLies),
    x('label-past-sst', labelPastSst),
    x('sheet-offset-past-end', sheetOffsetPast),
    x('no-eof', noEof),
    x('dimensions-huge', dimensionsHuge),
    x('record-length-past-end', lengthPastEnd),
    x('no-workbook-stream', noWorkbookStream, 'mislabelled'),
    x('sector-size-impossible', header),
    x('fat-emptied', fatLoop),
  ];
}

function encrypted(base: BaseFiles, random: Random): BadFile[] {
  const office = encryptedOfficeFile(random);
  return [
    file('encrypted/office-package-xlsx', 'encrypted', 'mật khẩu.xlsx', office, WORKBOOK_TARGETS),
    file('encrypted/office-package-xls', 'encrypted', 'mật khẩu.xls', office, WORKBOOK_TARGETS),
    file('encrypted/office-package-csv', 'encrypted', 'mật khẩu.csv', office, CSV_TARGETS),
    file('encrypted/exceptions-workbook', 'encrypted', 'Ngoại lệ.xlsx', office, ['placements']),
  ];
}

function mislabelled(base: BaseFiles): BadFile[] {
  const m = (id: string, name: string, bytes: Buffer, targets: readonly FileTarget[] = WORKBOOK_TARGETS) => file(`mislabelled/${id}`, 'mislabelled', name, bytes, targets);
  const docx = rezip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>') },
    { name: 'word/document.xml', data: Buffer.from('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Biên bản bàn giao</w:t></w:r></w:p></w:body></w:document>') },
  ]);
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(126), Buffer.from('PE\0\0'), Buffer.alloc(256, 0x90)]);
  const json = Buffer.from(JSON.stringify({ rows: base.ksRows.slice(0, 3) }));
  const xlsb = Buffer.from(XLSX.write(XLSX.read(base.sheetjs.xlsx, { type: 'buffer' }), { type: 'buffer', bookType: 'xlsb' }) as Buffer);
  return [
    m('xlsx-as-xls', 'KS.xls', base.packageXlsx),
    m('xls-as-xlsx', 'KS.xlsx', base.ksXls),
    m('csv-as-xlsx', 'KS.xlsx', base.ksCsv),
    m('csv-as-xls', 'KS.xls', base.ksCsv),
    m('pdf-as-xlsx', 'KS.xlsx', base.pdf),
    m('pdf-as-xls', 'KS.xls', base.pdf),
    m('pdf-as-csv', 'KS.csv', base.pdf, CSV_TARGETS),
    m('png-as-xlsx', 'KS.xlsx', png),
    m('exe-as-xls', 'KS.xls', exe),
    m('docx-as-xlsx', 'KS.xlsx', docx),
    m('ods-as-xlsx', 'KS.xlsx', base.sheetjs.ods),
    m('xlsb-as-xlsx', 'KS.xlsx', xlsb),
    m('html-as-xls', 'KS.xls', base.sheetjs.html),
    m('biff5-as-xlsx', 'KS.xlsx', base.sheetjs.biff5),
    m('zip-of-csv-as-xlsx', 'KS.xlsx', rezip([{ name: 'KS.csv', data: base.ksCsv }])),
    m('json-as-csv', 'KS.csv', json, CSV_TARGETS),
    m('xlsx-as-csv', 'KS.csv', base.packageXlsx, CSV_TARGETS),
    m('xlsx-as-txt', 'KS.txt', base.packageXlsx),
    m('xlsx-without-extension', 'KS', base.packageXlsx),
    m('xlsx-as-xlsm', 'KS.xlsm', base.packageXlsx),
    m('xlsx-double-extension', 'KS.xlsx.exe', base.packageXlsx),
    m('xlsx-as-pdf', 'KS.pdf', base.packageXlsx),
  ];
}

/** The birth register's CSV re-encoded: what a tool saving "CSV" in a local code page, or an old font's bytes, gives. */
function encodings(base: BaseFiles): BadFile[] {
  const text = base.ksCsv.toString('utf8').replace(/^\uFEFF/, '');
  const e = (id: string, bytes: Buffer) => file(`encoding/${id}`, 'encoding', '01-c06-KS.csv', bytes, CSV_TARGETS);
  const lines = text.split('\n');
  const mixed = Buffer.concat([Buffer.from(lines.slice(0, 3).join('\n') + '\n', 'utf8'), iconv.encode(lines.slice(3).join('\n'), 'windows1258')]);
  const utf16be = Buffer.from(text, 'utf16le');
  utf16be.swap16();
  return [
    e('latin1', iconv.encode(text, 'latin1')),
    e('cp1258', iconv.encode(text, 'windows1258')),
    e('cp1252', iconv.encode(text, 'windows1252')),
    e('utf16le-no-bom', Buffer.from(text, 'utf16le')),
    e('utf16be-no-bom', utf16be),
    e('utf16le-bom', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])),
    e('utf32le', iconv.encode(text, 'utf32le')),
    e('tcvn3-bytes', iconv.encode(encodeTcvn3(text), 'latin1')),
    e('vni-bytes', iconv.encode(encodeVni(text), 'windows1252')),
    e('utf7', iconv.encode(text, 'utf7')),
    e('overlong-slash', Buffer.concat([Buffer.from(text.slice(0, 200), 'utf8'), Buffer.from([0xc0, 0xaf]), Buffer.from(text.slice(200), 'utf8')])),
    e('cesu8-surrogates', Buffer.concat([Buffer.from(text.slice(0, 200), 'utf8'), Buffer.from([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]), Buffer.from(text.slice(200), 'utf8')])),
    e('lone-continuation', Buffer.concat([Buffer.from(text.slice(0, 300), 'utf8'), Buffer.from([0x80]), Buffer.from(text.slice(300), 'utf8')])),
    e('mixed-utf8-then-cp1258', mixed),
    e('nul-bytes', Buffer.from(text.replace(/,/g, ',\u0000'), 'utf8')),
  ];
}

export function workbookInputs(base: BaseFiles, random: Random): BadFile[] {
  return [
    ...truncations(base),
    ...overwritten(base, random.fork('overwritten')),
    ...xlsxStructure(base),
    ...xlsStructure(base, random.fork('xls')),
    ...encrypted(base, random.fork('encrypted')),
    ...mislabelled(base),
    ...encodings(base),
  ];
}
