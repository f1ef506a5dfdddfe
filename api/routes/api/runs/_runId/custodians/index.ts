import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Role } from '../../../../../../domain/access';
import { runInScope } from '../../../../../run-scope';
import { RunId, stateErrorResponses } from '../../../../../schemas';
import { fileWithFields, NoFields } from '../../../../../multipart-upload';
import { CustodianTableResultSchema } from '../../schema';

const Params = Type.Object({ runId: RunId });
const coordinators: readonly Role[] = ['coordinator'];

const Decision = Type.Object({
  unitCode: Type.String({ minLength: 1, maxLength: 5, description: 'Mã đơn vị cũ: xã bị chia (5 chữ số) hoặc huyện (3 chữ số)' }),
  agencyCode: Type.String({ minLength: 1, maxLength: 5, description: 'Mã xã/phường hiện hành lưu giữ sổ' }),
  basis: Type.Optional(Type.String({ maxLength: 1000, description: 'Căn cứ; bắt buộc khi cơ quan không nằm trong các đơn vị có thể giao' })),
  committeeDecision: Type.Optional(Type.Object({ number: Type.String({ maxLength: 100 }), date: Type.String({ maxLength: 20, description: 'dd/mm/yyyy hoặc yyyy-mm-dd' }) })),
});

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: coordinators },
      schema: {
        tags: ['runs'],
        summary: 'Bước 2: các xã bị chia và huyện không còn có sổ trong gói dữ liệu, cơ quan có thể giao, và quyết định cơ quan lưu giữ đã có',
        params: Params,
        response: { 200: Type.Unknown(), ...stateErrorResponses },
      },
    },
    async (request) => app.provinceRuns.custodians(runInScope(request, request.params.runId)),
  );

  app.post(
    '/',
    {
      config: { access: coordinators },
      schema: {
        tags: ['runs'],
        summary: 'Bước 2: quyết định cơ quan lưu giữ sổ của một hay nhiều đơn vị cũ (thay đổi được đến khi giao dữ liệu)',
        params: Params,
        body: Type.Object({ decisions: Type.Array(Decision, { minItems: 1, maxItems: 5000 }) }),
        response: { 200: Type.Unknown(), ...stateErrorResponses },
      },
    },
    async (request) => app.provinceRuns.decideCustodians(runInScope(request, request.params.runId), request.principal!.username, request.body.decisions),
  );

  app.post(
    '/table',
    {
      config: { access: coordinators },
      schema: {
        tags: ['runs'],
        summary: 'Bước 2: quyết định cơ quan lưu giữ sổ theo bảng (multipart: tệp .csv/.xlsx có các cột "Mã đơn vị cũ", "Mã cơ quan lưu giữ", "Căn cứ")',
        description: 'Mỗi dòng được kiểm tra riêng: bảng có dòng sai bị từ chối cả bảng với CUSTODIAN_TABLE_REFUSED, details.lines nêu từng dòng sai với mã và lý do; bảng được nhận trả về kết quả từng dòng.',
        consumes: ['multipart/form-data'],
        params: Params,
        response: { 200: CustodianTableResultSchema, ...stateErrorResponses },
      },
    },
    async (request) => {
      const runId = runInScope(request, request.params.runId);
      const { part } = await fileWithFields(request, NoFields);
      return app.provinceRuns.withUpload(part.file, (file) => app.provinceRuns.decideCustodiansFromTable(runId, request.principal!.username, file, part.filename));
    },
  );
};
export default route;
