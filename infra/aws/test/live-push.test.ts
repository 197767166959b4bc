/**
 * The screens' live push in the synthesized app (ADR 009): the custom authorizer and who may invoke it, the
 * data endpoint handed to the publishers, and publish rights limited to cityops/live/* for exactly the
 * functions that publish.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LIVE_TOPIC_ROOT } from '../../../contracts/src/mqtt';
import { LIVE_PUBLISH_TOPICS, liveAuthorizerName } from '../lib/live-push';
import { actionsOf, allStacks, built, logicalId, resourcesOf, roleStatements, template } from './support';

describe.each(['aws', 'aws-cn'] as const)('live push to the screens (%s)', (partition) => {
  const b = built(partition);
  const iot = template(b.iot);
  const api = template(b.api);
  const live = b.iot.live;
  const publishTopics = { 'Fn::Join': ['', [`arn:${partition}:iot:${b.config.region}:`, { Ref: 'AWS::AccountId' }, ':topic/cityops/live/*']] };

  it('has one IoT Core custom authorizer, signing disabled (the OIDC token is the credential), backed by the authorizer Lambda', () => {
    iot.resourceCountIs('AWS::IoT::Authorizer', 1);
    iot.hasResourceProperties('AWS::IoT::Authorizer', {
      AuthorizerName: liveAuthorizerName('dev'),
      AuthorizerFunctionArn: { 'Fn::GetAtt': [logicalId(live.authorizerFunction!), 'Arn'] },
      SigningDisabled: true,
      Status: 'ACTIVE',
      EnableCachingForHttp: false,
    });
    expect(live.authorizerName).toBe('cityops-dev-live');
  });

  it('lets only IoT Core, for this authorizer in this account, invoke the authorizer Lambda', () => {
    const fn = logicalId(live.authorizerFunction!);
    const permissions = Object.values(iot.findResources('AWS::Lambda::Permission')).filter((p) => JSON.stringify(p.Properties.FunctionName).includes(fn));
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.Properties).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
      Principal: 'iot.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { 'Fn::GetAtt': [b.iot.resolve(live.authorizer!.logicalId), 'Arn'] },
    });
  });

  it('gives the authorizer the staff issuer settings, IoT Core’s 5 s limit and no AWS rights beyond its logs', () => {
    const fn = logicalId(live.authorizerFunction!);
    const props = iot.findResources('AWS::Lambda::Function')[fn]?.Properties;
    expect(props.Timeout).toBeLessThanOrEqual(5);
    // The same issuer settings as the API function (the same verifier runs in both).
    const apiVars = api.findResources('AWS::Lambda::Function')[logicalId(b.api.apiFunction)]?.Properties.Environment.Variables;
    const mine = props.Environment.Variables;
    for (const key of ['OIDC_ISSUER', 'OIDC_AUDIENCE', 'CLAIM_TENANT', 'CLAIM_ROLES', 'CLAIM_DEPARTMENT']) {
      expect(mine[key], key).toBeDefined();
      if (typeof apiVars[key] === 'string') expect(mine[key], key).toBe(apiVars[key]);
    }
    expect(mine.POWERTOOLS_SERVICE_NAME).toBe('cityops-live-authorizer');
    expect(mine.TABLE_NAME).toBeUndefined();
    const actions = roleStatements(iot, logicalId(live.authorizerFunction!.role!)).flatMap(actionsOf);
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual([]);
  });

  it('looks up the ATS data endpoint once at deploy (DescribeEndpoint iot:Data-ATS, no SDK download)', () => {
    iot.hasResourceProperties('Custom::AWS', {
      Create: Match.serializedJson(Match.objectLike({ service: 'IoT', action: 'describeEndpoint', parameters: { endpointType: 'iot:Data-ATS' }, outputPaths: ['endpointAddress'] })),
      InstallLatestAwsSdk: false,
    });
  });

  it('hands the endpoint to every publisher (ingest, sweep, API, stream) and the authorizer name to the API only', () => {
    const endpoint = { 'Fn::GetAtt': [Match.stringLikeRegexp('^LivePushIotDataEndpoint'), 'endpointAddress'] };
    for (const fn of [b.iot.ingestFunction!, b.iot.sweepFunction!]) {
      const vars = iot.findResources('AWS::Lambda::Function')[logicalId(fn)]?.Properties.Environment.Variables;
      expect(Match.objectLike({ IOT_DATA_ENDPOINT: endpoint }).test(vars).isSuccess, fn.node.id).toBe(true);
      expect(vars.IOT_LIVE_AUTHORIZER).toBeUndefined();
    }
    const fromIot = { 'Fn::ImportValue': Match.stringLikeRegexp('LivePushIotDataEndpoint') };
    const apiVars = api.findResources('AWS::Lambda::Function')[logicalId(b.api.apiFunction)]?.Properties.Environment.Variables;
    expect(Match.objectLike({ IOT_DATA_ENDPOINT: fromIot, IOT_LIVE_AUTHORIZER: 'cityops-dev-live' }).test(apiVars).isSuccess).toBe(true);
    const streamVars = api.findResources('AWS::Lambda::Function')[logicalId(b.api.streamFunction)]?.Properties.Environment.Variables;
    expect(Match.objectLike({ IOT_DATA_ENDPOINT: fromIot }).test(streamVars).isSuccess).toBe(true);
    expect(streamVars.IOT_LIVE_AUTHORIZER).toBeUndefined();
  });

  it('grants iot:Publish on cityops/live/* only, to the four publishers only', () => {
    expect(LIVE_PUBLISH_TOPICS).toBe(`${LIVE_TOPIC_ROOT}/*`);
    const publishers = [
      [iot, b.iot.ingestFunction!],
      [iot, b.iot.sweepFunction!],
      [api, b.api.apiFunction],
      [api, b.api.streamFunction],
    ] as const;
    for (const [t, fn] of publishers) {
      const publish = roleStatements(t, logicalId(fn.role!)).filter((s) => actionsOf(s).includes('iot:Publish'));
      expect(publish, fn.node.id).toHaveLength(1);
      expect(actionsOf(publish[0]!)).toEqual(['iot:Publish']);
      expect(resourcesOf(publish[0]!)).toEqual([publishTopics]);
    }
    // Nobody else publishes anywhere, and no publish right is wider than cityops/live/*.
    const publisherRoles = publishers.map(([, fn]) => logicalId(fn.role!));
    for (const stack of allStacks(b)) {
      for (const [id, policy] of Object.entries(template(stack).findResources('AWS::IAM::Policy'))) {
        for (const s of policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>) {
          const acts = Array.isArray(s.Action) ? s.Action : [s.Action];
          if (!acts.some((a) => a === 'iot:Publish' || a === 'iot:*' || a === '*')) continue;
          expect(JSON.stringify(policy.Properties.Roles), id).toMatch(new RegExp(publisherRoles.join('|')));
          expect(s.Resource, id).toEqual(publishTopics);
        }
      }
    }
  });
});
