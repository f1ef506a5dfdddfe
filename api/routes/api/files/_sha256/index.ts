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
        tags: ['files'],
        summary: 'Tải một tệp (trang sổ đã quét, gói dữ liệu) theo mã SHA-256',
        params: Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
        response: { 200: Type.Unknown({ description: 'Nội dung tệp' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await app.filesRepository.get(request.params.sha256);
      const owner = file?.owners.find((o) => canSee(request.principal!, o));
      if (!file || !owner) throw ResourceNotFound({ kind: 'tệp', id: request.params.sha256 });
      reply.header('content-type', file.mediaType);
      reply.header('content-length', file.sizeBytes);
      reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(owner.originalName)}`);
      return reply.send(app.contentStore.open(file.sha256));
    },
  );
};
export default route;
