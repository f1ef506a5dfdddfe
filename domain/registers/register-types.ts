/**
 * Register types (loại sổ hộ tịch) and the field dictionary: the one table every layer reads.
 * Codes are our working codes (see the spec: the 1437 guide's own abbreviations may differ),
 * kept here so they change in one place. Labels are the Vietnamese column headers of the
 * register forms (Circular 04/2020/TT-BTP); keys are the English names used in code and JSON.
 */

export const REGISTER_TYPE_CODES = ['KS', 'KT', 'KH', 'CMC', 'GH', 'TDCC', 'GCNN', 'LH'] as const;
export type RegisterTypeCode = (typeof REGISTER_TYPE_CODES)[number];

export type FieldType = 'text' | 'integer' | 'code' | 'date' | 'sex' | 'enum' | 'personalId' | 'oldIdCard' | 'flag' | 'registerType';

export interface FieldDef {
  key: string;
  labelVi: string;
  type: FieldType;
  /** Only the book key and the names are required: older books have fewer columns. */
  required?: boolean;
  /** `code`: digits, leading zeros restored to this width. */
  width?: number;
  /** `enum`: value → Vietnamese label. */
  values?: Readonly<Record<string, string>>;
  /** Other headers exports use for this column (compared accent- and case-insensitively). */
  aliases?: readonly string[];
  /**
   * `text` written as sentences (a note, the grounds of a decision): its line breaks are the
   * writer's and are kept. Every other text (names, places, numbers) is one line, its spaces
   * collapsed.
   */
  freeText?: true;
}

export interface RegisterType {
  code: RegisterTypeCode;
  nameVi: string;
  nameEn: string;
  /** Facts of the event, after the shared fields. */
  fields: readonly FieldDef[];
}

const f = (key: string, labelVi: string, type: FieldType = 'text', extra: Partial<FieldDef> = {}): FieldDef => ({ key, labelVi, type, ...extra });

/** Fields every register shares: the agency, the book and entry numbering, the formalities. */
export const SHARED_FIELDS: readonly FieldDef[] = [
  f('agencyCode', 'Mã ĐVHC nơi đăng ký', 'code', { width: 5, aliases: ['Mã xã', 'Mã phường', 'Mã đơn vị hành chính', 'Mã ĐVHC', 'Mã cơ quan đăng ký'] }),
  f('districtCode', 'Mã huyện', 'code', { width: 3, aliases: ['Mã quận', 'Mã quận huyện'] }),
  f('agencyName', 'Nơi đăng ký', 'text', { aliases: ['Cơ quan đăng ký', 'Tên xã', 'Tên phường', 'Xã/phường đăng ký', 'UBND'] }),
  f('districtName', 'Huyện', 'text', { aliases: ['Tên huyện', 'Quận/huyện', 'Quận huyện'] }),
  f('provinceName', 'Tỉnh', 'text', { aliases: ['Tên tỉnh', 'Tỉnh/thành phố', 'Tỉnh thành'] }),
  f('registerType', 'Loại sổ', 'registerType', { aliases: ['Loại sổ hộ tịch', 'Mã loại sổ'] }),
  f('bookYear', 'Năm đăng ký', 'integer', { required: true, aliases: ['Năm', 'Năm sổ', 'Năm mở sổ'] }),
  f('bookNumber', 'Quyển số', 'text', { required: true, aliases: ['Quyển', 'Số quyển', 'Quyển sổ'] }),
  f('registrationNumber', 'Số đăng ký', 'text', { required: true, aliases: ['Số ĐK', 'Số', 'Số đăng kí', 'Số TT'] }),
  f('pageNumber', 'Trang số', 'text', { aliases: ['Trang'] }),
  f('registrationDate', 'Ngày đăng ký', 'date', { aliases: ['Ngày ĐK', 'Ngày đăng kí', 'Ngày cấp'] }),
  f('signer', 'Người ký', 'text', { aliases: ['Người ký giấy', 'Họ tên người ký'] }),
  f('signerTitle', 'Chức vụ người ký', 'text', { aliases: ['Chức vụ'] }),
  f('officer', 'Người thực hiện', 'text', { aliases: ['Cán bộ tư pháp', 'Công chức tư pháp - hộ tịch', 'Người thực hiện đăng ký'] }),
  f('notes', 'Ghi chú', 'text', { freeText: true }),
  f('lateRegistration', 'Đăng ký quá hạn', 'flag', { aliases: ['Quá hạn'] }),
  f('reRegistration', 'Đăng ký lại', 'flag'),
];

