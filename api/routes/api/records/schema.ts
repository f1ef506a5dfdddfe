import { Type } from '@sinclair/typebox';

export const RecordSummarySchema = Type.Object({
  id: Type.Integer(),
  agencyCode: Type.String(),
  provinceCode: Type.String(),
  registerType: Type.String(),
  bookYear: Type.Integer(),
  bookNumber: Type.String(),
  registrationNumber: Type.String(),
  state: Type.String(),
  version: Type.Integer(),
});

export const RecordDetailSchema = Type.Composite([
  RecordSummarySchema,
  Type.Object({
    data: Type.Record(Type.String(), Type.Unknown()),
    pages: Type.Array(Type.Object({ page: Type.Integer(), sha256: Type.String(), url: Type.String() })),
  }),
]);
