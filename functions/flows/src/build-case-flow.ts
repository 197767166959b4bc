/**
 * Writes functions/flows/case.asl.json. The case flow has eight human steps, each the same triple
 * (Plan → Await with a task token → Escalate on timeout → Await again); writing them by hand invites drift, so
 * this script states each step once. Run `npm run flows` after a change; a test fails when the committed file
 * differs from what this produces.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

type State = Record<string, unknown>;
const states: Record<string, State> = {};
const RETRY = [{ ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }];

/** One human step: `Plan<Name>` computes the deadline, `Await<Name>` waits for the person, `Escalate<Name>` on timeout. */
function humanStep(name: string, step: string, resultPath: string, next: string): void {
  const common = { tenant: '$.tenant', caseId: '$.caseId' };
  const params = (extra: Record<string, unknown>) => ({ 'tenant.$': common.tenant, 'caseId.$': common.caseId, step, ...extra });
  states[`Plan${name}`] = { Type: 'Task', Resource: '${PlanCaseStepFunctionArn}', Parameters: params({}), ResultPath: '$.deadline', Retry: RETRY, Next: `Await${name}` };
  states[`Await${name}`] = {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: {
      FunctionName: '${OpenTaskFunctionArn}',
      Payload: {
        'taskToken.$': '$$.Task.Token',
        'executionId.$': '$$.Execution.Id',
        'tenant.$': '$.tenant',
        subject: 'case',
        'itemId.$': '$.caseId',
        step,
        'dueAt.$': '$.deadline.dueAt',
        'escalations.$': '$.deadline.escalations',
        // The whole plan: its title and departments spare the open-task function a read of the case.
        'planned.$': '$.deadline',
      },
    },
    TimeoutSecondsPath: '$.deadline.seconds',
    ResultPath: resultPath,
    Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: `Escalate${name}` }],
    Next: next,
  };
  // The count the escalation starts from makes a repeated Escalate (a retry, a re-drive) record it only once.
  states[`Escalate${name}`] = { Type: 'Task', Resource: '${EscalateCaseStepFunctionArn}', Parameters: params({ 'escalations.$': '$.deadline.escalations' }), ResultPath: '$.deadline', Retry: RETRY, Next: `Await${name}` };
}

states.Intake = {
  Type: 'Choice',
  Comment: '信息采集: reports from untrusted sources are verified on site first (核实)',
  Choices: [{ Variable: '$.needsVerify', BooleanEquals: true, Next: 'PlanVerify' }],
  Default: 'PlanFile',
};
humanStep('Verify', 'case.verify', '$.verify', 'VerifyRoute');
states.VerifyRoute = { Type: 'Choice', Choices: [{ Variable: '$.verify.confirmed', BooleanEquals: false, Next: 'Cancelled' }], Default: 'PlanFile' };
humanStep('File', 'case.file', '$.file', 'FileRoute');
states.FileRoute = {
  Type: 'Choice',
  Comment: '案件建立: 立案 or 作废 by the shift leader',
  Choices: [{ Variable: '$.file.decision', StringEquals: 'file', Next: 'SmartDispatch' }],
  Default: 'Cancelled',
};
states.SmartDispatch = {
  Type: 'Task',
  Comment: 'CMD-7 smart dispatch: the rule table (matter × grid → department) dispatches when exactly one rule matches',
  Resource: '${SmartDispatchFunctionArn}',
  Parameters: { 'tenant.$': '$.tenant', 'caseId.$': '$.caseId' },
  ResultPath: '$.auto',
  Retry: RETRY,
  Next: 'DispatchRoute',
};
states.DispatchRoute = { Type: 'Choice', Choices: [{ Variable: '$.auto.dispatched', BooleanEquals: true, Next: 'PlanHandle' }], Default: 'PlanDispatch' };
humanStep('Dispatch', 'case.dispatch', '$.dispatch', 'PlanHandle');
humanStep('Handle', 'case.handle', '$.handle', 'HandleRoute');
states.HandleRoute = {
  Type: 'Choice',
  Comment: '任务处理: feedback, or a request to extend (延期), return (退回) or suspend (挂账)',
  Choices: [
    { Variable: '$.handle.action', StringEquals: 'feedback', Next: 'PlanCheck' },
    { Variable: '$.handle.action', StringEquals: 'extend', Next: 'PlanExtension' },
    { Variable: '$.handle.action', StringEquals: 'return', Next: 'PlanDispatch' },
    { Variable: '$.handle.action', StringEquals: 'suspend', Next: 'PlanSuspension' },
  ],
  Default: 'PlanHandle',
};
humanStep('Extension', 'case.extension-approval', '$.extension', 'PlanHandle');
humanStep('Suspension', 'case.suspension-approval', '$.suspension', 'SuspensionRoute');
states.SuspensionRoute = { Type: 'Choice', Choices: [{ Variable: '$.suspension.approve', BooleanEquals: true, Next: 'PlanResume' }], Default: 'PlanHandle' };
humanStep('Resume', 'case.suspended', '$.resume', 'PlanHandle');
humanStep('Check', 'case.check', '$.check', 'CheckRoute');
states.CheckRoute = {
  Type: 'Choice',
  Comment: '核查: pass closes the case, fail sends it back to the department (返工)',
  Choices: [{ Variable: '$.check.passed', BooleanEquals: true, Next: 'CloseCase' }],
  Default: 'PlanHandle',
};
states.CloseCase = { Type: 'Task', Resource: '${CloseCaseFunctionArn}', Parameters: { 'tenant.$': '$.tenant', 'caseId.$': '$.caseId' }, ResultPath: '$.closed', Retry: RETRY, Next: 'Closed' };
states.Closed = { Type: 'Succeed' };
states.Cancelled = { Type: 'Succeed' };

const definition = {
  Comment:
    'CMD-1 case loop (GENERATED by functions/flows/src/build-case-flow.ts — do not edit by hand): 信息采集 → 核实 → 立案/作废 → 派遣 (smart dispatch) → 处置 (延期/退回/挂账) → 反馈 → 核查 (返工) → 结案. Each human step waits for a task token with a limit from the tenant’s 立结案标准 and calendar; a timeout escalates (督办) and waits again.',
  StartAt: 'Intake',
  States: states,
};

export const CASE_FLOW_FILE = path.resolve(import.meta.dirname, '../case.asl.json');
export const caseFlowText = (): string => `${JSON.stringify(definition, null, 2)}\n`;

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeFileSync(CASE_FLOW_FILE, caseFlowText());
  console.log(`wrote ${path.relative(process.cwd(), CASE_FLOW_FILE)} (${Object.keys(states).length} states)`);
}
