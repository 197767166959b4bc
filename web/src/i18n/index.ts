/**
 * The language the user reads: Chinese by default, English on request, remembered in localStorage.
 * `t(key)` reads the current catalogue reactively, so a switch re-renders every visible string.
 */
import { createSignal } from 'solid-js';
import { ROLE_NAMES, type Role } from '../../../contracts';
import { en } from './en';
import { zhCN, type Catalogue, type MessageKey } from './zh-CN';

export type { MessageKey } from './zh-CN';
export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const CATALOGUES: Record<Lang, Catalogue> = { 'zh-CN': zhCN, en };

const STORAGE_KEY = 'cityops.lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

const [lang, setLangSignal] = createSignal<Lang>(storedLang());

/** The current language (reactive). */
export { lang };

/** Switch the language and remember it for the next visit. */
export function setLang(next: Lang): void {
  setLangSignal(next);
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private browsing may refuse storage; the switch still applies to this page.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

export type Params = Record<string, string | number>;

/** Fill `{name}` placeholders; unknown placeholders stay visible so a mistake shows on screen. */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A message in a given language (pure; used by tests and by `t`). */
export function translate(language: Lang, key: MessageKey, params?: Params): string {
  return format(CATALOGUES[language][key], params);
}

/** A message in the current language. */
export function t(key: MessageKey, params?: Params): string {
  return translate(lang(), key, params);
}

/** Whether a string is a catalogue key (for keys built from API values such as task steps). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key);
}

/** A `{ zh, en }` pair (tenant names, API error messages) in the current language. */
export function localized(text: { zh: string; en: string }): string {
  return lang() === 'en' ? text.en : text.zh;
}

/** The name users see for a role, from contracts' ROLE_NAMES. */
export function roleName(role: Role): string {
  return localized(ROLE_NAMES[role]);
}

/** Join a short list the way the language does: 、 in Chinese, commas in English. */
export function joinList(items: readonly string[]): string {
  return items.join(lang() === 'en' ? ', ' : '、');
}
