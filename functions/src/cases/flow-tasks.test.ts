/** MUN-3: the Plan step hands the 核实 task to the nearest inspector alone, until it is escalated (督办). */
import { describe, expect, it } from 'vitest';
import type { Case } from '../../../contracts';
import { taskOf } from './flow-tasks';

const kase = (extra: Partial<Case> = {}) => ({ number: '430100-20261126-ABCDEF', description: '【井盖开启】芙蓉路井盖', departments: ['RQ'], assignedInspector: '430100.near', ...extra }) as Case;

describe('MUN-3 nearest inspector: who the planned task goes to', () => {
  it('a 核实 of a case with an assigned inspector goes to that inspector alone', () => {
    expect(taskOf(kase(), 'case.verify', false).assignees).toEqual(['430100.near']);
  });

  it('after an escalation it goes to every inspector again', () => {
    expect(taskOf(kase(), 'case.verify', true).assignees).toBeUndefined();
  });

  it('without an assigned inspector, or at another step, nobody is named', () => {
    expect(taskOf(kase({ assignedInspector: undefined }), 'case.verify', false).assignees).toBeUndefined();
    expect(taskOf(kase(), 'case.check', false)).toEqual({ title: '430100-20261126-ABCDEF 【井盖开启】芙蓉路井盖', departments: [] });
    expect(taskOf(kase(), 'case.handle', false).departments).toEqual(['RQ']);
  });
});