/** A person's usual columns under a Vietnamese role word ("mẹ", "cha", "chồng", …). */
function person(prefix: string, roleVi: string, opts: { required?: boolean; sex?: boolean; id?: boolean; residence?: boolean } = {}): FieldDef[] {
  const fields = [
    f(`${prefix}Name`, `Họ và tên ${roleVi}`, 'text', { required: opts.required ?? false, aliases: [`Họ tên ${roleVi}`, `Tên ${roleVi}`] }),
    f(`${prefix}DateOfBirth`, `Ngày sinh ${roleVi}`, 'date', { aliases: [`Năm sinh ${roleVi}`, `Ngày, tháng, năm sinh ${roleVi}`] }),
    f(`${prefix}Ethnicity`, `Dân tộc ${roleVi}`, 'text'),
    f(`${prefix}Nationality`, `Quốc tịch ${roleVi}`, 'text'),
  ];
  if (opts.sex) fields.push(f(`${prefix}Sex`, `Giới tính ${roleVi}`, 'sex'));
  if (opts.residence !== false) fields.push(f(`${prefix}Residence`, `Nơi cư trú ${roleVi}`, 'text', { aliases: [`Nơi thường trú ${roleVi}`, `Địa chỉ ${roleVi}`] }));
  if (opts.id !== false) {
    fields.push(f(`${prefix}PersonalId`, `Số định danh cá nhân ${roleVi}`, 'personalId', { aliases: [`Số ĐDCN ${roleVi}`, `Số CCCD ${roleVi}`] }));
    fields.push(f(`${prefix}IdPaper`, `Giấy tờ tùy thân ${roleVi}`, 'text', { aliases: [`Số CMND ${roleVi}`, `Giấy tờ tuỳ thân ${roleVi}`] }));
  }
  return fields;
}

const declarant = [
  f('declarantName', 'Họ và tên người đi khai', 'text', { aliases: ['Người đi khai', 'Họ tên người đi khai', 'Người yêu cầu'] }),
  f('declarantIdPaper', 'Giấy tờ tùy thân người đi khai', 'text', { aliases: ['Giấy tờ tuỳ thân người đi khai'] }),
  f('declarantRelationship', 'Quan hệ với người được khai', 'text', { aliases: ['Quan hệ'] }),
];

