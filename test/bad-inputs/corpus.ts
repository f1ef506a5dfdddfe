/**
 * The bad-input corpus: every input made in code from a seed and the valid base files (none is
 * kept as a file in the repository). `npm run bad-inputs -- --out <dir>` writes it out to look at.
 */
import { createRandom } from '../../domain/synthetic/random';
import { BASE_SEED, makeBaseFiles, type BaseFiles } from './base-files';
import { cellValueInputs } from './cell-values';
import type { BadCellValue, BadFile, BadInput, BadRequest, Category } from './corpus-types';
import { requestInputs } from './requests';
import { tableInputs } from './tables';
import { workbookInputs } from './workbooks';
import { zipInputs } from './zips';

export * from './corpus-types';

export interface Corpus {
  base: BaseFiles;
  files: BadFile[];
  requests: BadRequest[];
  cells: BadCellValue[];
}

export async function buildCorpus(seed: number = BASE_SEED): Promise<Corpus> {
  const base = await makeBaseFiles();
  const random = createRandom(seed);
  const corpus: Corpus = {
    base,
    files: [...workbookInputs(base, random.fork('workbooks')), ...zipInputs(base), ...tableInputs(base)],
    requests: requestInputs(base),
    cells: cellValueInputs(),
  };
  const ids = new Set<string>();
  for (const input of allInputs(corpus)) {
    if (ids.has(input.id)) throw new Error(`bad input ${input.id} is made twice`);
    ids.add(input.id);
  }
  return corpus;
}

export const allInputs = (c: Corpus): BadInput[] => [...c.files, ...c.requests, ...c.cells];

export function countByCategory(inputs: readonly BadInput[]): Record<Category, number> {
  const counts = {} as Record<Category, number>;
  for (const i of inputs) counts[i.category] = (counts[i.category] ?? 0) + 1;
  return counts;
}
