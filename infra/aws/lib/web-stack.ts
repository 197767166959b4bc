/**
 * The web app (web/dist, a Vite SPA): a private S3 bucket behind CloudFront.
 *
 * Global partition: Distribution with origin access control (OAC), index.html as default root object, SPA
 * fallback (403/404 from S3 -> /index.html with 200), a response-headers policy with security headers, access
 * logs. A custom domain needs webDomainNames + webCertificateArn (ACM, us-east-1).
 *
 * China (aws-cn): CloudFront China cannot serve content on its default *.cloudfront.cn domain; it needs an
 * ICP-filed alternate domain (webDomainNames) and a certificate uploaded to IAM (webIamCertificateId; no ACM
 * for CloudFront there). Without both, this stack creates the bucket only (no distribution). With both, a
 * plain L1 distribution in the shape CloudFront China supports: origin access identity (OAC was not available
 * there when checked), legacy forwarded values, no response-headers policy (security headers must then come
 * from the app: a CSP <meta> in index.html), no Lambda@Edge / CloudFront Functions.
 *
 * Content is uploaded by BucketDeployment only when web/dist exists, so synth works without a web build.
 */
import { existsSync } from 'node:fs';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  CfnDistribution,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  type IDistribution,
  OriginAccessIdentity,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import type { CityOpsConfig } from './config';
import { acknowledge, iam5ResourceId } from './nag';
import { WEB_DIST_DIR } from './paths';

export interface WebStackProps extends StackProps {
  readonly config: CityOpsConfig;
  /** Folder with the built web app; default web/dist. Deployed only if it exists. */
  readonly webDistDir?: string;
}

