/**
 * Address normalisation for geocoding (CMD-4). People type the same address many ways: full-width digits from a
 * Chinese IME (１８８号), spaces (五一大道 188 号), traditional or variant characters (號, 棟, 幢), building numbers
 * as 3号楼 / 3# / 3栋, with or without 湖南省长沙市芙蓉区 in front. Address points and queries go through the same
 * function, so matching compares like with like.
 */
import { DIVISIONS } from '../../../contracts';

const VARIANTS: Record<string, string> = { 號: '号', 棟: '栋', 幢: '栋', 樓: '楼', 區: '区', 縣: '县', 門: '门', 鄉: '乡', 鎮: '镇' };
const DASHES = /[‐‑‒–—―−－]/g;
// Punctuation and spaces carry no meaning in an address; a dash between digits does (3-2-101), so it is kept.
const NOISE = /[\s,，.。·・、;；:：'"“”‘’`()（）[\]【】{}<>《》!！?？/\\|_~]+/g;

/** Full division names, longest first, so 湖南省长沙市芙蓉区 is stripped piece by piece. */
const DIVISION_NAMES = [...new Set(DIVISIONS.map((d) => d.name))].sort((a, b) => b.length - a.length);

/**
 * The canonical form used to compare addresses. The rewrites are applied until nothing changes, so the result
 * is a fixed point (normalising twice gives the same text: 3號院院 → 3号院 → 3号 in one call).
 */
export function normalizeAddress(text: string): string {
  let s = text;
  for (let i = 0; i < 8; i++) {
    const next = normalizeOnce(s);
    if (next === s) break;
    s = next;
  }
  return s;
}

function normalizeOnce(text: string): string {
  let s = text.normalize('NFKC').toLowerCase();
  s = s.replace(/[號棟幢樓區縣門鄉鎮]/g, (c) => VARIANTS[c] ?? c);
  s = s.replace(DASHES, '-').replace(NOISE, '');
  s = s.replace(/-+/g, '-').replace(/(^|\D)-|-(?=\D|$)/g, '$1');
  // Leading administrative names (湖南省长沙市芙蓉区…): only full names, so 浏阳河 is not read as 浏阳(市) + 河.
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const name of DIVISION_NAMES) {
      if (s.startsWith(name) && s.length > name.length) {
        s = s.slice(name.length);
        stripped = true;
      }
    }
  }
  // Building numbers: 3号楼 / 3#楼 / 3# / 3幢 / 3座 → 3栋; a courtyard 12号院 is the house number 12号.
  s = s.replace(/(\d+)(?:号楼|#楼|#|栋|座)/g, '$1栋');
  s = s.replace(/(\d+)号院/g, '$1号');
  // A bare house number at the end is a 号: 五一大道188 → 五一大道188号.
  s = s.replace(/(\d+)$/, '$1号');
  return s;
}

/** The road part and house number of a normalised address: 五一大道188号3栋 → { road: 五一大道, number: 188 }. */
export function splitHouseNumber(normalized: string): { road: string; number?: number } {
  const m = /^(\D+?)(\d+)号/.exec(normalized);
  if (!m) return { road: normalized.replace(/\d.*$/, '') };
  return { road: m[1]!, number: Number(m[2]) };
}

/** Character-bigram Dice similarity in [0, 1], for near-miss matches (typos, a missing character). */
export function bigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const grams = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const n = grams.get(g) ?? 0;
    if (n > 0) {
      shared++;
      grams.set(g, n - 1);
    }
  }
  return (2 * shared) / (a.length - 1 + b.length - 1);
}
