import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canSee } from '../../../../../domain/access';
import { errorResponses, RowId } from '../../../../schemas';
import { ResourceNotFound } from '../../../../errors';
import { RecordDetailSchema } from '../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'official', 'auditor'] },
      schema: {
        tags: ['records'],
        summary: 'Chi tiết một bản ghi: các trường, trang sổ đã quét, các phiên bản, các quyết định và biên nhận chuyển',
        params: Type.Object({ recordId: RowId() }),
        response: { 200: RecordDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const id = request.params.recordId;
      const [record, review] = await Promise.all([app.recordsRepository.get(id), app.agencyReview.show(id)]);
      if (!record || !review || !canSee(request.principal!, record)) throw ResourceNotFound({ kind: 'bản ghi', id: String(id) });
      const url = (sha256: string) => `/api/files/${sha256}`;
      return {
        ...review,
        data: record.data,
        pages: review.pageFiles.map((p) => ({ page: p.page, sha256: p.sha256, url: url(p.sha256) })),
        pageFiles: review.pageFiles.map((p) => ({ ...p, url: url(p.sha256) })),
      };
    },
  );
};
export default route;
