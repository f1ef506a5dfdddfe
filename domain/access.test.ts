import fc from 'fast-check';
import { canSee, type Principal } from './access';

const official = (agencyCode: string, provinceCode = '01'): Principal => ({ username: 'o', role: 'official', agencyCode, provinceCode });

describe('canSee', () => {
  test('an official sees only their own agency, never province-level resources', () => {
    expect(canSee(official('00001'), { provinceCode: '01', agencyCode: '00001' })).toBe(true);
    expect(canSee(official('00001'), { provinceCode: '01', agencyCode: '00004' })).toBe(false);
    expect(canSee(official('00001'), { provinceCode: '01' })).toBe(false);
  });

  test('a coordinator sees all of their province and nothing else', () => {
    const c: Principal = { username: 'c', role: 'coordinator', provinceCode: '01' };
    expect(canSee(c, { provinceCode: '01', agencyCode: '00004' })).toBe(true);
    expect(canSee(c, { provinceCode: '01' })).toBe(true);
    expect(canSee(c, { provinceCode: '79', agencyCode: '26734' })).toBe(false);
  });

  test('auditors are national or provincial; admins see everything', () => {
    expect(canSee({ username: 'a', role: 'auditor' }, { provinceCode: '79' })).toBe(true);
    expect(canSee({ username: 'a', role: 'auditor', provinceCode: '01' }, { provinceCode: '79' })).toBe(false);
    expect(canSee({ username: 'x', role: 'admin' }, { provinceCode: '79', agencyCode: '26734' })).toBe(true);
  });

  test('an official never sees a resource of a different agency (property)', () => {
    const code = fc.stringMatching(/^[0-9]{5}$/);
    fc.assert(
      fc.property(code, code, fc.stringMatching(/^[0-9]{2}$/), (mine, theirs, province) => {
        fc.pre(mine !== theirs);
        expect(canSee(official(mine, province), { provinceCode: province, agencyCode: theirs })).toBe(false);
      }),
    );
  });
});
