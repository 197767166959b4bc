/**
 * Dependencies of the Lambda entry points, built once per cold start from the environment. The local stack
 * builds the same AppDeps from its own parts (infra/local/platform.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { IoTClient } from '@aws-sdk/client-iot';
import type { MiddlewareObj } from '@middy/core';
import type { JWK } from 'jose';
import { z } from 'zod';
import type { AppDeps } from '../api/deps';
import { createCitizenIssuer } from '../auth/citizen-issuer';
import { createVerifier, type IssuerConfig } from '../auth/verify';
import { staffIssuer } from '../auth/staff-issuer';
import { loadConfig } from '../config';
import { Store } from '../data/store';
import { sfnGateway } from '../flows/sfn-gateway';
import { weChatClient } from '../wechat/client';
import { logger } from '../shared/logger';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { S3Client } from '@aws-sdk/client-s3';
import { gridLookup } from '../basedata/grid-lookup';
import { catalogueCheck } from '../cases/catalogue';
import type { CaseEnv } from '../cases/ports';
import { s3FileStore } from '../photos/file-stores';
import type { DeviceEnv } from '../devices/devices';
import { IotDeviceProvisioner } from '../devices/iot-provisioner';
import { noLiveEvents, type LiveEvents } from '../monitoring/ingest';
import { IotLivePublisher, signedHttpsPublish, type LivePublisher } from '../monitoring/iot-live-publisher';

export const config = loadConfig();
export const store = new Store({
  // DYNAMODB_ENDPOINT is only set to run these handlers against DynamoDB Local (tests).
  client: new DynamoDBClient({ region: config.AWS_REGION, ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}) }),
  tableName: config.TABLE_NAME,
});

/**
 * A JSON secret, or undefined when it is not configured or not yet set after deploy (the feature stays off and
 * its routes answer WECHAT_UNAVAILABLE). A secret that is set but malformed is an error.
 */
async function readSecret<S extends z.ZodType>(arn: string | undefined, schema: S): Promise<z.infer<S> | undefined> {
  if (!arn) return undefined;
  const value = await getSecret(arn, { transform: 'json' }).catch((err: Error) => {
    logger.warn('secret not readable; feature off', { secret: arn.split(':').pop(), error: err.name });
    return undefined;
  });
  return value === undefined ? undefined : schema.parse(value);
}

/** Completing flow steps from the flow functions themselves (a claimed step handed to its re-opened task). */
export const gateway = sfnGateway(new SFNClient({ region: config.AWS_REGION }), z.record(z.string(), z.string()).parse(JSON.parse(config.STATE_MACHINE_ARNS)));

/** The case module's ports in AWS: photos in the files bucket (FILES_BUCKET), base data and catalogue from the table. */
export const caseEnv: CaseEnv = {
  store,
  gateway,
  files: s3FileStore(new S3Client({ region: config.AWS_REGION }), process.env.FILES_BUCKET ?? ''),
  geo: gridLookup,
  catalogue: catalogueCheck,
  now: () => new Date(),
};

/**
 * The live push in AWS (ADR 009): the monitoring screens' changes go to IoT Core topics when the stage's data
 * endpoint is configured (IOT_DATA_ENDPOINT, set by the CDK IoT stack); otherwise nothing is pushed and the
 * screens load their lists.
 */
export const livePublisher: LivePublisher | undefined = process.env.IOT_DATA_ENDPOINT
  ? new IotLivePublisher(signedHttpsPublish({ endpoint: process.env.IOT_DATA_ENDPOINT, client: new IoTClient({ region: config.AWS_REGION }) }))
  : undefined;
export const liveEvents: LiveEvents = livePublisher ?? noLiveEvents;

/** middy middleware: send this invocation's live changes before Lambda freezes the container (never fails it). */
export const flushLive = (publisher: LivePublisher | undefined = livePublisher): MiddlewareObj => ({
  after: async () => void (await publisher?.flush()),
  onError: async () => void (await publisher?.flush()),
});

/** The device registry in AWS: IoT Core things and certificates with the stage's device policy. */
const deviceEnv = (policyName: string): DeviceEnv => ({ store, provisioner: new IotDeviceProvisioner({ policyName }), geo: gridLookup, catalogue: catalogueCheck, now: () => new Date() });

export async function awsAppDeps(): Promise<AppDeps> {
  const issuers: IssuerConfig[] = [staffIssuer(config)];
  // Secrets come from Secrets Manager (ARNs set by the CDK identity stack), read once per cold start.
  const signing = await readSecret(process.env.CITIZEN_SIGNING_SECRET_ARN, z.looseObject({ kty: z.string(), d: z.string(), crv: z.string() }));
  const weChat = await readSecret(process.env.WECHAT_SECRET_ARN, z.object({ appid: z.string().min(1), secret: z.string().min(1) }));
  let citizenIssuer: AppDeps['citizenIssuer'];
  if (signing) {
    const privateJwk = signing as JWK;
    const { d: _d, ...publicJwk } = privateJwk;
    citizenIssuer = await createCitizenIssuer({ issuer: config.CITIZEN_ISSUER, privateJwk, publicJwk });
    issuers.push(citizenIssuer.verifierConfig());
  }
  return {
    config,
    store,
    gateway,
    cases: caseEnv,
    ...(process.env.DEVICE_POLICY_NAME
      ? {
          monitoring: {
            devices: deviceEnv(process.env.DEVICE_POLICY_NAME),
            live: liveEvents,
            ...(process.env.IOT_DATA_ENDPOINT && process.env.IOT_LIVE_AUTHORIZER
              ? { mqtt: { endpoint: process.env.IOT_DATA_ENDPOINT, authorizer: process.env.IOT_LIVE_AUTHORIZER } }
              : {}),
          },
        }
      : {}),
    verify: createVerifier(issuers),
    citizenIssuer,
    wechat: weChat ? weChatClient({ baseUrl: config.WECHAT_API_BASE, ...weChat }) : undefined,
  };
}
