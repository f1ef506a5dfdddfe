import fc from 'fast-check';
import { decodeTcvn3, decodeVni, detectLegacyEncoding, encodeTcvn3, encodeVni, repairVietnamese } from './legacy-encoding';

/** Every precomposed Vietnamese letter: 67 lower-case toned/marked, their upper case, and đ/Đ. */
const LOWER = [...'aăâeêioôơuưy'].flatMap((v) => ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'].map((t) => `${v}${t}`.normalize('NFC'))).filter((c) => !/^[aeiouy]$/.test(c));
const LETTERS = [...LOWER, ...LOWER.map((c) => c.toUpperCase()), 'đ', 'Đ'];

test('the alphabet: 134 marked letters plus đ and Đ', () => {
  expect(new Set(LETTERS).size).toBe(134);
});

test('VNI: every Vietnamese letter round-trips', () => {
  for (const c of LETTERS) expect([c, decodeVni(encodeVni(c))]).toEqual([c, c]);
});

test('TCVN3: every lower-case letter and the seven upper-case base letters round-trip; toned capitals come back lower-case', () => {
  for (const c of [...LOWER, 'đ', 'Ă', 'Â', 'Đ', 'Ê', 'Ô', 'Ơ', 'Ư']) expect([c, decodeTcvn3(encodeTcvn3(c))]).toEqual([c, c]);
  expect(decodeTcvn3(encodeTcvn3('Ánh'))).toBe('ánh');
});

test.each([
  ['NguyÔn V¨n An', 'Nguyễn Văn An', 'tcvn3'],
  ['Hµ Néi', 'Hà Nội', 'tcvn3'],
  ['Nguyeãn Vaên An', 'Nguyễn Văn An', 'vni'],
  ['Tröông Thò Hoa', 'Trương Thị Hoa', 'vni'],
  ['Ñaøo Ngoïc Laâm', 'Đào Ngọc Lâm', 'vni'],
])('%s → %s (%s)', (mojibake, fixed, encoding) => {
  expect(repairVietnamese(mojibake)).toEqual({ text: fixed, original: mojibake, encoding });
});

test.each(['Nguyễn Văn An', 'Hoàng Thị Thuỷ', 'café au lait', 'Müller', 'Peña', 'O\'Brien', 'Trần Đức Hòa', '12/03/2009'])('%s is left alone', (text) => {
  expect(repairVietnamese(text)).toEqual({ text, original: text, encoding: null });
});

test('decomposed input comes back NFC', () => {
  expect(repairVietnamese('Nguye\u0302\u0303n').text).toBe('Nguyễn');
});

/** Real words that, between them, use every letter and tone. */
const WORDS = (
  'Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Văn Thị Hữu Đức Minh Quang Ngọc Thu Thanh ' +
  'An Bình Cường Dũng Giang Hà Hải Hạnh Hiếu Hòa Hoà Hùng Hương Khánh Khoa Lâm Linh Loan Mai Nam Nga Nhung Oanh Phúc Phương ' +
  'Quế Quý Sơn Tâm Thảo Thủy Thuỷ Tiến Trang Trung Tú Tuấn Uyên Vân Việt Xuân Yến Ánh Ấn Ẩn Ẫm Ậu Ắt Ằng Ẳng Ẵm Ặc ' +
  'Ế Ề Ể Ễ Ệ Ỉ Ĩ Ị Ỏ Ọ Ố Ồ Ổ Ỗ Ộ Ớ Ờ Ở Ỡ Ợ Ủ Ũ Ụ Ứ Ừ Ử Ữ Ự Ỳ Ỷ Ỹ Ỵ Ý ' +
  'ngày tháng năm sinh khai tử kết hôn giám hộ cải chính bổ sung quốc tịch dân tộc Kinh nơi cư trú xã phường huyện quận tỉnh ' +
  'thị trấn số quyển đăng ký người đi khai quan hệ mẹ cha con chồng vợ ghi chú quá hạn lại thôn ấp bản làng khuya ngoằn nghèo ' +
  'khuỷu quặm ngoẹo tuyệt chuyện hươu rượu khuếch trưởng ruộng giường nước mười chữ thưởng ỉa ẻo ẽo ỏi ọp ụp ỹ ỵ'
).split(' ');

const vietnameseText = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...WORDS) }, { weight: 1, arbitrary: fc.constantFrom('0', '12', '/', ',', '.', '-', '(', ')') }), { maxLength: 12 })
  .map((ws) => ws.join(' '));

test('repair never changes valid NFC Vietnamese (property)', () => {
  fc.assert(fc.property(vietnameseText, (s) => expect(repairVietnamese(s)).toEqual({ text: s, original: s, encoding: null })), { numRuns: 3000 });
});

test('repair is idempotent, and undoes VNI exactly (property)', () => {
  fc.assert(
    fc.property(vietnameseText, (s) => {
      const once = repairVietnamese(encodeVni(s)).text;
      expect(repairVietnamese(once).text).toBe(once);
      if (detectLegacyEncoding(encodeVni(s)) === 'vni') expect(once).toBe(s);
    }),
    { numRuns: 3000 },
  );
  fc.assert(
    fc.property(vietnameseText, (s) => {
      const once = repairVietnamese(encodeTcvn3(s)).text;
      expect(repairVietnamese(once).text).toBe(once);
    }),
    { numRuns: 3000 },
  );
});
