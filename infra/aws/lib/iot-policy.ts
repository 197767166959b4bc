/**
 * IoT Core policy document (and, re-exported, the rule table), derived from the topic grammar in contracts/src/mqtt.ts (the local
 * broker's ACL is derived from the same module). Pure: no CDK, so tests can check it directly.
 *
 * A device is an IoT thing whose name is its device id and whose attribute `tenant` is its tenant's division
 * code. The policy variables pin each connection to its own thing: client id = thing name (and the thing must
 * be attached to the certificate), publish only under cityops/<its tenant>/devices/<its name>/. Because of that,
 * `topic(2)` and `topic(4)` in the rule SQL are trustworthy tenant and device ids.
 */
import { devicePrefix } from '../../../contracts/src/mqtt';
import { THING_TENANT_ATTRIBUTE } from '../../../functions/src/devices/provisioner';

// The rules themselves are declared in functions/src/devices/telemetry-rules.ts (the local stack routes through
// the same table); re-exported here for the IoT stack and its tests.
export { ARCHIVE_KEY_TEMPLATE as TELEMETRY_ARCHIVE_KEY, TELEMETRY_RULES, telemetryRuleSql } from '../../../functions/src/devices/telemetry-rules';
export { THING_TENANT_ATTRIBUTE };
export const TENANT_POLICY_VARIABLE = `\${iot:Connection.Thing.Attributes[${THING_TENANT_ATTRIBUTE}]}`;
export const THING_NAME_POLICY_VARIABLE = '${iot:Connection.Thing.ThingName}';

export interface ArnContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** `cityops/${iot:Connection.Thing.Attributes[tenant]}/devices/${iot:Connection.Thing.ThingName}/*` */
export function devicePublishTopicPattern(): string {
  return `${devicePrefix(TENANT_POLICY_VARIABLE, THING_NAME_POLICY_VARIABLE)}*`;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: ReadonlyArray<{
    readonly Sid: string;
    readonly Effect: 'Allow' | 'Deny';
    readonly Action: string | string[];
    readonly Resource: string | string[];
    readonly Condition?: Record<string, Record<string, string>>;
  }>;
}

export function devicePolicyDocument(ctx: ArnContext): PolicyDocument {
  const arn = (resource: string): string => `arn:${ctx.partition}:iot:${ctx.region}:${ctx.account}:${resource}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ConnectAsOwnThing',
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: arn(`client/${THING_NAME_POLICY_VARIABLE}`),
        Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
      },
      {
        Sid: 'PublishUnderOwnPrefix',
        Effect: 'Allow',
        Action: 'iot:Publish',
        Resource: arn(`topic/${devicePublishTopicPattern()}`),
      },
    ],
  };
}

/** The device policy's name per stage (the IoT stack creates it; the API attaches it to new certificates). */
export const devicePolicyName = (stage: string): string => `cityops-${stage}-device`;
