/**
 * The columns of a decisions table (CSV or Excel): the first three are required, the others may
 * be there. Apart from the checks of decisions, which need the unit catalog, so that the web
 * page can offer the table to fill without loading the catalog.
 */
export const CUSTODIAN_TABLE = {
  unit: 'Mã đơn vị cũ',
  agency: 'Mã cơ quan lưu giữ',
  basis: 'Căn cứ',
  unitName: 'Tên đơn vị cũ',
  decisionNumber: 'Số quyết định',
  decisionDate: 'Ngày quyết định',
} as const;
