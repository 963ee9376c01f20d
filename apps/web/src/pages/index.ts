// Every page of the app, in menu order, with the role it needs. Pages load on demand (code-split), so the
// first page and the sign-in form do not wait for the charts or the editing forms.
import { lazy } from 'react';
import type { PageDef } from '../lib/pages';

export const PAGES: PageDef[] = [
  { route: 'owner', title: '谁负责', minRole: 'reader', Component: lazy(() => import('./owner/OwnerPage')) },
  { route: 'list', title: '清单', minRole: 'reader', Component: lazy(() => import('./list/ListPage')) },
  { route: 'history', title: '事项历史', minRole: 'reader', Component: lazy(() => import('./history/HistoryPage')) },
  { route: 'department', title: '部门', minRole: 'reader', Component: lazy(() => import('./department/DepartmentPage')) },
  { route: 'staffing', title: '编制资源', minRole: 'reader', Component: lazy(() => import('./staffing/StaffingPage')) },
  { route: 'findings', title: '发现', minRole: 'reader', Component: lazy(() => import('./findings/FindingsPage')) },
  { route: 'versions', title: '版本', minRole: 'reader', Component: lazy(() => import('./editions/EditionsPage')) },
  { route: 'change-sets', title: '调整方案', minRole: 'reader', Component: lazy(() => import('./change-sets/ChangeSetsPage')) },
  { route: 'report', title: '争议报告', minRole: 'reviewer', Component: lazy(() => import('./report/ReportPage')) },
  { route: 'edit', title: '录入', minRole: 'editor', Component: lazy(() => import('./edit/EditPage')) },
  { route: 'imports', title: '导入', minRole: 'editor', Component: lazy(() => import('./imports/ImportsPage')) },
];
