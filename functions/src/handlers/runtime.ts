/**
 * Dependencies of the Lambda entry points, built once per cold start from the environment. The local stack
 * builds the same AppDeps from its own parts (infra/local/platform.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createRemoteJWKSet, type JWK } from 'jose';
import { z } from 'zod';
import type { AppDeps } from '../api/deps';
import { createCitizenIssuer } from '../auth/citizen-issuer';
import { createVerifier, type IssuerConfig } from '../auth/verify';
import { loadConfig } from '../config';
import { Store } from '../data/store';
import { sfnGateway } from '../flows/sfn-gateway';
import { weChatClient } from '../wechat/client';

export const config = loadConfig();
export const store = new Store({
  // DYNAMODB_ENDPOINT is only set to run these handlers against DynamoDB Local (tests).
  client: new DynamoDBClient({ region: config.AWS_REGION, ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}) }),
  tableName: config.TABLE_NAME,
});

export async function awsAppDeps(): Promise<AppDeps> {
  const staff: IssuerConfig = {
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    keys: createRemoteJWKSet(new URL(process.env.OIDC_JWKS_URI ?? `${config.OIDC_ISSUER}/.well-known/jwks.json`)),
    claims: { tenant: config.CLAIM_TENANT, roles: config.CLAIM_ROLES, department: config.CLAIM_DEPARTMENT, name: 'name' },
    kind: 'staff',
  };
  const issuers: IssuerConfig[] = [staff];
  const signing = process.env.CITIZEN_SIGNING_JWK;
  let citizenIssuer: AppDeps['citizenIssuer'];
  if (signing) {
    const privateJwk = JSON.parse(signing) as JWK;
    const { d: _d, ...publicJwk } = privateJwk;
    citizenIssuer = await createCitizenIssuer({ issuer: config.CITIZEN_ISSUER, privateJwk, publicJwk });
    issuers.push(citizenIssuer.verifierConfig());
  }
  return {
    config,
    store,
    gateway: sfnGateway(new SFNClient({ region: config.AWS_REGION }), z.record(z.string(), z.string()).parse(JSON.parse(config.STATE_MACHINE_ARNS))),
    verify: createVerifier(issuers),
    citizenIssuer,
    wechat: config.WECHAT_APPID ? weChatClient({ baseUrl: config.WECHAT_API_BASE, appid: config.WECHAT_APPID, secret: config.WECHAT_SECRET }) : undefined,
  };
}
