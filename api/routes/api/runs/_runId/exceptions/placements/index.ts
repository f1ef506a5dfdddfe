import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { runInScope } from '../../../../../../run-scope';
import { RunId, stateErrorResponses } from '../../../../../../schemas';
import { fileWithFields, NoFields } from '../../../../../../multipart-upload';
import { PlacementResultSchema } from '../../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/',
    {
      config: { access: ['coordinator'] },
      schema: {
        tags: ['runs'],
        summary: 'Bước 2: xếp tay dòng ngoại lệ: tải lên tệp ngoại lệ của lượt chạy đã điền cột "Mã cơ quan nhận" (multipart)',
        consumes: ['multipart/form-data'],
        params: Type.Object({ runId: RunId }),
        response: { 200: PlacementResultSchema, ...stateErrorResponses },
      },
    },
    async (request) => {
      const runId = runInScope(request, request.params.runId);
      const { part } = await fileWithFields(request, NoFields);
      return app.provinceRuns.withUpload(part.file, (file) => app.provinceRuns.placeExceptions(runId, request.principal!.username, file, part.filename));
    },
  );
};
export default route;
