/** What an official or a coordinator can get wrong in Step 4, and what the process refuses. */
import { defineError } from '../errors';
import { vietnamTime } from '../text/vietnam-time';
import { MAX_DECISIONS_PER_BATCH } from './review-types';

export const ReviewNotOfficialOfAgency = defineError<{ agency: string }>(
  'REVIEW_NOT_OFFICIAL_OF_AGENCY',
  'forbidden',
  (p) => `only an official of agency ${p.agency} decides on its records`,
  (p) => `Chỉ công chức hộ tịch của cơ quan mã ${p.agency} mới được kiểm tra, phê duyệt hồ sơ của cơ quan này.`,
);

export const ReviewNotCoordinator = defineError<{ action: string }>(
  'REVIEW_NOT_COORDINATOR',
  'forbidden',
  (p) => `only a coordinator may ${p.action}`,
  () => 'Chỉ điều phối viên cấp tỉnh mới được thực hiện thao tác này.',
);

export const ReviewBookNotOpen = defineError<{ book: string }>(
  'REVIEW_BOOK_NOT_OPEN',
  'not_found',
  (p) => `book ${p.book} has no data in this agency's run`,
  (p) => `Sổ ${p.book} chưa có dữ liệu được nhập trong lượt làm việc của cơ quan, nên chưa kiểm tra được.`,
);

/** `book` as the agency run describes it, the register's name first ("Sổ đăng ký khai sinh, quyển số 01 năm 2009 (đơn vị 00007)"). */
export const ReviewBookClaimed = defineError<{ book: string; by: string; since: string }>(
  'REVIEW_BOOK_CLAIMED',
  'conflict',
  (p) => `book ${p.book} is being reviewed by another official`,
  (p) => `${p.book} đang được công chức ${p.by} kiểm tra (từ ${vietnamTime(p.since)}); mỗi sổ chỉ một người làm tại một thời điểm. Chờ người đó trả sổ, hoặc nhờ điều phối viên giải phóng.`,
);

/** `book` as the agency run describes it, the register's name first. */
export const ReviewClaimNotHeld = defineError<{ book: string }>(
  'REVIEW_CLAIM_NOT_HELD',
  'conflict',
  (p) => `nobody holds book ${p.book}`,
  (p) => `${p.book} không có ai đang nhận kiểm tra.`,
);

export const ReviewBatchEmpty = defineError<Record<string, never>>(
  'REVIEW_BATCH_EMPTY',
  'validation',
  () => 'a batch of decisions holds no decision',
  () => 'Chưa chọn hồ sơ nào để quyết định.',
);

export const ReviewBatchTooLarge = defineError<{ count: number }>(
  'REVIEW_BATCH_TOO_LARGE',
  'validation',
  (p) => `${p.count} decisions in one batch; at most ${MAX_DECISIONS_PER_BATCH}`,
  (p) => `Một lần gửi ${p.count} quyết định; mỗi lần tối đa ${MAX_DECISIONS_PER_BATCH} hồ sơ (một trang danh sách).`,
);

export const ReviewDuplicateRecord = defineError<{ recordId: number }>(
  'REVIEW_DUPLICATE_RECORD',
  'validation',
  (p) => `record ${p.recordId} appears twice in one batch`,
  (p) => `Hồ sơ số ${p.recordId} xuất hiện hai lần trong cùng một lần gửi.`,
);

/** The rule of the process, raised by the update validator, the activity and (as HT001) the database. */
export const ReviewApprovalWithoutScan = defineError<{ recordId: number }>(
  'REVIEW_APPROVAL_WITHOUT_SCAN',
  'conflict',
  (p) => `record ${p.recordId} has no attached scan and cannot be approved`,
  (p) => `Hồ sơ số ${p.recordId} chưa có bản quét trang sổ hộ tịch đính kèm nên không được phê duyệt. Hãy nhập tệp .zip bản quét của sổ trước khi đối chiếu và phê duyệt.`,
);

export const ReviewPagesChanged = defineError<{ recordId: number }>(
  'REVIEW_PAGES_CHANGED',
  'conflict',
  (p) => `the pages of record ${p.recordId} are not those the official compared`,
  (p) => `Trang quét của hồ sơ số ${p.recordId} đã thay đổi so với trang anh/chị đã đối chiếu; hãy mở lại hồ sơ và đối chiếu với trang hiện tại.`,
);

