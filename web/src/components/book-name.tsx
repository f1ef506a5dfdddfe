import type { BookRef } from '../lib/api-types';
import { useI18n } from '../lib/i18n/i18n';

/** A register book as officials name it: the register, its number and year, and the unit that kept it. */
export function BookName({ book, bookNumber }: { book: BookRef; bookNumber?: string }) {
  const { t } = useI18n();
  return (
    <>
      {t(`registerType.${book.registerType}`)} — {t('book.numberYear', { book: bookNumber ?? book.bookKey, year: String(book.bookYear) })}
    </>
  );
}
