/** The case module's geo port: point → unit grid through the tenant's spatial index (cached per tenant). */
import type { GeoLookup } from '../cases/ports';
import { loadIndex } from './repository';

export const gridLookup: GeoLookup = {
  async gridAt(store, point) {
    return (await loadIndex(store)).gridAt(point)?.id;
  },
};
