/** Plausible Vietnamese full names (see data/PROVENANCE.md): family name by frequency, middle name by sex. */
import type { Sex } from '../identity/personal-id';
import type { Random } from './random';

const FAMILY: ReadonlyArray<readonly [string, number]> = [
  ['Nguyễn', 38.4], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7.1], ['Hoàng', 2.55], ['Huỳnh', 2.55], ['Phan', 4.5], ['Vũ', 1.95], ['Võ', 1.95],
  ['Đặng', 2.1], ['Bùi', 2], ['Đỗ', 1.4], ['Hồ', 1.3], ['Ngô', 1.3], ['Dương', 1], ['Lý', 0.5],
  // The remaining 10.9 % spread over other common family names.
  ...['Đinh', 'Trương', 'Lâm', 'Mai', 'Lương', 'Tạ', 'Cao', 'Hà', 'Đoàn', 'Trịnh', 'Kiều', 'Lưu', 'Tô', 'Chu', 'Quách', 'La', 'Thái', 'Từ', 'Tăng', 'Vương'].map((n) => [n, 10.9 / 20] as const),
];

const MIDDLE: Record<Sex, ReadonlyArray<readonly [string, number]>> = {
  male: [['Văn', 40], ['Đức', 8], ['Hữu', 7], ['Minh', 8], ['Quang', 6], ['Công', 5], ['Thành', 4], ['Xuân', 4], ['Ngọc', 3], ['Tuấn', 2], ['Duy', 3], ['Gia', 3], ['Trọng', 3], ['Anh', 4]],
  female: [['Thị', 45], ['Ngọc', 8], ['Thu', 6], ['Thanh', 6], ['Thúy', 4], ['Kim', 5], ['Hồng', 5], ['Mai', 3], ['Phương', 4], ['Bảo', 3], ['Khánh', 3], ['Minh', 4], ['Hoài', 4]],
};

const GIVEN: Record<Sex, readonly string[]> = {
  male: ['An', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Đức', 'Giang', 'Hải', 'Hiếu', 'Hoàng', 'Hùng', 'Huy', 'Khang', 'Khoa', 'Kiên', 'Lâm', 'Long', 'Mạnh', 'Minh', 'Nam', 'Nghĩa', 'Phong', 'Phúc', 'Quân', 'Quang', 'Sơn', 'Tài', 'Tâm', 'Thắng', 'Thành', 'Thịnh', 'Tiến', 'Toàn', 'Trung', 'Tuấn', 'Tùng', 'Việt', 'Vinh', 'Vũ', 'Ấn', 'Ân'],
  female: ['An', 'Anh', 'Ánh', 'Bích', 'Chi', 'Dung', 'Duyên', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hoa', 'Hòa', 'Hoà', 'Hồng', 'Hương', 'Huyền', 'Lan', 'Linh', 'Loan', 'Mai', 'My', 'Nga', 'Ngân', 'Ngọc', 'Nhung', 'Oanh', 'Phương', 'Quế', 'Quỳnh', 'Tâm', 'Thảo', 'Thủy', 'Thuỷ', 'Trang', 'Uyên', 'Vân', 'Yến', 'Ý'],
};

export function fullName(random: Random, sex: Sex, family?: string): string {
  return `${family ?? random.weighted(FAMILY)} ${random.weighted(MIDDLE[sex])} ${random.pick(GIVEN[sex])}`;
}

export function familyName(random: Random): string {
  return random.weighted(FAMILY);
}
