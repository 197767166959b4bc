/**
 * The route table: sign-in pages, then one lazily loaded tree per role group behind the auth guard.
 * Trees come from roles/trees.ts, so adding a role or a section never means editing routes by hand.
 */
import { Navigate, Router, type RouteDefinition } from '@solidjs/router';
import { createEffect, lazy, type Component } from 'solid-js';
import { t } from './i18n';
import { Authed, NotFound, RoleRedirect, sectionPage, treeGuard } from './pages/authed';
import LoginPage from './pages/login';
import { TREES, type TreeId } from './roles/trees';

/** Pages of the sections marked `ready` in roles/trees.ts, by `<tree>/<section>`. */
const sectionPages = () => import('./pages/sections');
const evaluationPage = lazy(() => import('./pages/evaluation'));
export const SECTION_PAGES: Readonly<Record<string, Component>> = {
  'inspector/report': lazy(() => sectionPages().then((m) => ({ default: m.InspectorReportPage }))),
  'inspector/verify': lazy(() => sectionPages().then((m) => ({ default: m.InspectorVerifyPage }))),
  'command/accept': lazy(() => sectionPages().then((m) => ({ default: m.CommandAcceptPage }))),
  'command/dispatch': lazy(() => sectionPages().then((m) => ({ default: m.CommandDispatchPage }))),
  'command/close': lazy(() => sectionPages().then((m) => ({ default: m.CommandClosePage }))),
  'command/evaluation': evaluationPage,
  'department/handle': lazy(() => sectionPages().then((m) => ({ default: m.DepartmentHandlePage }))),
  'leader/evaluation': evaluationPage,
  'admin/evaluation': evaluationPage,
  'monitoring/alarms': lazy(() => import('./pages/monitoring/alarms')),
  'monitoring/devices': lazy(() => import('./pages/monitoring/devices')),
  'monitoring/dead-letters': lazy(() => import('./pages/monitoring/dead-letters')),
  'monitoring/patrol': lazy(() => import('./pages/monitoring/patrol')),
  'inspector/patrol': lazy(() => import('./pages/my-patrol')),
  'monitoring/risk-map': lazy(() => import('./pages/monitoring/risk-map')),
  'monitoring/risks': lazy(() => import('./pages/monitoring/risks')),
  'monitoring/hazards': lazy(() => import('./pages/monitoring/hazards')),
  'monitoring/plans': lazy(() => import('./pages/monitoring/plans')),
};

/** Pages of a tree below its sections (a device of the registry). */
export const TREE_ROUTES: Readonly<Partial<Record<TreeId, readonly RouteDefinition[]>>> = {
  monitoring: [
    { path: '/devices/:id', component: lazy(() => import('./pages/monitoring/device-detail')) },
    { path: '/plans/:id', component: lazy(() => import('./pages/monitoring/plans').then((m) => ({ default: m.PlanDetailPage }))) },
  ],
};

const HOMES: Record<TreeId, Component> = {
  command: lazy(() => import('./trees/command')),
  department: lazy(() => import('./trees/department')),
  inspector: lazy(() => import('./trees/inspector')),
  enforcement: lazy(() => import('./trees/enforcement')),
  monitoring: lazy(() => import('./trees/monitoring')),
  leader: lazy(() => import('./trees/leader')),
  admin: lazy(() => import('./trees/admin')),
  province: lazy(() => import('./trees/province')),
  citizen: lazy(() => import('./trees/citizen')),
};

export const routes: RouteDefinition[] = [
  { path: '/login', component: LoginPage },
  { path: '/auth/callback', component: lazy(() => import('./pages/oidc-callback')) },
  {
    path: '/',
    component: Authed,
    children: [
      { path: '/', component: RoleRedirect },
      ...Object.values(TREES).map(
        (tree): RouteDefinition => ({
          path: tree.path,
          component: treeGuard(tree.id),
          children: [
            { path: '/', component: HOMES[tree.id] },
            ...tree.sections.flatMap((section): RouteDefinition[] => {
              const href = section.href;
              if (href) return [{ path: `/${section.path}`, component: () => <Navigate href={href} /> }];
              const page = section.ready ? SECTION_PAGES[`${tree.id}/${section.path}`] : undefined;
              return page ? [{ path: `/${section.path}`, component: page }] : [];
            }),
            ...(TREE_ROUTES[tree.id] ?? []),
            { path: '/:section', component: sectionPage(tree.id) },
          ],
        }),
      ),
      { path: '/case/:id', component: lazy(() => import('./pages/case-detail')) },
      { path: '/evaluation', component: evaluationPage },
      { path: '*', component: NotFound },
    ],
  },
];

export function App() {
  createEffect(() => {
    document.title = t('app.title');
  });
  return <Router>{routes}</Router>;
}
