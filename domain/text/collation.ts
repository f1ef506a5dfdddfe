/**
 * Vietnamese alphabetical order, as dictionaries sort: letters first
 * (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), then tones in the order
 * ngang, huyền, hỏi, ngã, sắc, nặng, then case. Other characters sort by code point.
 */

const ALPHABET = ['a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z'];
const LETTER_RANK = new Map(ALPHABET.map((l, i) => [l, i]));
/** none, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot below (nặng). */
const TONE_RANK = new Map([['', 0], ['\u0300', 1], ['\u0309', 2], ['\u0303', 3], ['\u0301', 4], ['\u0323', 5]]);
const TONES = /[\u0300\u0309\u0303\u0301\u0323]/u;

interface CharKey {
  letter: number;
  tone: number;
  upper: boolean;
}

function keyOf(ch: string): CharKey {
  const lower = ch.toLowerCase();
  const d = lower.normalize('NFD');
  const tone = d.match(TONES)?.[0] ?? '';
  const base = d.replace(TONES, '').normalize('NFC');
  const rank = LETTER_RANK.get(base);
  return { letter: rank === undefined ? 1000 + (base.codePointAt(0) ?? 0) : rank, tone: TONE_RANK.get(tone) ?? 0, upper: ch !== lower };
}

export function compareVietnamese(a: string, b: string): number {
  const ka = [...a.normalize('NFC')].map(keyOf);
  const kb = [...b.normalize('NFC')].map(keyOf);
  const n = Math.min(ka.length, kb.length);
  for (const field of ['letter', 'tone'] as const) {
    for (let i = 0; i < n; i++) if (ka[i]![field] !== kb[i]![field]) return ka[i]![field] - kb[i]![field];
    if (field === 'letter' && ka.length !== kb.length) return ka.length - kb.length;
  }
  for (let i = 0; i < n; i++) if (ka[i]!.upper !== kb[i]!.upper) return ka[i]!.upper ? 1 : -1;
  return 0;
}
