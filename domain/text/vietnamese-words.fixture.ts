/**
 * Real Vietnamese words for the text tests: family and given names, place names and the words
 * of the registers, covering every vowel, tone and final, both tone placements ("Hòa"/"Hoà"),
 * and the spellings that are hard to parse ("gì", "quốc", "khuỷu", "ngoằn", "giường").
 */
export const VIETNAMESE_WORDS: readonly string[] = (
  // Family names
  'Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Mai Đào Cao Lâm Lương Tô Tạ Hà Lưu ' +
  'Chu Quách Khổng Mạc Thái Triệu Kiều Âu Ông Ứng Giáp Hứa Đoàn La Doãn Bế Nông Lò Lục Vi Hầu Thân Thạch Tăng Mã Khúc Diệp Từ ' +
  // Middle and given names
  'Văn Thị Hữu Đức Minh Quang Ngọc Thu Thanh An Bình Cường Dũng Giang Hải Hạnh Hiếu Hòa Hoà Hùng Hương Khánh Khoa Linh ' +
  'Loan Nam Nga Nhung Oanh Phúc Phương Quế Quý Sơn Tâm Thảo Thủy Thuỷ Tiến Trang Trung Tú Tuấn Uyên Vân Việt Xuân Yến Ánh ' +
  'Anh Bảo Châu Chi Chính Công Cúc Diệu Duy Duyên Đạt Điệp Gấm Giao Hậu Hiền Hiển Hoa Hoài Hồng Huệ Huyền Khải Khuê Kiên Kim ' +
  'Lan Lệ Liên Long Luân Lực Mạnh Mỹ Nghĩa Nguyệt Nhàn Nhân Nhi Nhiên Ninh Phượng Quân Quyên Quyết Quỳnh Sang Sáng Tài Thắm ' +
  'Thắng Thành Thiện Thịnh Thoa Thông Thúy Thuý Thư Thương Toàn Trâm Trinh Trọng Trúc Tùng Tuyết Tường Uyển Vinh Vượng Xoan ' +
  'Yên Khoẻ Khỏe Loát Ngoan Xoài Khuyến Nguyện Tuệ Thuần Luyến Khuông Hoè Hòe Thụy Thuỵ Hóa Hoá Hỏa Hoả Lũy Luỹ ' +
  // Places
  'Nội Hải Phòng Đà Nẵng Huế Cần Thơ Sài Gòn Bắc Ninh Quảng Ngãi Nghệ Lạng Bằng Tuyên Lào Cai Bái Nguyên Phú Thọ Vĩnh ' +
  'Định Tĩnh Trị Gia Lai Đồng Dương Nai Tiền Bến Tre Trà Tháp Kiên Hậu Sóc Trăng Bạc Liêu Cà Mau Tây Phước Bà Rịa Vũng Tàu ' +
  'Kon Tum Điện Biên Sơn Hòa Bình Hưng Yên Nam Thừa Thiên Ngãi Khánh Thuận Lâm ' +
  // Register words
  'ngày tháng năm sinh khai tử kết hôn giám hộ cải chính bổ sung quốc tịch dân tộc Kinh Tày Mường Nùng Dao nơi cư trú xã ' +
  'phường huyện quận tỉnh thị trấn số quyển đăng ký người đi quan hệ mẹ cha con chồng vợ ghi chú quá hạn lại thôn ấp bản ' +
  'làng giấy chứng nhận trích lục thay đổi xác định cấp việc ly hủy huỷ trái pháp luật nuôi nhận giới tính nữ ' +
  // Hard spellings
  'khuya ngoằn nghèo khuỷu quặm ngoẹo tuyệt chuyện hươu rượu khuếch trưởng ruộng giường nước mười chữ thưởng ỉa ẻo ọp ụp ' +
  'giữa gìn gì giếng giêng quýt quyền khoảng hoạch huých uống oái ngoáy khuấy thuở ngoài xoong boong oẳn truyền thuyết ' +
  'nghiêng ếch ích ách oanh uỵch huynh quỳnh yêu yểu ươm ướt oằn loăng ngoặt thuế huênh ngoạm ngửi bưởi gửi cửu ' +
  'ấy ậy ầm ẩm ẫm ắt ằng ẳng ẵm ặc ề ể ễ ệ ồ ổ ỗ ộ ờ ở ỡ ợ ừ ử ữ ự ỳ ỷ ỹ ỵ ý ú ù ủ ũ ụ í ì ỉ ĩ ị ó ò ỏ õ ọ é è ẻ ẽ ẹ á à ả ã ạ'
).split(' ');
