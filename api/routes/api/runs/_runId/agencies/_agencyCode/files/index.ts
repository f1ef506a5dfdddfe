import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { runInScope } from '../../../../../../../run-scope';
import { AgencyCode, RunId, stateErrorResponses } from '../../../../../../../schemas';
import { AgencyFilesSchema } from '../../../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'auditor'] },
      schema: {
        tags: ['runs'],
        summary: 'Các tệp đã tách cho một cơ quan (mỗi loại sổ một tệp .xls) và số dòng của mỗi tệp',
        params: Type.Object({ runId: RunId, agencyCode: AgencyCode }),
        response: { 200: AgencyFilesSchema, ...stateErrorResponses },
      },
    },
    async (request) => app.provinceRuns.agencyFiles(runInScope(request, request.params.runId), request.params.agencyCode),
  );
};
export default route;
