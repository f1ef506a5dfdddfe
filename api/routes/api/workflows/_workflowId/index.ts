import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canSee } from '../../../../../domain/access';
import { errorResponses } from '../../../../schemas';
import { ResourceNotFound } from '../../../../errors';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'official', 'auditor'] },
      schema: {
        tags: ['workflows'],
        summary: 'Trạng thái một quy trình',
        params: Type.Object({ workflowId: Type.String({ minLength: 1, maxLength: 300 }) }),
        response: {
          200: Type.Object({
            workflowId: Type.String(),
            kind: Type.String(),
            provinceCode: Type.String(),
            agencyCode: Type.Union([Type.String(), Type.Null()]),
            status: Type.String(),
            startTime: Type.String(),
            closeTime: Type.Union([Type.String(), Type.Null()]),
            historyLength: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const entry = await app.workflowRegistry.get(request.params.workflowId);
      if (!entry || !canSee(request.principal!, entry)) throw ResourceNotFound({ kind: 'quy trình', id: request.params.workflowId });
      const d = await app.temporal.workflow.getHandle(entry.workflowId).describe();
      return {
        workflowId: entry.workflowId,
        kind: entry.kind,
        provinceCode: entry.provinceCode,
        agencyCode: entry.agencyCode ?? null,
        status: d.status.name,
        startTime: d.startTime.toISOString(),
        closeTime: d.closeTime ? d.closeTime.toISOString() : null,
        historyLength: d.historyLength,
      };
    },
  );
};
export default route;
