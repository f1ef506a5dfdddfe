/**
 * Checks across the rows of one export that a single row cannot see: a registration number
 * used twice in the same book of the same registering unit. Only the keys are held.
 */
import { bookKey, numberKey } from '../naming/scan-name';
import { foldKey } from '../text/normalize';
import type { Problem, RecordValues } from './validate-record';
import type { RegisterTypeCode } from './register-types';

export interface DuplicateNumberCheck {
  /** The problem when the row's number was already used in its book; `rowRef` names the row in messages. */
  check(type: RegisterTypeCode, values: RecordValues, rowRef: string): Problem | undefined;
}

export function createDuplicateNumberCheck(): DuplicateNumberCheck {
  const seen = new Map<string, string>();
  return {
    check(type, values, rowRef) {
      const number = values.registrationNumber;
      if (typeof number !== 'string' || number === '' || values.bookYear === undefined || typeof values.bookNumber !== 'string') return undefined;
      const unit = values.agencyCode ?? values.districtCode ?? foldKey(String(values.agencyName ?? ''));
      const key = `${String(unit)}|${type}|${String(values.bookYear)}|${bookKey(values.bookNumber)}|${numberKey(number)}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, rowRef);
        return undefined;
      }
      return {
        field: 'registrationNumber',
        code: 'DUPLICATE_REGISTRATION_NUMBER',
        severity: 'error',
        messageVi: `Số đăng ký ${number} đã có ở ${first} trong cùng quyển số ${values.bookNumber} năm ${String(values.bookYear)}.`,
      };
    },
  };
}
