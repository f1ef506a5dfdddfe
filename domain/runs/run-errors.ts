/** What a coordinator or an official can get wrong while steering a province run and its agencies' parts. */
import { defineError } from '../errors';
import { REGISTER_TYPE_CODES } from '../registers/register-types';
import { AGENCY_PHASE_VI, RUN_PHASE_VI, type AgencyPhase, type RunPhase } from './province-run';

export const RunNotFound = defineError<{ runId: string }>(
  'RUN_NOT_FOUND',
  'not_found',
  (p) => `no province run ${p.runId}`,
  (p) => `Không tìm thấy lượt chạy ${p.runId}.`,
);

export const RunProgressUnavailable = defineError<{ runId: string; reason: string }>(
  'RUN_PROGRESS_UNAVAILABLE',
  'unavailable',
  (p) => `progress of run ${p.runId} cannot be read now: ${p.reason}`,
  (p) => `Tạm thời chưa đọc được tiến độ lượt chạy ${p.runId} (chưa có worker nào đang chạy hoặc worker vừa khởi động lại); thử lại sau ít giây.`,
);

export const RunAgencyNotFound = defineError<{ runId: string; agency: string }>(
  'RUN_AGENCY_NOT_FOUND',
  'not_found',
  (p) => `run ${p.runId} has no output for agency ${p.agency}`,
  (p) => `Lượt chạy ${p.runId} không có dữ liệu tách cho cơ quan ${p.agency}.`,
);

export const RunSplitNotReady = defineError<{ runId: string }>(
  'RUN_SPLIT_NOT_READY',
  'conflict',
  (p) => `run ${p.runId} has not finished splitting`,
  (p) => `Lượt chạy ${p.runId} chưa tách xong dữ liệu.`,
);

export const Sha256Invalid = defineError<{ value: string }>(
  'RUN_SHA256_INVALID',
  'validation',
  (p) => `${p.value} is not a SHA-256 (64 hexadecimal digits)`,
  (p) => `"${p.value}" không phải mã SHA-256 (64 chữ số hệ 16) như ghi trong biên bản bàn giao.`,
);

export const RunNotAwaitingHandover = defineError<{ phase: RunPhase }>(
  'RUN_NOT_AWAITING_HANDOVER',
  'conflict',
  (p) => `the run is ${p.phase}, not waiting for the handover confirmation`,
  (p) => `Lượt chạy không ở bước chờ xác nhận bàn giao (hiện tại: ${RUN_PHASE_VI[p.phase]}).`,
);

export const RunNotAwaitingRelease = defineError<{ phase: RunPhase }>(
  'RUN_NOT_AWAITING_RELEASE',
  'conflict',
  (p) => `the run is ${p.phase}, not waiting for release`,
  (p) => `Lượt chạy không ở bước chờ duyệt kết quả tách (hiện tại: ${RUN_PHASE_VI[p.phase]}).`,
);

export const RunAlreadyEnded = defineError<{ phase: RunPhase }>(
  'RUN_ALREADY_ENDED',
  'conflict',
  (p) => `the run has already ended (${p.phase})`,
  (p) => `Lượt chạy đã kết thúc (${RUN_PHASE_VI[p.phase]}).`,
);

export const RunActorMissing = defineError(
  'RUN_ACTOR_MISSING',
  'validation',
  () => 'a decision needs the name of who made it',
  () => 'Cần ghi rõ người thực hiện thao tác này.',
);

export const CancelReasonMissing = defineError(
  'RUN_CANCEL_REASON_MISSING',
  'validation',
  () => 'cancelling a run needs a reason',
  () => 'Cần ghi lý do huỷ lượt chạy.',
);

export const ScheduleAgencyUnknown = defineError<{ agency: string }>(
  'RUN_SCHEDULE_AGENCY_UNKNOWN',
  'validation',
  (p) => `schedule names agency ${p.agency}, which received no rows in this split`,
  (p) => `Lịch nhập ghi cơ quan ${p.agency}, nhưng cơ quan này không có dòng nào trong kết quả tách.`,
);

export const ScheduleTimeInvalid = defineError<{ agency: string; value: string }>(
  'RUN_SCHEDULE_TIME_INVALID',
  'validation',
  (p) => `schedule of agency ${p.agency}: ${p.value} is not a date and time (ISO 8601)`,
  (p) => `Lịch nhập của cơ quan ${p.agency}: "${p.value}" không phải ngày giờ hợp lệ (ví dụ 2026-12-01T08:00:00+07:00).`,
);

export const AgencyRunEnded = defineError<{ agency: string; phase: AgencyPhase }>(
  'AGENCY_RUN_ENDED',
  'conflict',
  (p) => `the agency run of ${p.agency} has ended (${p.phase})`,
  (p) => `Phần việc của cơ quan mã ${p.agency} trong lượt chạy này đã kết thúc (${AGENCY_PHASE_VI[p.phase]}); không nhận thêm dữ liệu.`,
);

export const ImportOtherAgency = defineError<{ agency: string; own: string }>(
  'IMPORT_OTHER_AGENCY',
  'forbidden',
  (p) => `an official of ${p.own} cannot import for ${p.agency}`,
  (p) => `Cán bộ của cơ quan mã ${p.own} không được nhập dữ liệu cho cơ quan mã ${p.agency}.`,
);

export const ImportRegisterTypeInvalid = defineError<{ value: string }>(
  'IMPORT_REGISTER_TYPE_INVALID',
  'validation',
  (p) => `${p.value} is not a register type`,
  (p) => `"${p.value}" không phải loại sổ hộ tịch; chọn một trong: ${REGISTER_TYPE_CODES.join(', ')}.`,
);

export const RunDecisionsNotOpen = defineError<{ phase: RunPhase }>(
  'RUN_DECISIONS_NOT_OPEN',
  'conflict',
  (p) => `the run is ${p.phase}: the split's decisions are taken once it is split and until it ends`,
  (p) => `Lượt chạy đang ở bước "${RUN_PHASE_VI[p.phase]}": chỉ quyết định cơ quan lưu giữ sổ và xếp tay dòng ngoại lệ sau khi tách xong và trước khi lượt chạy kết thúc.`,
);

export const RunCustodiansUndecided = defineError<{ count: number; units: string[] }>(
  'RUN_CUSTODIANS_UNDECIDED',
  'conflict',
  (p) => `${p.count} former units have no custodian yet (${p.units.join(', ')}); release with confirmation to leave their rows as exceptions`,
  (p) =>
    `Còn ${p.count} đơn vị cũ chưa có quyết định cơ quan lưu giữ sổ (${p.units.join(', ')}${p.count > p.units.length ? ', …' : ''}); các dòng của chúng sẽ ở lại tệp ngoại lệ. Quyết định trước (hotich run decide-custodians), hoặc xác nhận giao dữ liệu mà không có các đơn vị này (--without-undecided).`,
);

export const RunPlacementsEmpty = defineError(
  'RUN_PLACEMENTS_EMPTY',
  'validation',
  () => 'no placement given',
  () => 'Không có dòng nào được xếp: điền cột "Mã cơ quan nhận" trong tệp ngoại lệ.',
);
