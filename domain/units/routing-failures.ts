/**
 * Why a row could not be routed to an agency, as a code and in the words the exceptions
 * workbook gives every such row. Apart from the routing itself, which needs the whole unit
 * catalog, so that the web page can word the split's summary without loading the catalog.
 */
export type RoutingFailure =
  | 'UNIT_UNKNOWN_CODE'
  | 'UNIT_NOT_FOUND'
  | 'UNIT_NAME_AMBIGUOUS'
  | 'UNIT_SPLIT_NEEDS_DECISION'
  | 'UNIT_DISTRICT_NEEDS_DECISION'
  | 'UNIT_OTHER_PROVINCE'
  | 'UNIT_MISSING';

export const ROUTING_FAILURE_VI: Record<RoutingFailure, string> = {
  UNIT_UNKNOWN_CODE: 'Mã đơn vị hành chính nơi đăng ký không có trong danh mục.',
  UNIT_NOT_FOUND: 'Không tìm thấy đơn vị hành chính nơi đăng ký theo tên.',
  UNIT_NAME_AMBIGUOUS: 'Tên đơn vị hành chính nơi đăng ký ứng với nhiều đơn vị; cần mã đơn vị hoặc tên huyện để phân biệt.',
  UNIT_SPLIT_NEEDS_DECISION: 'Xã/phường nơi đăng ký đã được chia cho nhiều đơn vị mới từ 01/7/2025; cần người điều phối quyết định cơ quan lưu giữ sổ.',
  UNIT_DISTRICT_NEEDS_DECISION: 'Huyện/quận nơi đăng ký không còn từ 01/7/2025 (bỏ cấp huyện); cần người điều phối quyết định cơ quan lưu giữ sổ.',
  UNIT_OTHER_PROVINCE: 'Đơn vị hành chính nơi đăng ký thuộc tỉnh khác.',
  UNIT_MISSING: 'Dòng dữ liệu không có mã hoặc tên đơn vị hành chính nơi đăng ký.',
};
