/**
 * The tree sections that are open (roles/trees.ts marks them `ready`); each is a lazily loaded page.
 * Sections not listed here still show the honest "not yet available" page.
 */
import { CaseQueues, DepartmentCases, InspectorInbox, InspectorReportPanel, IntakePanel } from '../components/case-panels';
import { TaskList } from '../components/task-list';
import { t } from '../i18n';
import type { TreeId } from '../roles/trees';
import type { JSX } from 'solid-js';
import { TREES } from '../roles/trees';

function SectionFrame(props: { tree: TreeId; section: string; children: JSX.Element }) {
  const label = () => TREES[props.tree].sections.find((s) => s.path === props.section)?.label;
  return (
    <section class="home" data-testid="section-page" data-section={`${props.tree}/${props.section}`}>
      <header class="home-head">
        <h1>{label() ? t(label()!) : props.section}</h1>
      </header>
      <div class="section-body">{props.children}</div>
    </section>
  );
}

export function InspectorReportPage() {
  return (
    <SectionFrame tree="inspector" section="report">
      <InspectorReportPanel />
    </SectionFrame>
  );
}

export function InspectorVerifyPage() {
  return (
    <SectionFrame tree="inspector" section="verify">
      <InspectorInbox />
    </SectionFrame>
  );
}

export function CommandAcceptPage() {
  return (
    <SectionFrame tree="command" section="accept">
      <IntakePanel />
      <CaseQueues statuses={['verifying', 'filing']} />
    </SectionFrame>
  );
}

export function CommandDispatchPage() {
  return (
    <SectionFrame tree="command" section="dispatch">
      <CaseQueues statuses={['dispatching', 'extension-review']} />
    </SectionFrame>
  );
}

export function CommandClosePage() {
  return (
    <SectionFrame tree="command" section="close">
      <CaseQueues statuses={['checking', 'suspension-review', 'suspended']} />
    </SectionFrame>
  );
}

export function DepartmentHandlePage() {
  return (
    <SectionFrame tree="department" section="handle">
      <DepartmentCases />
      <TaskList title={t('cases.caseTasks')} filter={(task) => task.subject === 'case'} />
    </SectionFrame>
  );
}
