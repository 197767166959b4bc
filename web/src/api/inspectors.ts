/**
 * The inspectors' endpoints (MUN-3 位置共享): the phone's position, write-only, through the client's one request
 * function (token, error body, response parsed with the contract).
 */
import { InspectorPositionReceived, type ReportInspectorPosition } from '../../../contracts';
import { post } from './endpoint';

export const inspectorsApi = {
  /** Until when the position counts and when to report again; the position itself never comes back. */
  sharePosition: (input: ReportInspectorPosition) => post('/v1/inspectors/me/position', input, InspectorPositionReceived),
};
