import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canSee } from '../../../../../../domain/access';
import { displayValue } from '../../../../../../domain/profiles/cell-values';
import { fieldsOf, isRegisterTypeCode } from '../../../../../../domain/registers/register-types';
import { errorResponses, RowId } from '../../../../../schemas';
import { ResourceNotFound } from '../../../../../errors';
import { RecordHistorySchema } from '../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'official', 'auditor'] },
      schema: {
        tags: ['records'],
        summary: 'Nguồn và các phiên bản cũ của một bản ghi: tệp đã nhập, giá trị trước khi nhập lại hoặc sửa, để đối chiếu',
        params: Type.Object({ recordId: RowId() }),
        response: { 200: RecordHistorySchema, ...errorResponses },
      },
    },
    async (request) => {
      const id = request.params.recordId;
      const record = await app.recordsRepository.get(id);
      if (!record || !canSee(request.principal!, record)) throw ResourceNotFound({ kind: 'bản ghi', id: String(id) });
      const { current, versions } = await app.recordsRepository.history(id);
      const type = record.registerType;
      const fields = isRegisterTypeCode(type) ? fieldsOf(type) : [];
      return {
        current,
        versions: versions.map(({ data, ...v }) => ({ ...v, fields: fields.map((f) => ({ key: f.key, value: displayValue(f, data[f.key]) })) })),
      };
    },
  );
};
export default route;
