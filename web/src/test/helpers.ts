/** Small helpers for component tests: choosing files, a controllable GPS, the base data answers. */
import { fireEvent } from '@solidjs/testing-library';
import { vi } from 'vitest';

/** Bytes that start like a JPEG (the API sniffs the type from them). */
export const jpeg = (name = 'photo.jpg', size = 4) => new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array<number>(Math.max(0, size - 4)).fill(0)])], name, { type: 'image/jpeg' });

/** Choose files in an <input type=file>, as the camera or the file picker would. */
export function chooseFiles(input: HTMLElement, files: File[]): void {
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  fireEvent.change(input);
}

/** Replace navigator.geolocation; `answer` decides what getCurrentPosition reports. */
export function fakeGeolocation(answer: { lng: number; lat: number; accuracy: number } | { error: string; code?: number }) {
  const getCurrentPosition = vi.fn((ok: PositionCallback, fail?: PositionErrorCallback | null) => {
    if ('error' in answer) fail?.({ code: answer.code ?? 1, message: answer.error } as GeolocationPositionError);
    else ok({ coords: { longitude: answer.lng, latitude: answer.lat, accuracy: answer.accuracy } } as GeolocationPosition);
  });
  const original = Object.getOwnPropertyDescriptor(navigator, 'geolocation');
  Object.defineProperty(navigator, 'geolocation', { value: { getCurrentPosition }, configurable: true });
  return {
    getCurrentPosition,
    restore: () => {
      if (original) Object.defineProperty(navigator, 'geolocation', original);
      else delete (navigator as { geolocation?: unknown }).geolocation;
    },
  };
}

/** One unit grid as /v1/basedata/grids answers. */
export const GRIDS = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      id: '430104005001001',
      geometry: { type: 'Polygon', coordinates: [[[112.9536, 28.1835], [112.9557, 28.1835], [112.9557, 28.1853], [112.9536, 28.1853], [112.9536, 28.1835]]] },
      properties: { id: '430104005001001', name: '西园社区01号网格' },
    },
  ],
};

export const HEALTH = { body: { ok: true, version: '0.1.0', runtime: 'local', parts: {} } };
