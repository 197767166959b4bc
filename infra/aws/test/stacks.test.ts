import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TABLE } from '../../../functions/src/data/table';
import { placeholdersOf } from '../lib/asl';
import { actionsOf, allStacks, build, built, CN_CONTEXT, fakeWebDist, logicalId, resourcesOf, roleStatements, template } from './support';

describe.each(['aws', 'aws-cn'] as const)('%s partition', (partition) => {
  const b = built(partition);

  describe('data stack', () => {
    const t = template(b.data);

    it('builds the table from TABLE: keys, GSIs, TTL, stream', () => {
      t.resourceCountIs('AWS::DynamoDB::Table', 1);
      t.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE.indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
        StreamSpecification: { StreamViewType: TABLE.stream },
        BillingMode: 'PAY_PER_REQUEST',
      });
    });

    it('protects the table: PITR, deletion protection, SSE with the customer-managed KMS key, retained', () => {
      t.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } },
        }),
      });
    });

    it('rotates every KMS key', () => {
      for (const stack of allStacks(b)) {
        for (const key of Object.values(template(stack).findResources('AWS::KMS::Key'))) {
          expect(key.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
          expect(key.Properties.EnableKeyRotation).toBe(true);
        }
      }
    });

    it('has a versioned, KMS-encrypted files bucket with access logs', () => {
      t.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BucketName: { 'Fn::Join': ['', ['cityops-dev-files-', { Ref: 'AWS::AccountId' }, `-${b.config.region}`]] },
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } },
            ],
          },
          LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
        }),
      });
    });
  });

  it('blocks public access, encrypts and requires SSL on every bucket of every stack', () => {
    let buckets = 0;
    for (const stack of allStacks(b)) {
      const t = template(stack);
      const policies = Object.values(t.findResources('AWS::S3::BucketPolicy'));
      for (const [id, bucket] of Object.entries(t.findResources('AWS::S3::Bucket'))) {
        buckets++;
        expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties.BucketEncryption, id).toBeDefined();
        const policy = policies.find((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id }));
        expect(policy, `${id} has no bucket policy`).toBeDefined();
        expect(policy?.Properties.PolicyDocument.Statement).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        );
      }
    }
    expect(buckets).toBeGreaterThanOrEqual(4);
  });

  describe('api stack', () => {
    const t = template(b.api);
    const apiFn = logicalId(b.api.apiFunction);
    const apiRole = logicalId(b.api.apiFunction.role!);
    const statements = roleStatements(t, apiRole);

    it('runs the api handler on Node 22 arm64 with X-Ray and the configuration the app reads', () => {
      t.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        Environment: {
          Variables: Match.objectLike({
            TABLE_NAME: Match.anyValue(),
            OIDC_ISSUER: partition === 'aws-cn' ? CN_CONTEXT.oidcIssuer : Match.anyValue(),
            OIDC_AUDIENCE: partition === 'aws-cn' ? CN_CONTEXT.oidcAudience : Match.anyValue(),
            CLAIM_TENANT: partition === 'aws-cn' ? 'cityops:tenant' : 'custom:tenant',
            CLAIM_ROLES: Match.anyValue(),
            CLAIM_DEPARTMENT: Match.anyValue(),
            STATE_MACHINE_ARNS: Match.anyValue(),
            CITIZEN_ISSUER: Match.anyValue(),
            POWERTOOLS_SERVICE_NAME: 'cityops-api',
            LOG_LEVEL: 'INFO',
          }),
        },
      });
      expect(Object.keys(t.findResources('AWS::Lambda::Function'))).toContain(apiFn);
    });

    it('gives the api Lambda DynamoDB access only to the table and its named indexes', () => {
      const ddb = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
      expect(ddb.length).toBeGreaterThan(0);
      for (const s of ddb) {
        expect(actionsOf(s).every((a) => !a.includes('*')), JSON.stringify(s.Action)).toBe(true);
        expect(actionsOf(s)).not.toContain('dynamodb:Scan');
        const resources = JSON.stringify(resourcesOf(s));
        expect(resources).not.toContain('*');
        expect(resourcesOf(s)).toHaveLength(1 + TABLE.indexes.length);
        for (const i of TABLE.indexes) expect(resources).toContain(`/index/${i.name}`);
      }
    });

    it('lets the api Lambda start executions and send task success/failure on the flow machines only', () => {
      const sfn = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('states:')));
      const actions = sfn.flatMap(actionsOf).sort();
      expect(actions).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess', 'states:StartExecution']);
      for (const s of sfn) {
        expect(JSON.stringify(resourcesOf(s))).not.toContain('*');
        expect(resourcesOf(s)).toHaveLength(b.flows.stateMachines.size);
      }
    });

    it('serves an HTTP API with access logging and throttling on the $default stage', () => {
      t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context.requestId') },
        DefaultRouteSettings: { ThrottlingBurstLimit: 400, ThrottlingRateLimit: 200 },
      });
      // No gateway authorizer by design: the Lambda verifies tokens of both issuers (see api-stack.ts).
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'NONE' });
    });

    it('reads the table stream with partial batch failures and a DLQ', () => {
      t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        StartingPosition: 'TRIM_HORIZON',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
    });
  });

  describe('flows stack', () => {
    const t = template(b.flows);
    const machines = Object.values(t.findResources('AWS::StepFunctions::StateMachine'));

    it('makes one Standard machine per ASL file, logging ALL to an encrypted group, X-Ray on', () => {
      expect(machines).toHaveLength(b.flows.stateMachines.size);
      for (const m of machines) {
        expect(m.Properties.StateMachineType).toBe('STANDARD');
        expect(m.Properties.LoggingConfiguration.Level).toBe('ALL');
        expect(m.Properties.TracingConfiguration).toEqual({ Enabled: true });
      }
      t.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/cityops-dev-'),
        KmsKeyId: Match.anyValue(),
      });
    });

    it('has definitions without an arn:aws: literal whose placeholders are all substituted', () => {
      for (const m of machines) {
        const definition = m.Properties.DefinitionString as string;
        expect(typeof definition).toBe('string');
        expect(definition).not.toContain('arn:aws:');
        const substitutions = m.Properties.DefinitionSubstitutions as Record<string, unknown>;
        expect(Object.keys(substitutions).sort()).toEqual(placeholdersOf(definition));
        expect(substitutions.Partition).toBe(partition);
        for (const [key, value] of Object.entries(substitutions)) {
          if (key.endsWith('FunctionArn')) expect(JSON.stringify(value)).toMatch(new RegExp(`^\\{"Fn::GetAtt":\\["${key.replace(/Arn$/, '')}[0-9A-F]{8}","Arn"\\]\\}$`));
        }
      }
    });

    it('lets each machine invoke exactly its task functions, and the task functions touch only the table', () => {
      for (const [, machine] of b.flows.stateMachines) {
        const roleId = logicalId(machine.role);
        const invoke = roleStatements(t, roleId).filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
        expect(invoke).toHaveLength(1);
        expect(JSON.stringify(invoke[0]?.Resource)).not.toContain('*');
      }
      for (const [name, fn] of b.flows.functions) {
        const roleId = logicalId(fn.role!);
        const ddb = roleStatements(t, roleId).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
        expect(ddb, name).toHaveLength(1);
        const actions = actionsOf(ddb[0]!);
        if (name === 'PlanStep') expect(actions.some((a) => /Put|Update|Delete|Write/.test(a))).toBe(false);
        expect(JSON.stringify(ddb[0]?.Resource)).not.toContain('*');
      }
    });
  });

  it('uses Node 22 on arm64 with X-Ray, ESM bundles and no managed policies for every app Lambda', () => {
    for (const stack of [b.api, b.flows, b.iot]) {
      const t = template(stack);
      for (const [id, fn] of Object.entries(t.findResources('AWS::Lambda::Function'))) {
        // aws-cdk-lib's own AwsCustomResource Lambda (the IoT data endpoint lookup, live-push.ts) picks its runtime itself.
        if (id.startsWith('AWS679f53fac002430cb0da5b7982bd2287')) continue;
        expect(fn.Properties.Runtime, id).toBe('nodejs22.x');
        expect(fn.Properties.Architectures, id).toEqual(['arm64']);
        expect(fn.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
      }
      for (const role of Object.values(t.findResources('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('alarms on Lambda errors/throttles, API 5xx, flow failures, DLQ depth and table throttles, with one dashboard', () => {
    const t = template(b.observability);
    const names = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.MetricName as string);
    for (const metric of ['Errors', 'Throttles', '5xx', 'ExecutionsFailed', 'ApproximateNumberOfMessagesVisible', 'ReadThrottleEvents', 'WriteThrottleEvents']) {
      expect(names, metric).toContain(metric);
    }
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });
});

describe('global partition specifics', () => {
  const b = built('aws');

  it('creates a Cognito user pool with tenant/roles/department attributes when no issuer is given', () => {
    const t = template(b.identity);
    t.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith(['tenant', 'roles', 'department'].map((Name) => Match.objectLike({ Name, AttributeDataType: 'String', Mutable: true }))),
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false, WriteAttributes: Match.not(Match.arrayWith(['custom:tenant'])) });
  });

  it('uses no Cognito with an external issuer', () => {
    const ext = build('aws', { context: { oidcIssuer: 'https://idp.example.com', oidcAudience: 'cityops' } });
    template(ext.identity).resourceCountIs('AWS::Cognito::UserPool', 0);
    expect(ext.identity.staff).toMatchObject({ kind: 'external', issuer: 'https://idp.example.com', claims: { tenant: 'cityops:tenant' } });
  });

  it('serves the web app through CloudFront with OAC, SPA fallback, security headers and logs', () => {
    const t = template(b.web);
    t.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        CustomErrorResponses: [403, 404].map((ErrorCode) => ({ ErrorCode, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 })),
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', ResponseHeadersPolicyId: Match.anyValue() }),
      }),
    });
    t.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({ ContentSecurityPolicy: Match.stringLikeRegexp("frame-ancestors 'none'") }),
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 63072000 }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentTypeOptions: { Override: true },
        }),
      }),
    });
    // Synth works without a web build: no BucketDeployment then.
    t.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });

  it('deploys web/dist with invalidation when the build exists', () => {
    const withDist = build('aws', { webDistDir: fakeWebDist() });
    template(withDist.web).hasResourceProperties('Custom::CDKBucketDeployment', { DistributionPaths: ['/*'] });
  });
});

