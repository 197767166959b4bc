/**
 * The GB/T 47678.5 catalogue (contracts) shaped for the type picker: 部件/事件 → 大类 → 小类, and a search over
 * names (Chinese or English) and codes. Tenant extension categories are not served by the API yet, so the
 * picker offers the standard only.
 */
import { COMPONENT_MAJORS, COMPONENTS, MATTER_MAJORS, MATTERS, type CatalogueEntry, type CatalogueKind, type CatalogueMajor } from '../../../contracts';

export const majorsOf = (kind: CatalogueKind): readonly CatalogueMajor[] => (kind === 'component' ? COMPONENT_MAJORS : MATTER_MAJORS);

export const entriesOf = (kind: CatalogueKind, majorCode?: string): readonly CatalogueEntry[] => {
  const all = kind === 'component' ? COMPONENTS : MATTERS;
  return majorCode ? all.filter((e) => e.majorCode === majorCode) : all;
};

export const findEntry = (kind: CatalogueKind, code: string): CatalogueEntry | undefined => entriesOf(kind).find((e) => e.code === code);

/**
 * Entries of a kind matching a search: every whitespace-separated word must occur in the Chinese name, the
 * English name, the 大类 name or the code. Names that start with the query come first.
 */
export function searchTypes(kind: CatalogueKind, query: string, limit = 20): CatalogueEntry[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const haystack = (e: CatalogueEntry) => `${e.code} ${e.name.zh} ${e.name.en ?? ''} ${e.majorName.zh}`.toLowerCase();
  const hits = entriesOf(kind).filter((e) => words.every((w) => haystack(e).includes(w)));
  const first = words[0]!;
  const rank = (e: CatalogueEntry) => (e.code.startsWith(first) || e.name.zh.startsWith(first) ? 0 : e.name.zh.includes(first) ? 1 : 2);
  return hits.sort((a, b) => rank(a) - rank(b) || a.code.localeCompare(b.code)).slice(0, limit);
}
