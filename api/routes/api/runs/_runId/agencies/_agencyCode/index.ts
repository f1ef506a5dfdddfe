import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canSee } from '../../../../../../../domain/access';
import { provinceOfRun } from '../../../../../../../domain/runs/province-run';
import { RunAgencyNotFound } from '../../../../../../../domain/runs/run-errors';
import { AgencyCode, RunId, stateErrorResponses } from '../../../../../../schemas';
import { runInScope } from '../../../../../../run-scope';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/download',
    {
      config: { access: ['coordinator', 'official'] },
      schema: {
        tags: ['runs'],
        summary: 'Tải thư mục dữ liệu đã tách của một cơ quan (.zip gồm các tệp .xls và bản kê)',
        params: Type.Object({ runId: RunId, agencyCode: AgencyCode }),
        response: { 200: Type.Unknown({ description: 'Tệp .zip' }), ...stateErrorResponses },
      },
    },
    async (request, reply) => {
      const { runId, agencyCode } = request.params;
      const principal = request.principal!;
      // An official takes their own agency's folder; a coordinator any agency of their province.
      const allowed = principal.role === 'official' ? canSee(principal, { provinceCode: provinceOfRun(runId), agencyCode }) : (runInScope(request, runId), true);
      if (!allowed) throw RunAgencyNotFound({ runId, agency: agencyCode });
      const { fileName, stream } = await app.provinceRuns.agencyZip(runId, agencyCode);
      reply.header('content-type', 'application/zip');
      reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
      return reply.send(stream);
    },
  );
};
export default route;
