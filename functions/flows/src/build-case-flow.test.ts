import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASE_FLOW_FILE, caseFlowText } from './build-case-flow';

describe('CMD-1 case flow file', () => {
  it('is exactly what the generator writes (run `npm run flows` after changing it)', () => {
    expect(readFileSync(CASE_FLOW_FILE, 'utf8')).toBe(caseFlowText());
  });

  it('gives every human step a time limit path and a timeout escalation', () => {
    const def = JSON.parse(caseFlowText()) as { States: Record<string, { Resource?: string; TimeoutSecondsPath?: string; Catch?: { ErrorEquals: string[]; Next: string }[] }> };
    const waits = Object.entries(def.States).filter(([, s]) => s.Resource?.endsWith('waitForTaskToken'));
    expect(waits.map(([n]) => n).sort()).toEqual(['AwaitCheck', 'AwaitDispatch', 'AwaitExtension', 'AwaitFile', 'AwaitHandle', 'AwaitResume', 'AwaitSuspension', 'AwaitVerify']);
    for (const [name, s] of waits) {
      expect(s.TimeoutSecondsPath, name).toBe('$.deadline.seconds');
      expect(s.Catch?.[0], name).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: name.replace('Await', 'Escalate') });
    }
  });
});
