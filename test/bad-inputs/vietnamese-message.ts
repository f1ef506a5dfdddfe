/**
 * Whether a message shown to a user is Vietnamese: NFC, with Vietnamese letters, and no English
 * sentence or stack in it. What a message quotes (a file's name, a value typed) is the user's
 * own and is not judged.
 */

const VIETNAMESE_LETTER = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

/** Words of English prose and of library errors that no Vietnamese message of ours holds. */
const ENGLISH = new Set(
  (
    'the is are was were not of for cannot could found missing invalid error failed failure must should expected unexpected undefined null ' +
    'record entry bytes signature directory offset string number column row sheet workbook does with from this that which where when past ' +
    'beyond end stream read write header body request required property properties allowed unknown type value have has more than less ' +
    'least format match pattern object array integer boolean characters items limit too large many file part reached exceeded empty'
  ).split(' '),
);

/** The message without what it quotes: "…", “…”, file names, header names in brackets ("(Content-Type)") and setting names. */
function unquoted(message: string): string {
  return message
    .replace(/"[^"]*"/g, ' ')
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/\([A-Z][a-z]+(?:-[A-Z][a-z]+)+\)/g, ' ')
    // Settings named for the administrator (HOTICH_PACKAGE_MAX_BYTES).
    .replace(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g, ' ')
    .replace(/“[^”]*”/g, ' ')
    .replace(/\S+\.(xlsx|xls|csv|zip|pdf|json)\b/gi, ' ');
}

export function vietnameseProblems(message: unknown): string[] {
  if (typeof message !== 'string' || message.trim() === '') return ['no message'];
  const problems: string[] = [];
  if (message !== message.normalize('NFC')) problems.push('not NFC');
  if (!VIETNAMESE_LETTER.test(message)) problems.push('no Vietnamese letter');
  if (/\n\s+at \S+|\bError:|\bat (?:async )?[\w.<>]+ \(/.test(message)) problems.push('a stack trace');
  const english = unquoted(message)
    .split(/[^A-Za-z']+/)
    .filter((w) => ENGLISH.has(w.toLowerCase()));
  if (english.length) problems.push(`English words: ${[...new Set(english)].join(', ')}`);
  return problems;
}
