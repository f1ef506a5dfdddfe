import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bookKey } from '../../../../../../domain/naming/scan-name';
import { REGISTER_TYPE_CODES, type RegisterTypeCode } from '../../../../../../domain/registers/register-types';
import { standingClaim } from '../../../../../../domain/review/review-rules';
import { agencyInScope, reviewActor } from '../../../../../agency-scope';
import { AgencyCode, stateErrorResponses } from '../../../../../schemas';

const BookRefSchema = Type.Object({
  registerType: Type.Unsafe<RegisterTypeCode>({ type: 'string', enum: [...REGISTER_TYPE_CODES] }),
  unitCode: Type.String({ pattern: '^[0-9]{3}([0-9]{2})?$', description: 'Đơn vị giữ sổ' }),
  bookYear: Type.Integer({ minimum: 1900, maximum: 2100 }),
  bookKey: Type.String({ minLength: 1, maxLength: 20, description: 'Số quyển ("01" = "1")' }),
});
const Params = Type.Object({ agencyCode: AgencyCode });
const Body = Type.Object({ book: BookRefSchema });
// Clients write the book number as the register does; the run compares it without leading zeros.
const asRef = (b: typeof BookRefSchema.static) => ({ ...b, bookKey: bookKey(b.bookKey) });

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['official', 'coordinator', 'auditor'] },
      schema: {
        tags: ['review'],
        summary: 'Bước 4: các quyển sổ đang kiểm tra của cơ quan (số hồ sơ theo trạng thái, ai đang nhận sổ) và tiến độ chuyển',
        params: Params,
        response: { 200: Type.Unknown(), ...stateErrorResponses },
      },
    },
    async (request) => {
      const agency = await agencyInScope(request, request.params.agencyCode);
      const state = await app.agencyReview.state(agency.code);
      const now = Date.now();
      return {
        agencyCode: agency.code,
        phase: state.phase,
        // A lapsed claim holds nothing: showing it would keep officials away from a free book.
        books: state.books.map(({ claim, ...b }) => ({ ...b, claim: standingClaim({ claim }, now, app.config.review) ?? null })),
        transfer: state.transfer,
        decisionBatches: state.decisionBatches,
        closed: state.closed ?? null,
      };
    },
  );

  app.post(
    '/claim',
    {
      config: { access: ['official'] },
      schema: {
        tags: ['review'],
        summary: 'Bước 4: công chức nhận kiểm tra một quyển sổ; người khác không quyết định trên sổ đó cho đến khi trả sổ hoặc quá thời gian không thao tác',
        params: Params,
        body: Body,
        response: { 200: Type.Object({ by: Type.String(), since: Type.String(), lastActiveAt: Type.String() }), ...stateErrorResponses },
      },
    },
    async (request) => {
      const agency = await agencyInScope(request, request.params.agencyCode);
      return app.agencyReview.claim(agency.code, reviewActor(request.principal!), asRef(request.body.book));
    },
  );

  app.post(
    '/release',
    {
      config: { access: ['official', 'coordinator'] },
      schema: {
        tags: ['review'],
        summary: 'Bước 4: trả sổ (người đang nhận), hoặc điều phối viên giải phóng sổ',
        params: Params,
        body: Body,
        response: { 200: Type.Object({ released: Type.Boolean() }), ...stateErrorResponses },
      },
    },
    async (request) => {
      const agency = await agencyInScope(request, request.params.agencyCode);
      await app.agencyReview.release(agency.code, reviewActor(request.principal!), asRef(request.body.book));
      return { released: true };
    },
  );
};
export default route;
