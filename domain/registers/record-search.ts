/**
 * What a record is found by: the words of its text and numbers, without accents or case
 * ("Nguyễn Văn An", "125/BS" → "nguyen van an 125 bs"). Computed once where a record's values
 * are written (import, correction), not by the database on every change of state.
 */
import { searchKey } from '../text/search-key';
import type { RecordValues } from './validate-record';

export function recordSearchText(values: RecordValues): string {
  const words: string[] = [];
  for (const v of Object.values(values)) {
    if (typeof v === 'string') words.push(searchKey(v));
    else if (typeof v === 'number') words.push(String(v));
  }
  return words.filter(Boolean).join(' ');
}

/** The words of a query, folded the same way; dates (dd/mm/yyyy) are left to the caller, which matches them as dates. */
export function searchWords(query: string): { words: string[]; dates: Array<{ day: number; month: number; year: number }> } {
  const words: string[] = [];
  const dates: Array<{ day: number; month: number; year: number }> = [];
  for (const token of query.normalize('NFC').split(/\s+/).filter(Boolean)) {
    const date = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(token);
    if (date) dates.push({ day: Number(date[1]), month: Number(date[2]), year: Number(date[3]) });
    else words.push(...searchKey(token).split(' ').filter(Boolean));
  }
  return { words, dates };
}
