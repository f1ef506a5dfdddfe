/**
 * Who may see what. One rule, applied by every route: a user sees a resource only inside
 * their scope; outside it the resource is reported as not found (404), so an official of one
 * agency cannot even learn that another agency's record, file or workflow exists.
 */

export const ROLES = ['admin', 'coordinator', 'official', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS_VI: Record<Role, string> = {
  admin: 'Quản trị hệ thống',
  coordinator: 'Điều phối viên cấp tỉnh',
  official: 'Công chức hộ tịch',
  auditor: 'Kiểm toán viên',
};

export interface Principal {
  username: string;
  role: Role;
  /** Coordinators and officials always; auditors when scoped to one province. */
  provinceCode?: string | null;
  /** Officials only. */
  agencyCode?: string | null;
}

export interface ResourceScope {
  provinceCode: string;
  /** Absent for province-level resources (a province run, a received package). */
  agencyCode?: string | null;
}

export function canSee(user: Principal, resource: ResourceScope): boolean {
  switch (user.role) {
    case 'admin':
      return true;
    case 'auditor':
      return !user.provinceCode || user.provinceCode === resource.provinceCode;
    case 'coordinator':
      return user.provinceCode === resource.provinceCode;
    case 'official':
      return !!resource.agencyCode && user.agencyCode === resource.agencyCode;
  }
}
