import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { runInScope } from '../../../../../../run-scope';
import { RunId, stateErrorResponses } from '../../../../../../schemas';
import { ExceptionReasonsSchema } from '../../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator'] },
      schema: {
        tags: ['runs'],
        summary: 'Bước 2: các dòng ngoại lệ theo mã lý do, mỗi mã với lý do bằng tiếng Việt như các dòng ghi',
        params: Type.Object({ runId: RunId }),
        response: { 200: ExceptionReasonsSchema, ...stateErrorResponses },
      },
    },
    async (request) => app.provinceRuns.exceptionReasons(runInScope(request, request.params.runId)),
  );
};
export default route;
