import fs from 'node:fs';
import path from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Role } from '../../../../../domain/access';
import { runInScope } from '../../../../run-scope';
import { RunId, RunStatusView, stateErrorResponses } from '../../../../schemas';

const Params = Type.Object({ runId: RunId });
const Schedule = Type.Object({ startsAt: Type.String({ format: 'date-time', description: 'Giờ bắt đầu buổi nhập (ISO 8601)' }), place: Type.Optional(Type.String({ maxLength: 200 })) });

const coordinators: readonly Role[] = ['coordinator'];

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'auditor'] },
      schema: { tags: ['runs'], summary: 'Tiến độ lượt chạy theo từng bước và từng cơ quan', params: Params, response: { 200: RunStatusView, ...stateErrorResponses } },
    },
    async (request) => app.provinceRuns.status(runInScope(request, request.params.runId)),
  );

  app.post(
    '/confirm-handover',
    {
      config: { access: coordinators },
      schema: { tags: ['runs'], summary: 'Xác nhận bàn giao gói dữ liệu (Bước 1); lượt chạy bắt đầu tách', params: Params, response: { 200: Type.Unknown(), ...stateErrorResponses } },
    },
    async (request) => app.provinceRuns.confirmHandover(runInScope(request, request.params.runId), request.principal!.username),
  );

  app.post(
    '/release',
    {
      config: { access: coordinators },
      schema: {
        tags: ['runs'],
        summary: 'Duyệt kết quả tách và giao dữ liệu cho các cơ quan, kèm lịch nhập nếu có (Bước 2)',
        params: Params,
        body: Type.Object({
          schedules: Type.Optional(Type.Record(Type.String({ pattern: '^[0-9]{3}([0-9]{2})?$' }), Schedule)),
          autoImport: Type.Optional(Type.Boolean({ description: 'Mỗi cơ quan tự nhập các tệp đã tách của mình khi đến lịch' })),
          withoutUndecided: Type.Optional(Type.Boolean({ description: 'Xác nhận giao dữ liệu khi còn đơn vị cũ chưa có cơ quan lưu giữ (dòng của chúng ở lại tệp ngoại lệ); thiếu thì bị từ chối với RUN_CUSTODIANS_UNDECIDED' })),
        }),
        response: { 200: Type.Unknown(), ...stateErrorResponses },
      },
    },
    async (request) => app.provinceRuns.release(runInScope(request, request.params.runId), request.principal!.username, request.body.schedules, { autoImport: request.body.autoImport, withoutUndecided: request.body.withoutUndecided }),
  );

  app.post(
    '/cancel',
    {
      config: { access: coordinators },
      schema: {
        tags: ['runs'],
        summary: 'Huỷ lượt chạy',
        params: Params,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }),
        response: { 200: Type.Unknown(), ...stateErrorResponses },
      },
    },
    async (request) => app.provinceRuns.cancel(runInScope(request, request.params.runId), request.principal!.username, request.body.reason),
  );

  app.get(
    '/exceptions',
    {
      config: { access: coordinators },
      schema: { tags: ['runs'], summary: 'Tải tệp ngoại lệ (các dòng chưa xếp được, kèm mã lý do)', params: Params, response: { 200: Type.Unknown(), ...stateErrorResponses } },
    },
    async (request, reply) => {
      const runId = runInScope(request, request.params.runId);
      const file = app.provinceRuns.exceptionsFile(runId);
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${runId} - ${path.basename(file)}`)}`);
      return reply.send(fs.createReadStream(file));
    },
  );
};
export default route;
