/**
 * Photos of cases (report, feedback, check): checked for type by their first bytes (not by what the client
 * claims), limited in size, stored through a FileStore port (S3 in AWS, files under .data/ locally) and
 * recorded per tenant, so a case can only use photos its own tenant uploaded.
 */
import { ulid } from 'ulid';
import { z } from 'zod';
import { MAX_PHOTO_BYTES, PHOTO_TYPES, Photo, Ulid } from '../../../contracts';
import { keys } from '../data/keys';
import type { Store } from '../data/store';
import { DomainError } from '../shared/errors';
import { usePrincipal, useTenant } from '../tenancy/context';

export interface FileStore {
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
}

type PhotoType = (typeof PHOTO_TYPES)[number];

/** The image type from the file's magic bytes, or undefined for anything that is not JPEG, PNG or WebP. */
export function sniffImageType(b: Uint8Array): PhotoType | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return 'image/png';
  if (b.length >= 12 && String.fromCharCode(...b.slice(0, 4)) === 'RIFF' && String.fromCharCode(...b.slice(8, 12)) === 'WEBP') return 'image/webp';
  return undefined;
}

const PhotoItem = Photo.extend({ tenant: z.string(), uploadedBy: z.string(), fileKey: z.string() });

export const photoFileKey = (tenant: string, id: string) => `files/${tenant}/photos/${id}`;

export async function uploadPhoto(store: Store, files: FileStore, body: Uint8Array, stage: Photo['stage'], now: Date): Promise<Photo> {
  if (body.byteLength === 0) throw new DomainError('PHOTO_INVALID', [{ path: 'body', message: 'empty file' }]);
  if (body.byteLength > MAX_PHOTO_BYTES) throw new DomainError('PHOTO_TOO_LARGE');
  const contentType = sniffImageType(body);
  if (!contentType) throw new DomainError('PHOTO_INVALID', [{ path: 'body', message: 'not a JPEG, PNG or WebP image' }]);
  const tenant = useTenant();
  const id = ulid(now.getTime());
  const fileKey = photoFileKey(tenant, id);
  await files.put(fileKey, body, contentType);
  const photo: Photo = { id, contentType, bytes: body.byteLength, stage, uploadedAt: now.toISOString() };
  await store.put({ ...keys.photo(tenant, id), ...photo, tenant, uploadedBy: usePrincipal().subject, fileKey, entity: 'photo' });
  return photo;
}

/** The caller's tenant's photos by id; an unknown id or another tenant's photo is a coded 400. */
export async function ownPhotos(store: Store, ids: readonly string[], stage: Photo['stage']): Promise<Photo[]> {
  const tenant = useTenant();
  const p = usePrincipal();
  const out: Photo[] = [];
  for (const id of new Set(ids)) {
    const found = Ulid.safeParse(id).success ? await store.get(PhotoItem, keys.photo(tenant, id)) : undefined;
    // A citizen may attach only their own uploads.
    const item = found && (p.kind !== 'citizen' || found.uploadedBy === p.subject) ? found : undefined;
    if (!item) throw new DomainError('PHOTO_INVALID', [{ path: 'photoIds', message: `unknown photo ${id}` }]);
    out.push({ id: item.id, contentType: item.contentType, bytes: item.bytes, uploadedAt: item.uploadedAt, stage });
  }
  return out;
}

export async function readPhoto(store: Store, files: FileStore, id: string): Promise<{ contentType: string; body: Uint8Array }> {
  const tenant = useTenant();
  const p = usePrincipal();
  let item = Ulid.safeParse(id).success ? await store.get(PhotoItem, keys.photo(tenant, id)) : undefined;
  // Citizens see only the photos they uploaded themselves; staff see their tenant's.
  if (item && p.kind === 'citizen' && item.uploadedBy !== p.subject) item = undefined;
  const body = item ? await files.get(item.fileKey) : undefined;
  if (!item || !body) throw new DomainError('NOT_FOUND');
  return { contentType: item.contentType, body };
}
