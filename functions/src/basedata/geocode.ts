/**
 * Address matching over the tenant's own address points (CMD-4 地址 → 坐标). No outside geocoder: a government
 * platform's addresses are its own survey data, and queries must not leave the tenant.
 *
 * Ranking: an exact match of the normalised text (score 1); a prefix match either way (the query is the start
 * of an address, or an address is the start of a longer query such as 五一大道188号门口); containment; then the
 * nearest house number on the same road, same side (parity) first; finally character-bigram similarity for
 * near misses. Ties go to the shorter address, then the id.
 */
import type { AddressPoint, GeocodeMatch } from '../../../contracts/src/basedata';
import { bigramSimilarity, normalizeAddress, splitHouseNumber } from './normalize';

interface Entry {
  address: AddressPoint;
  key: string;
}

const SIMILAR_THRESHOLD = 0.6;

export class Gazetteer {
  private readonly entries: Entry[];
  private readonly exact = new Map<string, Entry[]>();
  private readonly byRoad = new Map<string, { number: number; entry: Entry }[]>();

  constructor(addresses: readonly AddressPoint[]) {
    // Normalise again rather than trust the stored form, so a change of rules applies to old data too.
    this.entries = addresses.map((address) => ({ address, key: normalizeAddress(address.text) }));
    for (const e of this.entries) {
      const same = this.exact.get(e.key);
      if (same) same.push(e);
      else this.exact.set(e.key, [e]);
      const { road, number } = splitHouseNumber(e.key);
      if (!road || number === undefined) continue;
      const list = this.byRoad.get(road);
      if (list) list.push({ number, entry: e });
      else this.byRoad.set(road, [{ number, entry: e }]);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** The best matches for a free-text address, best first. */
  geocode(text: string, limit = 5): GeocodeMatch[] {
    const q = normalizeAddress(text);
    if (q.length < 2) return [];
    const found = new Map<string, GeocodeMatch>();
    const offer = (e: Entry, score: number, match: GeocodeMatch['match']): void => {
      const prev = found.get(e.address.id);
      if (!prev || prev.score < score) found.set(e.address.id, { address: e.address, score: Math.min(1, Math.max(0, score)), match });
    };

    for (const e of this.exact.get(q) ?? []) offer(e, 1, 'exact');
    if (found.size === 0) {
      for (const e of this.entries) {
        const k = e.key;
        if (k.startsWith(q)) offer(e, 0.6 + (0.3 * q.length) / k.length, 'prefix');
        else if (q.startsWith(k)) offer(e, 0.6 + (0.3 * k.length) / q.length, 'prefix');
        else if (k.includes(q)) offer(e, 0.4 + (0.2 * q.length) / k.length, 'contains');
        else if (q.includes(k)) offer(e, 0.4 + (0.2 * k.length) / q.length, 'contains');
      }
      const { road, number } = splitHouseNumber(q);
      const onRoad = road ? this.byRoad.get(road) : undefined;
      if (number !== undefined && onRoad) {
        // 五一大道189号 when only 187 and 191 are surveyed: the closest number on the same side of the road.
        const ranked = [...onRoad].sort((a, b) => rankNumber(a.number, number) - rankNumber(b.number, number));
        for (const n of ranked.slice(0, limit)) offer(n.entry, 0.75 - 0.25 * Math.min(1, Math.abs(n.number - number) / 50) - (n.number % 2 === number % 2 ? 0 : 0.05), 'nearby-number');
      }
    }
    if (found.size === 0) {
      for (const e of this.entries) {
        const sim = bigramSimilarity(q, e.key);
        if (sim >= SIMILAR_THRESHOLD) offer(e, 0.5 * sim, 'similar');
      }
    }
    return [...found.values()]
      .sort((a, b) => b.score - a.score || a.address.text.length - b.address.text.length || a.address.id.localeCompare(b.address.id))
      .slice(0, limit);
  }
}

/** Distance of house numbers, the other side of the road counting a little further. */
const rankNumber = (candidate: number, wanted: number): number => Math.abs(candidate - wanted) + (candidate % 2 === wanted % 2 ? 0 : 0.5);
