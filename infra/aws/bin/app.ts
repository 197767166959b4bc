/**
 * CDK app entry (cdk.json: "npx tsx infra/aws/bin/app.ts"). Configuration comes from context only:
 *   npx cdk synth                                     # global partition, Cognito for staff
 *   npx cdk synth -c partition=aws-cn -c oidcIssuer=https://... -c oidcAudience=cityops
 * cdk-nag AwsSolutions runs as a validation plugin: unacknowledged findings fail the synth.
 */
import { buildApp } from '../lib/app';

let built: ReturnType<typeof buildApp>;
try {
  built = buildApp({ nag: true });
} catch (err) {
  // Configuration errors (missing issuer in aws-cn, bad region...) as one readable line, not a stack trace.
  console.error(`\ncityops: ${(err as Error).message}\n`);
  process.exit(1);
}
built.app.synth();
