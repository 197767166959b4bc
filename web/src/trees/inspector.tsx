/**
 * 监督员 (field inspector): phone first — the 位置共享 indicator (MUN-3: the phone's position is shared while this
 * page is open, so nearby alarm checks come here), the 核实/核查 tasks (each opens its case), 我的巡检 (MON-5 patrol
 * tasks), then 问题上报 with camera and GPS, then the modules and who I am.
 */
import { InspectorInbox, InspectorReportPanel } from '../components/case-panels';
import { HomeFrame, ModulesPanel } from '../components/home-frame';
import { PositionSharing } from '../components/position-sharing';
import { UserTenantCard } from '../components/user-tenant-card';
import { MyPatrolPanel } from '../pages/my-patrol';

export default function InspectorHome() {
  return (
    <HomeFrame
      tree="inspector"
      main={
        <>
          <PositionSharing />
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
