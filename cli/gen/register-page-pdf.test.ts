import { execFileSync } from 'node:child_process';
import { registerPagePdf, type RegisterPage } from './register-page-pdf';

const page: RegisterPage = {
  title: 'SỔ ĐĂNG KÝ KHAI SINH',
  agency: 'UBND phường Phúc Xá — Quận Ba Đình — Thành phố Hà Nội',
  reference: 'Quyển số 01/2009 — Số 125',
  fields: [
    ['Họ và tên', 'Nguyễn Thị Ánh Tuyết'],
    ['Ngày sinh', '12/03/2009'],
    ['Nơi sinh', 'Trạm y tế phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội, một dòng dài để xuống dòng ở chỗ có dấu cách'],
    ['Quê quán', 'Xã Hoà An, huyện Chợ Đồn, tỉnh Bắc Kạn: ỳ ỷ ỹ ỵ Ỹ Ự Ữ Ẫ ẩ'],
  ],
};

test('a register page carries its Vietnamese text, extractable by another PDF reader', async () => {
  const pdf = await registerPagePdf(page);
  expect(pdf.length).toBeLessThan(40_000);
  const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8').normalize('NFC').replace(/\s+/g, ' ');
  for (const s of [page.title, page.agency, page.reference, 'Họ và tên: Nguyễn Thị Ánh Tuyết', 'ỳ ỷ ỹ ỵ Ỹ Ự Ữ Ẫ ẩ', 'Xã Hoà An']) expect(text).toContain(s);
  const fonts = execFileSync('pdffonts', ['-'], { input: pdf }).toString('utf8');
  expect(fonts).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
});

test('the same page gives the same bytes', async () => {
  expect(Buffer.from(await registerPagePdf(page)).equals(Buffer.from(await registerPagePdf(page)))).toBe(true);
});
