/**
 * 监督员 (field inspector): phone first — the 核实/核查 tasks on top (each opens its case), 我的巡检 (MON-5 patrol
 * tasks), then 问题上报 with camera and GPS, then the modules and who I am.
 */
import { InspectorInbox, InspectorReportPanel } from '../components/case-panels';
import { HomeFrame, ModulesPanel } from '../components/home-frame';
import { UserTenantCard } from '../components/user-tenant-card';
import { MyPatrolPanel } from '../pages/my-patrol';

export default function InspectorHome() {
  return (
    <HomeFrame
      tree="inspector"
      main={
        <>
          <InspectorInbox />
          <MyPatrolPanel />
          <InspectorReportPanel />
          <ModulesPanel tree="inspector" />
        </>
      }
      aside={<UserTenantCard />}
    />
  );
}
