import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canSee } from '../../../../../domain/access';
import { errorResponses } from '../../../../schemas';
import { ResourceNotFound } from '../../../../errors';
import { RecordDetailSchema } from '../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'official', 'auditor'] },
      schema: {
        tags: ['records'],
        summary: 'Chi tiết một bản ghi và các trang sổ đã đính kèm',
        params: Type.Object({ recordId: Type.Integer({ minimum: 1 }) }),
        response: { 200: RecordDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const record = await app.recordsRepository.get(request.params.recordId);
      if (!record || !canSee(request.principal!, record)) throw ResourceNotFound({ kind: 'bản ghi', id: String(request.params.recordId) });
      return { ...record, pages: record.pages.map((p) => ({ ...p, url: `/api/files/${p.sha256}` })) };
    },
  );
};
export default route;
