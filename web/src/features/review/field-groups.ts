/**
 * How the review groups a record's fields, from the data dictionary alone: the facts of the
 * event, then each person the entry names (mother, father, husband, declarant…: the fields that
 * share a prefix with a "<prefix>Name" field), then the register's own columns (book, entry,
 * formalities). Each field keeps the values its earlier versions had, to show them struck through.
 */
import { SHARED_FIELDS } from '../../../../domain/registers/register-types';

export interface FieldRow {
  key: string;
  label: string;
  value: string;
  /** Earlier values, oldest first, each different from the one after it. */
  earlier: string[];
}

export type FieldGroup = { kind: 'event' } | { kind: 'person'; prefix: string; title: string } | { kind: 'register' };

const SHARED = new Set(SHARED_FIELDS.map((f) => f.key));
const startsWord = (key: string, prefix: string) => key.length > prefix.length && key.startsWith(prefix) && /[A-Z]/.test(key[prefix.length]!);

/** Prefixes naming a person: a "<prefix>Name" field and at least one other field of the prefix. */
function personPrefixes(keys: readonly string[]): string[] {
  const prefixes: string[] = [];
  for (const k of keys) {
    const p = /^([a-z][A-Za-z]*)Name$/.exec(k)?.[1];
    if (p && keys.some((o) => o !== k && startsWord(o, p))) prefixes.push(p);
  }
  // The longest first: "otherPerson" before "person".
  return prefixes.sort((a, b) => b.length - a.length);
}

/** Values of a field from the oldest version to the current one, without repeats in a row, less the current. */
export function earlierValues(key: string, current: string, versions: ReadonlyArray<ReadonlyArray<{ key: string; value: string }>>): string[] {
  const values = [...versions.map((v) => v.find((x) => x.key === key)?.value ?? ''), current];
  return values.filter((v, i) => i === 0 || v !== values[i - 1]).slice(0, -1);
}

export function groupFields(
  fields: ReadonlyArray<{ key: string; labelVi: string; value: string }>,
  versions: ReadonlyArray<ReadonlyArray<{ key: string; value: string }>>,
): Array<{ group: FieldGroup; rows: FieldRow[] }> {
  const prefixes = personPrefixes(fields.map((f) => f.key));
  const groups = new Map<string, { group: FieldGroup; rows: FieldRow[] }>();
  const add = (id: string, make: () => FieldGroup, row: FieldRow) => {
    if (!groups.has(id)) groups.set(id, { group: make(), rows: [] });
    groups.get(id)!.rows.push(row);
  };
  for (const f of fields) {
    const row: FieldRow = { key: f.key, label: f.labelVi, value: f.value, earlier: earlierValues(f.key, f.value, versions) };
    const prefix = SHARED.has(f.key) ? undefined : prefixes.find((p) => startsWord(f.key, p));
    if (SHARED.has(f.key)) add('register', () => ({ kind: 'register' }), row);
    else if (prefix) {
      // The person's role as the name field's label says it: "Họ và tên mẹ" → "Mẹ".
      const label = fields.find((x) => x.key === `${prefix}Name`)!.labelVi.replace(/^Họ và tên\s+/u, '');
      add(`person:${prefix}`, () => ({ kind: 'person', prefix, title: label.charAt(0).toUpperCase() + label.slice(1) }), row);
    } else add('event', () => ({ kind: 'event' }), row);
  }
  const rank = (g: FieldGroup) => (g.kind === 'event' ? 0 : g.kind === 'person' ? 1 : 2);
  return [...groups.values()].sort((a, b) => rank(a.group) - rank(b.group));
}
