/**
 * Every text the page shows, in Vietnamese (the default language), NFC. `{name}` marks a value
 * put in at run time. Texts the domain already words (roles, register types, reasons) are taken
 * from it, so the page and the API say the same thing.
 */
import { ROLE_LABELS_VI } from '../../../../domain/access';

export const vi = {
  'app.name': 'hotich-flow',
  'app.tagline': 'Chuyển dữ liệu hộ tịch',
  'app.skipToContent': 'Bỏ qua, đến nội dung chính',
  'nav.label': 'Các màn hình',
  'nav.home': 'Trang chủ',
  'lang.label': 'Ngôn ngữ',
  'lang.vi': 'Tiếng Việt',
  'lang.en': 'English',

  'login.title': 'Đăng nhập',
  'login.intro': 'Hệ thống chuyển dữ liệu hộ tịch đã số hoá vào Cơ sở dữ liệu hộ tịch điện tử.',
  'login.username': 'Tên đăng nhập',
  'login.password': 'Mật khẩu',
  'login.submit': 'Đăng nhập',
  'login.submitting': 'Đang đăng nhập…',
  'login.ended': 'Phiên làm việc đã kết thúc, vui lòng đăng nhập lại.',
  'session.logout': 'Đăng xuất',
  'session.user': 'Người dùng',
  'session.scopeAgency': 'Cơ quan {code}',
  'session.scopeProvince': 'Tỉnh {code}',
  'session.scopeNational': 'Toàn quốc',

  'role.admin': ROLE_LABELS_VI.admin,
  'role.coordinator': ROLE_LABELS_VI.coordinator,
  'role.official': ROLE_LABELS_VI.official,
  'role.auditor': ROLE_LABELS_VI.auditor,

  'home.welcome': 'Xin chào, {name}',
  'home.noScreens': 'Giao diện web chưa có màn hình cho vai trò {role}. Các thao tác của vai trò này có trong lệnh hotich và trong API.',
  'home.apiDocs': 'Tài liệu API (OpenAPI)',

  'error.title': 'Có lỗi',
  'error.code': 'Mã lỗi: {code}',
  'error.NETWORK_UNREACHABLE': 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
  'error.BAD_RESPONSE': 'Máy chủ trả lời không đúng định dạng; vui lòng thử lại hoặc báo quản trị viên.',
  'error.retry': 'Thử lại',
  'notFound.title': 'Không tìm thấy',
  'notFound.body': 'Không có trang này. Kiểm tra lại địa chỉ, hoặc quay về trang chủ.',
  'notFound.home': 'Về trang chủ',
  'common.loading': 'Đang tải…',
  'health.label': 'Tình trạng hệ thống:',
  'health.up': 'hoạt động',
  'health.down': 'không kết nối được',
} as const;

export type MessageKey = keyof typeof vi;
