/**
 * Photos of a case: uploading them from a form (camera on phones; each photo is sent at once, shown as a
 * thumbnail, and can be retried or removed) and showing a case's photos (fetched with the token, since an
 * <img src> cannot send it, and shown through object URLs).
 */
import { createMemo, createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { PHOTO_TYPES, type Photo } from '../../../contracts';
import { api, type PhotoStage } from '../api/client';
import { t } from '../i18n';
import { describeError } from './error-message';
import { CameraIcon } from './icons';

/** Photos above this size are scaled down before upload when the browser can (saves mobile data, stays under 5 MB). */
const SCALE_ABOVE_BYTES = 1.5 * 1024 * 1024;
const MAX_EDGE = 2560;
export const MAX_PHOTOS = 9;

const objectUrl = (blob: Blob): string | undefined => (typeof URL.createObjectURL === 'function' ? URL.createObjectURL(blob) : undefined);
const revoke = (url: string | undefined) => {
  if (url && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(url);
};

/** A JPEG no larger than MAX_EDGE on its long side, or undefined when the browser cannot draw the image. */
async function scaleDown(file: Blob): Promise<Blob | undefined> {
  if (typeof createImageBitmap !== 'function' || typeof document === 'undefined') return undefined;
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return await new Promise<Blob | undefined>((resolve) => canvas.toBlob((b) => resolve(b ?? undefined), 'image/jpeg', 0.85));
}

export type PreparedImage = { ok: true; blob: Blob } | { ok: false; reason: 'notImage' | 'unsupported' };

/**
 * What to upload for a chosen file: refused when it is not an image; scaled to a JPEG when large or in a
 * format the API does not take (HEIC …) and the browser can draw it; otherwise the file as it is (the API
 * checks the bytes and the size, and says so with PHOTO_INVALID / PHOTO_TOO_LARGE).
 */
export async function prepareImage(file: Blob): Promise<PreparedImage> {
  if (!file.type.startsWith('image/')) return { ok: false, reason: 'notImage' };
  const supported = (PHOTO_TYPES as readonly string[]).includes(file.type);
  if (supported && file.size <= SCALE_ABOVE_BYTES) return { ok: true, blob: file };
  const scaled = await scaleDown(file).catch(() => undefined);
  if (scaled && (scaled.size < file.size || !supported)) return { ok: true, blob: scaled };
  return supported ? { ok: true, blob: file } : { ok: false, reason: 'unsupported' };
}

export interface UploadItem {
  key: number;
  name: string;
  blob: Blob;
  preview?: string;
  status: 'uploading' | 'done' | 'failed';
  photo?: Photo;
  error?: unknown;
}

/** The photos of one form: add files (each uploads at once), retry, remove; `ids()` for the request body. */
export function createPhotoUploads(stage: PhotoStage, max = MAX_PHOTOS) {
  const [items, setItems] = createSignal<UploadItem[]>([]);
  const [rejected, setRejected] = createSignal<string[]>([]);
  let next = 1;

  const update = (key: number, change: Partial<UploadItem>) => setItems((list) => list.map((x) => (x.key === key ? { ...x, ...change } : x)));

  const upload = async (key: number, blob: Blob) => {
    update(key, { status: 'uploading', error: undefined });
    try {
      const photo = await api.photos.upload(blob, stage);
      update(key, { status: 'done', photo });
    } catch (error) {
      update(key, { status: 'failed', error });
    }
  };

  const add = async (files: readonly File[]) => {
    const problems: string[] = [];
    for (const file of files) {
      if (items().length >= max) {
        problems.push(t('photo.tooMany', { n: max }));
        break;
      }
      const prepared = await prepareImage(file);
      if (!prepared.ok) {
        problems.push(t(prepared.reason === 'notImage' ? 'photo.notImage' : 'photo.unsupported', { name: file.name }));
        continue;
      }
      const key = next++;
      setItems((list) => [...list, { key, name: file.name, blob: prepared.blob, preview: objectUrl(prepared.blob), status: 'uploading' }]);
      void upload(key, prepared.blob);
    }
    setRejected(problems);
  };

  const remove = (key: number) => {
    revoke(items().find((x) => x.key === key)?.preview);
    setItems((list) => list.filter((x) => x.key !== key));
  };
  const retry = (key: number) => {
    const item = items().find((x) => x.key === key);
    if (item) void upload(key, item.blob);
  };
  const reset = () => {
    for (const item of items()) revoke(item.preview);
    setItems([]);
    setRejected([]);
  };
  onCleanup(() => items().forEach((x) => revoke(x.preview)));

  return {
    items,
    rejected,
    add,
    remove,
    retry,
    reset,
    /** Ids of the uploaded photos, in the order they were added. */
    ids: () => items().flatMap((x) => (x.photo ? [x.photo.id] : [])),
    /** True while a photo is uploading or one failed and was neither retried nor removed. */
    unsettled: () => items().some((x) => x.status !== 'done'),
    max,
  };
}
export type PhotoUploads = ReturnType<typeof createPhotoUploads>;

/** The camera button and the thumbnails of a form's photos. */
export function PhotoUploader(props: { uploads: PhotoUploads; label?: string }) {
  const full = () => props.uploads.items().length >= props.uploads.max;
  const done = () => props.uploads.items().filter((x) => x.status === 'done').length;
  return (
    <div class="field photo-uploader">
      <span>{props.label ?? t('report.photos')}</span>
      <label class="btn photo-add" classList={{ disabled: full() }}>
        <CameraIcon /> {t('photo.add')}
        <input
          class="sr-only"
          type="file"
          accept="image/*"
          capture="environment"
          multiple
          disabled={full()}
          data-testid="photo-input"
          onChange={(event) => {
            const input = event.currentTarget;
            const files = Array.from(input.files ?? []);
            input.value = '';
            void props.uploads.add(files);
          }}
        />
      </label>
      <For each={props.uploads.rejected()}>
        {(text) => (
          <p class="field-error" role="alert" data-testid="photo-rejected">
            {text}
          </p>
        )}
      </For>
      <Show when={props.uploads.items().length > 0}>
        <ul class="thumbs">
          <For each={props.uploads.items()}>
            {(item, index) => (
              <li class="thumb" data-testid="photo-thumb" data-status={item.status}>
                <Show when={item.preview} fallback={<span class="thumb-name">{item.name}</span>}>
                  {(src) => <img src={src()} alt={t('photo.alt', { n: index() + 1 })} />}
                </Show>
                <Show when={item.status === 'uploading'}>
                  <span class="thumb-state">{t('photo.uploading')}</span>
                </Show>
                <Show when={item.status === 'failed'}>
                  <span class="thumb-state thumb-failed" role="alert" data-testid="photo-error" data-code={describeError(item.error).code}>
                    {t('photo.failed')}：{describeError(item.error).text}
                  </span>
                  <button type="button" class="btn btn-small" onClick={() => props.uploads.retry(item.key)}>
                    {t('common.retry')}
                  </button>
                </Show>
                <button type="button" class="btn btn-ghost btn-small thumb-remove" onClick={() => props.uploads.remove(item.key)}>
                  {t('photo.remove')}
                </button>
              </li>
            )}
          </For>
        </ul>
        <p class="muted small">{t('photo.count', { n: done() })}</p>
      </Show>
    </div>
  );
}

/** A stored photo, fetched with the token. */
export function AuthImage(props: { id: string; alt: string }) {
  const [blob] = createResource(() => props.id, (id) => api.photos.image(id));
  const url = createMemo<string | undefined>((previous) => {
    revoke(previous);
    return blob.state === 'ready' ? objectUrl(blob()) : undefined;
  });
  onCleanup(() => revoke(url()));
  return (
    <Show when={blob.state !== 'errored'} fallback={<span class="thumb-name">{t('case.photoFailed')}</span>}>
      <Show when={url()} fallback={<span class="thumb-name">{t('common.loading')}</span>}>
        {(src) => (
          <a href={src()} target="_blank" rel="noopener">
            <img src={src()} alt={props.alt} loading="lazy" />
          </a>
        )}
      </Show>
    </Show>
  );
}

const STAGES: readonly PhotoStage[] = ['report', 'feedback', 'check'];

/** A case's photos grouped by stage: 上报, 处置, 核实/核查. */
export function PhotoGallery(props: { photos: readonly Photo[] }) {
  const byStage = () => STAGES.map((stage) => ({ stage, photos: props.photos.filter((p) => p.stage === stage) })).filter((g) => g.photos.length > 0);
  return (
    <Show when={props.photos.length > 0} fallback={<p class="muted">{t('case.noPhotos')}</p>}>
      <For each={byStage()}>
        {(group) => (
          <section class="gallery" data-testid="photo-group" data-stage={group.stage}>
            <h3>{t(`case.photoStage.${group.stage}`)}</h3>
            <ul class="thumbs">
              <For each={group.photos}>
                {(photo, index) => (
                  <li class="thumb">
                    <AuthImage id={photo.id} alt={`${t(`case.photoStage.${group.stage}`)} ${index() + 1}`} />
                  </li>
                )}
              </For>
            </ul>
          </section>
        )}
      </For>
    </Show>
  );
}