/** Content-Security-Policy of the SPA: same-origin scripts, map tiles and API over https. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self' https: wss:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const SPA_FALLBACK = [403, 404];

export class WebStack extends Stack {
  readonly bucket: Bucket;
  readonly logsBucket: Bucket;
  /** Undefined in aws-cn without an ICP domain and IAM certificate. */
  readonly distributionId?: string;
  readonly deployed: boolean;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { config } = props;
    const web = config.web;

    // CloudFront standard logs are delivered with object ACLs, so this bucket keeps ACLs enabled (ObjectWriter).
    this.logsBucket = new Bucket(this, 'WebLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    let distribution: IDistribution | undefined;
    let distributionId: string | undefined;
    if (config.partition === 'aws') {
      const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
        comment: 'CityOps web security headers',
        securityHeadersBehavior: {
          contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
          strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
          contentTypeOptions: { override: true },
          frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
          referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
          xssProtection: { protection: true, modeBlock: true, override: true },
        },
        customHeadersBehavior: {
          customHeaders: [{ header: 'Permissions-Policy', value: 'camera=(self), geolocation=(self), microphone=()', override: true }],
        },
      });
      const custom = web.domainNames.length > 0 && web.certificateArn !== undefined;
      const cdn = new Distribution(this, 'Cdn', {
        comment: `CityOps web ${config.stage}`,
        defaultBehavior: {
          origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: headers,
          compress: true,
        },
        defaultRootObject: 'index.html',
        errorResponses: SPA_FALLBACK.map((httpStatus) => ({
          httpStatus,
          responseHttpStatus: 200,
          responsePagePath: '/index.html',
          ttl: Duration.seconds(0),
        })),
        domainNames: custom ? web.domainNames : undefined,
        certificate: custom ? Certificate.fromCertificateArn(this, 'WebCertificate', web.certificateArn!) : undefined,
        // Only meaningful with a custom certificate; the default certificate is fixed at TLSv1 (see CFR4 below).
        minimumProtocolVersion: custom ? SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
        httpVersion: HttpVersion.HTTP2_AND_3,
        priceClass: PriceClass.PRICE_CLASS_ALL,
        enableLogging: true,
        logBucket: this.logsBucket,
        logFilePrefix: 'cdn/',
        webAclId: web.webAclArn,
      });
      distribution = cdn;
      distributionId = cdn.distributionId;
      if (!custom) {
        acknowledge(cdn, [
          'AwsSolutions-CFR4',
          'No custom domain configured (webDomainNames + webCertificateArn): the default *.cloudfront.net certificate fixes the viewer ' +
            'security policy to TLSv1; with a custom domain the distribution uses TLSv1.2_2021.',
        ]);
      }
      if (!web.webAclArn) {
        acknowledge(cdn, [
          'AwsSolutions-CFR2',
          'A CloudFront WAF web ACL must be created in us-east-1 (another stack/region); attach one with -c webAclArn=... where required. ' +
            'The distribution serves static files only; the API has its own throttling.',
        ]);
      }
      acknowledge(cdn, [
        'AwsSolutions-CFR1',
        'No geo restriction: citizens and staff may use the service from anywhere (travel, overseas Hunanese); access control is in the API.',
      ]);
      new CfnOutput(this, 'WebUrl', { value: `https://${custom ? web.domainNames[0] : cdn.distributionDomainName}` });
    } else if (web.domainNames.length > 0 && web.iamCertificateId) {
      // CloudFront China (operated by NWCD/Sinnet): ICP-filed CNAME + IAM server certificate, OAI, legacy cache settings.
      const oai = new OriginAccessIdentity(this, 'OriginAccess', { comment: `CityOps web ${config.stage}` });
      this.bucket.grantRead(oai);
      const originId = 'site';
      const cfn = new CfnDistribution(this, 'Cdn', {
        distributionConfig: {
          enabled: true,
          comment: `CityOps web ${config.stage}`,
          aliases: web.domainNames,
          defaultRootObject: 'index.html',
          httpVersion: 'http2',
          ipv6Enabled: false,
          origins: [
            {
              id: originId,
              domainName: this.bucket.bucketRegionalDomainName,
              s3OriginConfig: { originAccessIdentity: `origin-access-identity/cloudfront/${oai.originAccessIdentityId}` },
            },
          ],
          defaultCacheBehavior: {
            targetOriginId: originId,
            viewerProtocolPolicy: 'redirect-to-https',
            allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
            compress: true,
            forwardedValues: { queryString: false },
          },
          customErrorResponses: SPA_FALLBACK.map((errorCode) => ({
            errorCode,
            responseCode: 200,
            responsePagePath: '/index.html',
            errorCachingMinTtl: 0,
          })),
          viewerCertificate: { iamCertificateId: web.iamCertificateId, minimumProtocolVersion: 'TLSv1.2_2021', sslSupportMethod: 'sni-only' },
          logging: { bucket: this.logsBucket.bucketRegionalDomainName, prefix: 'cdn/', includeCookies: false },
        },
      });
      distributionId = cfn.ref;
      distribution = Distribution.fromDistributionAttributes(this, 'CdnRef', { distributionId: cfn.ref, domainName: cfn.attrDomainName });
      acknowledge(cfn, [
        'AwsSolutions-CFR7',
        'CloudFront China does not offer origin access control (AWS::CloudFront::OriginAccessControl is rejected there); an origin access identity restricts the bucket instead.',
      ]);
      acknowledge(cfn, ['AwsSolutions-CFR1', 'No geo restriction: CloudFront China serves mainland China only; access control is in the API.']);
      acknowledge(cfn, [
        'AwsSolutions-CFR2',
        'AWS WAF for CloudFront China is not configured here; the distribution serves static files only and the API has its own throttling.',
      ]);
      new CfnOutput(this, 'WebUrl', { value: `https://${web.domainNames[0]}` });
      new CfnOutput(this, 'CdnDomainName', { value: cfn.attrDomainName, description: 'CNAME target for the ICP-filed web domain' });
    } else {
      new CfnOutput(this, 'WebNotice', {
        value: 'No CloudFront distribution: CloudFront China needs -c webDomainNames=<ICP-filed domain> -c webIamCertificateId=<IAM server certificate id>',
      });
    }
    this.distributionId = distributionId;

    const dist = props.webDistDir ?? WEB_DIST_DIR;
    this.deployed = existsSync(dist);
    if (this.deployed) {
      const deployment = new BucketDeployment(this, 'DeployWeb', {
        sources: [Source.asset(dist)],
        destinationBucket: this.bucket,
        distribution,
        distributionPaths: distribution ? ['/*'] : undefined,
        prune: true,
        memoryLimit: 512,
      });
      void deployment;
      this.acknowledgeDeploymentProvider(distribution !== undefined);
    }
  }

  /** Objects of the CDK bootstrap assets bucket (default synthesizer naming). */
  private assetsBucketObjects(): string {
    const qualifier = (this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? 'hnb659fds';
    return `arn:${this.partition}:s3:::cdk-${qualifier}-assets-${this.account}-${this.region}/*`;
  }

  /** The BucketDeployment provider is a CDK singleton Lambda at stack level; acknowledge its findings there. */
  private acknowledgeDeploymentProvider(invalidates: boolean): void {
    for (const child of this.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      acknowledge(
        child,
        ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'CDK-managed BucketDeployment provider Lambda (not our code); uses the standard basic execution role.'],
        ['AwsSolutions-L1', 'CDK-managed BucketDeployment provider Lambda: its runtime is pinned by aws-cdk-lib and updated with it.'],
        ['AwsSolutions-IAM5[Action::s3:GetObject*]', 'CDK-managed BucketDeployment provider: reads the staged web assets from the CDK assets bucket.'],
        ['AwsSolutions-IAM5[Action::s3:GetBucket*]', 'CDK-managed BucketDeployment provider: reads the staged web assets from the CDK assets bucket.'],
        ['AwsSolutions-IAM5[Action::s3:List*]', 'CDK-managed BucketDeployment provider: lists the site bucket to prune old files.'],
        ['AwsSolutions-IAM5[Action::s3:DeleteObject*]', 'CDK-managed BucketDeployment provider: prunes files of the previous build from the site bucket.'],
        ['AwsSolutions-IAM5[Action::s3:Abort*]', 'CDK-managed BucketDeployment provider: aborts failed multipart uploads to the site bucket.'],
        [iam5ResourceId(this, this.bucket.arnForObjects('*')), 'CDK-managed BucketDeployment provider: writes and prunes every object of the site bucket.'],
        [iam5ResourceId(this, this.assetsBucketObjects()), 'CDK-managed BucketDeployment provider: reads the staged web build from the CDK bootstrap assets bucket.'],
      );
      if (invalidates) {
        acknowledge(child, [
          'AwsSolutions-IAM5[Resource::*]',
          'CDK-managed BucketDeployment provider: cloudfront:CreateInvalidation/GetInvalidation are granted on "*" by aws-cdk-lib to invalidate after upload.',
        ]);
      }
    }
  }
}