export const REGISTER_TYPES: readonly RegisterType[] = [
  {
    code: 'KS',
    nameVi: 'Sổ đăng ký khai sinh',
    nameEn: 'birth',
    fields: [
      f('fullName', 'Họ và tên', 'text', { required: true, aliases: ['Họ tên', 'Họ và tên người được khai sinh', 'Họ, chữ đệm, tên'] }),
      f('dateOfBirth', 'Ngày sinh', 'date', { aliases: ['Ngày, tháng, năm sinh', 'Ngày tháng năm sinh'] }),
      f('dateOfBirthInWords', 'Ngày sinh bằng chữ', 'text', { aliases: ['Ghi bằng chữ'] }),
      f('sex', 'Giới tính', 'sex', { aliases: ['Giới'] }),
      f('ethnicity', 'Dân tộc', 'text'),
      f('nationality', 'Quốc tịch', 'text'),
      f('placeOfBirth', 'Nơi sinh', 'text'),
      f('nativePlace', 'Quê quán', 'text'),
      f('personalId', 'Số định danh cá nhân', 'personalId', { aliases: ['Số ĐDCN', 'Số CCCD', 'Mã định danh', 'Số định danh'] }),
      ...person('mother', 'mẹ'),
      ...person('father', 'cha'),
      ...declarant,
    ],
  },
  {
    code: 'KT',
    nameVi: 'Sổ đăng ký khai tử',
    nameEn: 'death',
    fields: [
      f('fullName', 'Họ và tên người chết', 'text', { required: true, aliases: ['Họ và tên', 'Họ tên', 'Họ tên người chết', 'Họ và tên người đã chết'] }),
      f('dateOfBirth', 'Ngày sinh', 'date', { aliases: ['Ngày, tháng, năm sinh', 'Năm sinh'] }),
      f('sex', 'Giới tính', 'sex'),
      f('ethnicity', 'Dân tộc', 'text'),
      f('nationality', 'Quốc tịch', 'text'),
      f('lastResidence', 'Nơi cư trú cuối cùng', 'text', { aliases: ['Nơi thường trú cuối cùng', 'Nơi cư trú'] }),
      f('personalId', 'Số định danh cá nhân', 'personalId', { aliases: ['Số ĐDCN', 'Số CCCD'] }),
      f('idPaper', 'Giấy tờ tùy thân', 'text', { aliases: ['Số CMND', 'Giấy tờ tuỳ thân'] }),
      f('dateOfDeath', 'Ngày chết', 'date', { aliases: ['Ngày, tháng, năm chết', 'Ngày mất', 'Thời gian chết'] }),
      f('timeOfDeath', 'Giờ chết', 'text'),
      f('placeOfDeath', 'Nơi chết', 'text', { aliases: ['Nơi mất'] }),
      f('causeOfDeath', 'Nguyên nhân chết', 'text', { freeText: true, aliases: ['Nguyên nhân'] }),
      f('deathNoticeNumber', 'Số giấy báo tử', 'text'),
      f('deathNoticeDate', 'Ngày cấp giấy báo tử', 'date'),
      f('deathNoticeIssuer', 'Nơi cấp giấy báo tử', 'text'),
      ...declarant,
    ],
  },
  {
    code: 'KH',
    nameVi: 'Sổ đăng ký kết hôn',
    nameEn: 'marriage',
    fields: [...person('husband', 'chồng', { required: true }), ...person('wife', 'vợ', { required: true }), f('marriageOrdinal', 'Kết hôn lần thứ', 'text', { aliases: ['Lần kết hôn'] })],
  },
  {
    code: 'CMC',
    nameVi: 'Sổ đăng ký nhận cha, mẹ, con',
    nameEn: 'recognition of parent/child',
    fields: [
      ...person('recognizing', 'người nhận', { required: true }),
      ...person('recognized', 'người được nhận', { required: true }),
      f('relationship', 'Quan hệ nhận', 'enum', {
        values: { fatherChild: 'Cha nhận con', motherChild: 'Mẹ nhận con', childFather: 'Con nhận cha', childMother: 'Con nhận mẹ' },
        aliases: ['Loại việc nhận'],
      }),
    ],
  },
  {
    code: 'GH',
    nameVi: 'Sổ đăng ký giám hộ',
    nameEn: 'guardianship',
    fields: [
      ...person('guardian', 'người giám hộ', { required: true }),
      ...person('ward', 'người được giám hộ', { required: true }),
      f('guardianshipKind', 'Loại giám hộ', 'enum', { values: { appointed: 'Giám hộ cử', legal: 'Giám hộ đương nhiên' } }),
      f('terminationDate', 'Ngày chấm dứt giám hộ', 'date'),
      f('terminationReason', 'Lý do chấm dứt giám hộ', 'text', { freeText: true }),
    ],
  },
  {
    code: 'TDCC',
    nameVi: 'Sổ đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc',
    nameEn: 'change / correction / supplement of civil status',
    fields: [
      f('fullName', 'Họ và tên người được thay đổi, cải chính', 'text', { required: true, aliases: ['Họ và tên', 'Họ tên'] }),
      f('dateOfBirth', 'Ngày sinh', 'date'),
      f('sex', 'Giới tính', 'sex'),
      f('personalId', 'Số định danh cá nhân', 'personalId', { aliases: ['Số ĐDCN', 'Số CCCD'] }),
      f('changeKind', 'Loại việc', 'enum', {
        values: { change: 'Thay đổi', correction: 'Cải chính', supplement: 'Bổ sung', ethnicity: 'Xác định lại dân tộc' },
        aliases: ['Nội dung đăng ký'],
      }),
      f('contentBefore', 'Nội dung trước khi thay đổi', 'text', { freeText: true, aliases: ['Nội dung cũ'] }),
      f('contentAfter', 'Nội dung sau khi thay đổi', 'text', { freeText: true, aliases: ['Nội dung mới'] }),
      f('grounds', 'Căn cứ', 'text', { freeText: true }),
      f('amendedRegistration', 'Việc hộ tịch được thay đổi', 'text', { aliases: ['Số, quyển số đăng ký gốc'] }),
    ],
  },
  {
    code: 'GCNN',
    nameVi: 'Sổ ghi vào sổ hộ tịch việc hộ tịch của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài',
    nameEn: 'recording of civil status events settled abroad',
    fields: [
      ...person('person', 'người được ghi vào sổ', { required: true, residence: false }),
      ...person('otherPerson', 'người liên quan', { residence: false }),
      f('foreignAuthority', 'Cơ quan nước ngoài đã giải quyết', 'text'),
      f('decisionNumber', 'Số giấy tờ', 'text', { aliases: ['Số quyết định'] }),
      f('decisionDate', 'Ngày cấp giấy tờ', 'date', { aliases: ['Ngày quyết định'] }),
      f('content', 'Nội dung ghi vào sổ', 'text', { freeText: true, aliases: ['Nội dung'] }),
    ],
  },
  {
    code: 'LH',
    nameVi: 'Sổ ghi vào sổ việc ly hôn, hủy việc kết hôn trái pháp luật',
    nameEn: 'recording of divorce / annulment',
    fields: [
      ...person('husband', 'chồng', { required: true, residence: false }),
      ...person('wife', 'vợ', { required: true, residence: false }),
      f('court', 'Cơ quan giải quyết', 'text', { aliases: ['Tòa án', 'Toà án'] }),
      f('decisionNumber', 'Số bản án, quyết định', 'text', { aliases: ['Số quyết định', 'Số bản án'] }),
      f('decisionDate', 'Ngày bản án, quyết định', 'date', { aliases: ['Ngày quyết định'] }),
      f('content', 'Nội dung ghi vào sổ', 'text', { freeText: true, aliases: ['Nội dung'] }),
    ],
  },
];

const byCode = new Map(REGISTER_TYPES.map((t) => [t.code, t]));

export function registerType(code: RegisterTypeCode): RegisterType {
  return byCode.get(code)!;
}

export function isRegisterTypeCode(s: string): s is RegisterTypeCode {
  return byCode.has(s as RegisterTypeCode);
}

/** Shared fields then the type's facts, in register order: the order the split writes columns. */
const FIELDS = new Map<RegisterTypeCode, readonly FieldDef[]>();

/** The shared fields, then the type's own; the same array on every call. */
export function fieldsOf(code: RegisterTypeCode): readonly FieldDef[] {
  let fields = FIELDS.get(code);
  if (!fields) FIELDS.set(code, (fields = Object.freeze([...SHARED_FIELDS, ...registerType(code).fields])));
  return fields;
}