describe('China partition specifics', () => {
  const b = built('aws-cn');

  it('contains no arn:aws: string anywhere in any template', () => {
    for (const stack of allStacks(b)) expect(JSON.stringify(template(stack).toJSON()), stack.stackName).not.toContain('arn:aws:');
    const variant = build('aws-cn', {
      webDistDir: fakeWebDist(),
      context: { webDomainNames: 'www.cityops.example.cn', webIamCertificateId: 'ASCAEXAMPLE', alarmEmail: 'ops@example.cn' },
    });
    for (const stack of allStacks(variant)) expect(JSON.stringify(template(stack).toJSON()), stack.stackName).not.toContain('arn:aws:');
  });

  it('creates no Cognito user pool and verifies against the external issuer', () => {
    template(b.identity).resourceCountIs('AWS::Cognito::UserPool', 0);
    expect(b.identity.staff).toMatchObject({ kind: 'external', issuer: CN_CONTEXT.oidcIssuer, audience: CN_CONTEXT.oidcAudience });
  });

  it('creates no CloudFront distribution without an ICP-filed domain and IAM certificate', () => {
    template(b.web).resourceCountIs('AWS::CloudFront::Distribution', 0);
  });

  it('creates a CloudFront China distribution (alias, IAM certificate, OAI, SPA fallback) when given both', () => {
    const cn = build('aws-cn', { context: { webDomainNames: 'www.cityops.example.cn', webIamCertificateId: 'ASCAEXAMPLE' } });
    const t = template(cn.web);
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['www.cityops.example.cn'],
        DefaultRootObject: 'index.html',
        ViewerCertificate: { IamCertificateId: 'ASCAEXAMPLE', MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
        CustomErrorResponses: Match.arrayWith([Match.objectLike({ ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html' })]),
      }),
    });
    t.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 1);
    t.resourceCountIs('AWS::CloudFront::OriginAccessControl', 0);
  });
});
