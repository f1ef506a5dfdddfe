import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { canSee } from '../../../../domain/access';
import { defineError } from '../../../../domain/errors';
import { REGISTER_TYPE_CODES } from '../../../../domain/registers/register-types';
import { requireProvinceCode } from '../../../../domain/units/province-code';
import { fileWithFields } from '../../../multipart-upload';
import { ProvinceCode, RunStarted, stateErrorResponses } from '../../../schemas';

export const ProvinceOutOfScope = defineError<{ province: string }>(
  'RUN_PROVINCE_OUT_OF_SCOPE',
  'forbidden',
  (p) => `you do not coordinate province ${p.province}`,
  (p) => `Bạn không phải điều phối viên của tỉnh ${p.province}.`,
);

const Handover = {
  sha256: Type.String({ minLength: 64, maxLength: 64, description: 'SHA-256 ghi trong biên bản bàn giao' }),
  deliveredBy: Type.String({ minLength: 1, maxLength: 200, description: 'Bên giao' }),
  channel: Type.String({ minLength: 1, maxLength: 200, description: 'Kênh truyền đã thống nhất' }),
  registerType: Type.Optional(
    Type.Union(
      REGISTER_TYPE_CODES.map((code) => Type.Literal(code)),
      { description: 'Loại sổ của gói chỉ có một loại sổ mà tên trang, tên tệp và cột "Loại sổ" không cho biết' },
    ),
  ),
};

// A form's register type may come in lower case; the start checks it as the CLI's is checked.
const UploadFields = Type.Object({ provinceCode: ProvinceCode, ...Handover, registerType: Type.Optional(Type.String({ maxLength: 20, description: Handover.registerType.description })) });

function provinceInScope(request: FastifyRequest, provinceCode: string): string {
  const code = requireProvinceCode(provinceCode);
  if (!canSee(request.principal!, { provinceCode: code })) throw ProvinceOutOfScope({ province: code });
  return code;
}

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/',
    {
      config: { access: ['coordinator'] },
      schema: {
        tags: ['runs'],
        summary: 'Bước 1: tiếp nhận một gói dữ liệu đã có trong thư mục tiếp nhận và bắt đầu lượt chạy',
        body: Type.Object({ provinceCode: ProvinceCode, inboxPath: Type.String({ minLength: 1, maxLength: 1000 }), ...Handover }),
        response: { 200: RunStarted, 202: RunStarted, ...stateErrorResponses },
      },
    },
    async (request, reply) => {
      const { provinceCode, inboxPath, ...handover } = request.body;
      const started = await app.provinceRuns.start({
        ...handover,
        provinceCode: provinceInScope(request, provinceCode),
        source: { kind: 'inbox', path: inboxPath },
        originalName: inboxPath.split(/[\\/]/).pop()!,
        startedBy: request.principal!.username,
      });
      return reply.status(started.existing ? 200 : 202).send(started);
    },
  );

  app.post(
    '/upload',
    {
      config: { access: ['coordinator'] },
      schema: {
        tags: ['runs'],
        summary: 'Bước 1: tải gói dữ liệu lên (multipart: các trường provinceCode, sha256, deliveredBy, channel, registerType nếu cần, rồi đến tệp) và bắt đầu lượt chạy',
        consumes: ['multipart/form-data'],
        response: { 200: RunStarted, 202: RunStarted, ...stateErrorResponses },
      },
    },
    async (request, reply) => {
      const { part, fields } = await fileWithFields(request, UploadFields);
      const { provinceCode, ...declared } = fields;
      const province = provinceInScope(request, provinceCode);
      const staged = await app.provinceRuns.stageUpload(part.file);
      const started = await app.provinceRuns.start({
        ...declared,
        provinceCode: province,
        source: { kind: 'staged', token: staged.token },
        originalName: part.filename,
        startedBy: request.principal!.username,
      });
      return reply.status(started.existing ? 200 : 202).send(started);
    },
  );
};
export default route;
