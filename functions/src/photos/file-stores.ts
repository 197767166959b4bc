/** FileStore adapters: S3 (AWS) and a folder (the local stack; memory when no folder is given). */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client, NoSuchKey } from '@aws-sdk/client-s3';
import type { FileStore } from './photos';

export function s3FileStore(client: S3Client, bucket: string): FileStore {
  return {
    async put(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ServerSideEncryption: 'aws:kms' }));
    },
    async get(key) {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return r.Body ? await r.Body.transformToByteArray() : undefined;
      } catch (err) {
        if (err instanceof NoSuchKey) return undefined;
        throw err;
      }
    },
  };
}

export function folderFileStore(dir: string | null): FileStore {
  const memory = new Map<string, Uint8Array>();
  const full = (key: string) => {
    const p = path.resolve(dir!, key);
    if (!p.startsWith(path.resolve(dir!) + path.sep)) throw new Error('file key escapes the folder');
    return p;
  };
  return {
    async put(key, body) {
      if (!dir) return void memory.set(key, body);
      mkdirSync(path.dirname(full(key)), { recursive: true });
      writeFileSync(full(key), body);
    },
    async get(key) {
      if (!dir) return memory.get(key);
      return existsSync(full(key)) ? new Uint8Array(readFileSync(full(key))) : undefined;
    },
  };
}
