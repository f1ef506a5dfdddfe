import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { isRegisterTypeCode } from '../../../../../../domain/registers/register-types';
import { ImportRegisterTypeInvalid } from '../../../../../../domain/runs/run-errors';
import { agencyInScope } from '../../../../../agency-scope';
import { AgencyCode, stateErrorResponses } from '../../../../../schemas';
import { ZipTooLarge } from '../../../../../../formats/zip/safe-zip-reader';
import { fileWithFields } from '../../../../../multipart-upload';

/** The agency, when the caller may work on it: its officials, and the coordinators of its province. */
const agencyOf = (request: FastifyRequest<{ Params: { agencyCode: string } }>) => agencyInScope(request, request.params.agencyCode);

// Checked against the register types and the agency's units by the import, which says what is allowed.
const ExcelFields = Type.Object({ registerType: Type.String({ maxLength: 20 }) });
const ScansFields = Type.Object({ unitCode: Type.Optional(Type.String({ maxLength: 20 })) });

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/excel',
    {
      config: { access: ['official', 'coordinator'] },
      schema: {
        tags: ['imports'],
        summary: 'Bước 3: nhập một tệp Excel (.xls, .xlsx) của một loại sổ (multipart: trường registerType rồi đến tệp)',
        consumes: ['multipart/form-data'],
        params: Type.Object({ agencyCode: AgencyCode }),
        response: { 200: Type.Unknown({ description: 'Kết quả nhập: số dòng đọc = thêm mới + cập nhật + không đổi + bị từ chối' }), ...stateErrorResponses },
      },
    },
    async (request) => {
      const agency = await agencyOf(request);
      const { part, fields } = await fileWithFields(request, ExcelFields);
      const registerType = fields.registerType.toUpperCase();
      if (!isRegisterTypeCode(registerType)) throw ImportRegisterTypeInvalid({ value: registerType });
      const source = await app.agencyImports.store(part.file, part.filename);
      const principal = request.principal!;
      return app.agencyImports.importExcel({ agencyCode: agency.code, registerType, source, by: { username: principal.username, agencyCode: principal.agencyCode ?? undefined } });
    },
  );

  app.post(
    '/scans',
    {
      config: { access: ['official', 'coordinator'] },
      schema: {
        tags: ['imports'],
        summary: 'Bước 3: nhập một tệp .zip các trang sổ đã quét (PDF đặt tên theo quy tắc số hoá), gắn vào bản ghi (multipart: trường unitCode nếu cơ quan hợp nhất từ nhiều xã, phường cũ, rồi đến tệp)',
        consumes: ['multipart/form-data'],
        params: Type.Object({ agencyCode: AgencyCode }),
        response: { 200: Type.Unknown({ description: 'Báo cáo theo tệp nén: đã gắn, đã có, thay thế, chưa có bản ghi, còn thiếu trang, bị từ chối' }), ...stateErrorResponses },
      },
    },
    async (request) => {
      const agency = await agencyOf(request);
      const max = app.config.imports.scanZipMaxBytes;
      const { part, fields } = await fileWithFields(request, ScansFields, max);
      let zip;
      try {
        zip = await app.agencyImports.store(part.file, part.filename);
      } catch (e) {
        // The upload stops at the limit: a clear refusal instead of the multipart library's own error.
        if (part.file.truncated) throw ZipTooLarge({ name: part.filename, size: part.file.bytesRead, max });
        throw e;
      }
      const { unitCode } = fields;
      const principal = request.principal!;
      return app.agencyImports.importScans({ agencyCode: agency.code, zip, unitCode, by: { username: principal.username, agencyCode: principal.agencyCode ?? undefined } });
    },
  );

  app.get(
    '/',
    {
      config: { access: ['official', 'coordinator', 'auditor'] },
      schema: {
        tags: ['imports'],
        summary: 'Các lần nhập gần nhất của cơ quan và các quyển sổ đã có dữ liệu (đang kiểm tra, phê duyệt)',
        params: Type.Object({ agencyCode: AgencyCode }),
        response: { 200: Type.Unknown(), ...stateErrorResponses },
      },
    },
    async (request) => app.agencyImports.state((await agencyOf(request)).code),
  );
};
export default route;
