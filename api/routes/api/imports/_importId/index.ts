import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { canSee } from '../../../../../domain/access';
import { ImportNotFound } from '../../../../../services/agency-imports';
import { RowId, stateErrorResponses } from '../../../../schemas';

/** An import the caller may see; another agency's import is answered as if it did not exist. */
async function importInScope(request: FastifyRequest<{ Params: { importId: number } }>) {
  const row = await request.server.agencyImports.get(request.params.importId);
  if (!canSee(request.principal!, { provinceCode: row.provinceCode, agencyCode: row.agencyCode })) throw ImportNotFound({ importId: row.id });
  return row;
}

const Params = Type.Object({ importId: RowId() });

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['official', 'coordinator', 'auditor'] },
      schema: { tags: ['imports'], summary: 'Một lần nhập: ai nhập, tệp nào, trạng thái và số dòng', params: Params, response: { 200: Type.Unknown(), ...stateErrorResponses } },
    },
    async (request) => importInScope(request),
  );

  app.get(
    '/errors',
    {
      config: { access: ['official', 'coordinator'] },
      schema: {
        tags: ['imports'],
        summary: 'Tải các dòng bị từ chối của một lần nhập (.xlsx: các cột gốc, lý do và mã lỗi) để sửa và nhập lại',
        params: Params,
        response: { 200: Type.Unknown({ description: 'Tệp .xlsx' }), ...stateErrorResponses },
      },
    },
    async (request, reply) => {
      const { fileName, stream } = app.agencyImports.errorWorkbook(await importInScope(request));
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
      return reply.send(stream);
    },
  );
};
export default route;
