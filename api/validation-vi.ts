/**
 * Schema validation failures said for users. Ajv words its errors in English ("body must be
 * object"), which stays in the log; the user reads where the problem is and what is wanted.
 */
import type { FastifySchemaValidationError } from 'fastify';

const PLACE_VI: Record<string, string> = { body: 'dữ liệu gửi lên', querystring: 'tham số', params: 'đường dẫn', headers: 'tiêu đề' };
const TYPE_VI: Record<string, string> = {
  object: 'một đối tượng JSON',
  array: 'một danh sách',
  string: 'chuỗi ký tự',
  integer: 'số nguyên',
  number: 'số',
  boolean: 'đúng hoặc sai',
  null: 'giá trị rỗng',
};
const FORMAT_VI: Record<string, string> = { 'date-time': 'ngày giờ (yyyy-mm-ddThh:mm:ss+07:00)', date: 'ngày (yyyy-mm-dd)', email: 'địa chỉ thư điện tử', uri: 'địa chỉ web' };

/** `/items/0/recordId` → `items[0].recordId`. */
function fieldOf(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function oneVi(e: FastifySchemaValidationError, context: string): string {
  const field = fieldOf(e.instancePath);
  const where = field ? `${context === 'querystring' ? 'tham số' : 'trường'} "${field}"` : (PLACE_VI[context] ?? 'dữ liệu gửi lên');
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `${where} phải là ${[p.type].flat().map((t) => TYPE_VI[String(t)] ?? String(t)).join(' hoặc ')}`;
    case 'required':
      return `${where} thiếu trường "${String(p.missingProperty)}"`;
    case 'additionalProperties':
      return `${where} có trường không được nhận "${String(p.additionalProperty)}"`;
    case 'minLength':
      return `${where} phải có ít nhất ${String(p.limit)} ký tự`;
    case 'maxLength':
      return `${where} dài quá ${String(p.limit)} ký tự`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `${where} phải ${e.keyword === 'minimum' ? 'từ' : 'lớn hơn'} ${String(p.limit)}${e.keyword === 'minimum' ? ' trở lên' : ''}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `${where} phải ${e.keyword === 'maximum' ? 'không quá' : 'nhỏ hơn'} ${String(p.limit)}`;
    case 'minItems':
      return `${where} phải có ít nhất ${String(p.limit)} mục`;
    case 'maxItems':
      return `${where} có quá ${String(p.limit)} mục`;
    case 'pattern':
      return `${where} không đúng dạng quy định`;
    case 'format':
      return `${where} không đúng dạng ${FORMAT_VI[String(p.format)] ?? `"${String(p.format)}"`}`;
    case 'enum':
    case 'const':
      return `${where} không phải giá trị được nhận`;
    case 'anyOf':
    case 'oneOf':
      return `${where} không khớp dạng nào được nhận`;
    default:
      return `${where} không hợp lệ`;
  }
}

/** The distinct problems of a failed validation, in Vietnamese, most specific first as Ajv gives them. */
export function validationVi(errors: readonly FastifySchemaValidationError[], context: string | undefined): string {
  return [...new Set(errors.map((e) => oneVi(e, context ?? 'body')))].join('; ');
}
