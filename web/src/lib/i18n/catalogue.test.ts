import { en } from './en';
import { vi } from './vi';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('the English catalogue has exactly the Vietnamese keys, with the same {values}', () => {
  expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
  for (const [key, text] of Object.entries(vi)) expect([key, placeholders(en[key as keyof typeof vi])]).toEqual([key, placeholders(text)]);
});

test('every text is NFC and not blank', () => {
  for (const catalogue of [vi, en]) {
    for (const [key, text] of Object.entries(catalogue)) {
      expect([key, text.normalize('NFC')]).toEqual([key, text]);
      expect([key, text.trim().length > 0]).toEqual([key, true]);
    }
  }
});

test('the Vietnamese texts carry their diacritics (a catalogue typed without them would pass the rest)', () => {
  const marked = Object.values(vi).filter((t) => /[\u00c0-\u1ef9]/u.test(t));
  expect(marked.length).toBeGreaterThan(Object.keys(vi).length / 2);
});