export const ReviewReasonInvalid = defineError<{ value: string; allowed: string }>(
  'REVIEW_REASON_INVALID',
  'validation',
  (p) => `reason ${p.value} is not one of ${p.allowed}`,
  (p) => `Lý do "${p.value}" không hợp lệ; chọn một trong: ${p.allowed}.`,
);

export const ReviewCommentRequired = defineError<{ recordId: number }>(
  'REVIEW_COMMENT_REQUIRED',
  'validation',
  (p) => `record ${p.recordId}: reason OTHER needs a comment`,
  (p) => `Hồ sơ số ${p.recordId}: chọn "Lý do khác" thì phải ghi rõ lý do.`,
);

export const ReviewNoFields = defineError<{ recordId: number }>(
  'REVIEW_CORRECTION_EMPTY',
  'validation',
  (p) => `record ${p.recordId}: a correction changes no field`,
  (p) => `Hồ sơ số ${p.recordId}: chưa nhập trường nào cần sửa.`,
);

export const ReviewFieldUnknown = defineError<{ recordId: number; field: string }>(
  'REVIEW_FIELD_UNKNOWN',
  'validation',
  (p) => `record ${p.recordId}: ${p.field} is not a field of its register`,
  (p) => `Hồ sơ số ${p.recordId}: "${p.field}" không phải trường của loại sổ này.`,
);

export const ReviewFieldProtected = defineError<{ recordId: number; field: string; label: string }>(
  'REVIEW_FIELD_PROTECTED',
  'validation',
  (p) => `record ${p.recordId}: ${p.field} names the register entry and cannot be corrected`,
  (p) => `Hồ sơ số ${p.recordId}: trường "${p.label}" xác định vị trí trong sổ nên không sửa được; nếu sai, hãy từ chối hồ sơ và nhập lại dữ liệu.`,
);

export const ReviewFieldInvalid = defineError<{ recordId: number; label: string; detail: string }>(
  'REVIEW_FIELD_INVALID',
  'validation',
  (p) => `record ${p.recordId}: the corrected value is not valid`,
  (p) => `Hồ sơ số ${p.recordId}: giá trị sửa của "${p.label}" không hợp lệ: ${p.detail}`,
);

export const ReviewRecordNotFound = defineError<{ recordId: number }>(
  'REVIEW_RECORD_NOT_FOUND',
  'not_found',
  (p) => `record ${p.recordId} is not in this book of this agency`,
  (p) => `Không có hồ sơ số ${p.recordId} trong sổ này của cơ quan.`,
);

export const ReviewRecordTransferred = defineError<{ recordId: number }>(
  'REVIEW_RECORD_TRANSFERRED',
  'conflict',
  (p) => `record ${p.recordId} is transferred and read-only`,
  (p) => `Hồ sơ số ${p.recordId} đã chuyển vào Cơ sở dữ liệu hộ tịch điện tử, không thay đổi được nữa.`,
);

export const AgencyCloseReasonMissing = defineError<Record<string, never>>(
  'AGENCY_CLOSE_REASON_MISSING',
  'validation',
  () => 'closing an agency early needs a reason',
  () => 'Kết thúc sớm phần việc của cơ quan phải ghi rõ lý do.',
);

export const ReviewRecordApproved = defineError<{ recordId: number }>(
  'REVIEW_RECORD_APPROVED',
  'conflict',
  (p) => `record ${p.recordId} is approved and waits for its transfer`,
  (p) => `Hồ sơ số ${p.recordId} đã được phê duyệt và đang chờ chuyển vào Cơ sở dữ liệu hộ tịch điện tử; không thay đổi quyết định được nữa.`,
);

export const ReviewRecordRejected = defineError<{ recordId: number }>(
  'REVIEW_RECORD_REJECTED',
  'conflict',
  (p) => `record ${p.recordId} is rejected; only a correction or new data reopens it`,
  (p) => `Hồ sơ số ${p.recordId} đã bị từ chối. Muốn kiểm tra lại, hãy sửa hồ sơ theo sổ, hoặc nhập lại dữ liệu hay trang quét của hồ sơ; hồ sơ sẽ trở về trạng thái chờ kiểm tra.`,
);

export const ReviewNothingToDecide = defineError<{ book: string; action: string }>(
  'REVIEW_NOTHING_TO_DECIDE',
  'conflict',
  (p) => `book ${p.book} holds no record in a state its decisions start from`,
  (p) => `Sổ ${p.book} không còn hồ sơ nào ở trạng thái có thể ${p.action}: các hồ sơ của sổ đã được quyết định hoặc đã chuyển.`,
);
