import { afterEach, describe, expect, it } from 'vitest';
import { ROLES, ROLE_NAMES } from '../../../contracts';
import { en } from './en';
import { lang, roleName, setLang, t, translate } from './index';
import { zhCN } from './zh-CN';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogues', () => {
  afterEach(() => {
    localStorage.clear();
    setLang('zh-CN');
  });

  it('en has exactly the keys of zh-CN', () => {
    // Prepare
    const zhKeys = Object.keys(zhCN).sort();
    // Act
    const enKeys = Object.keys(en).sort();
    // Assess
    expect(enKeys).toEqual(zhKeys);
  });

  it('no message is empty and both languages use the same placeholders', () => {
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(zhCN[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
    }
  });

  it('Chinese is the default language', () => {
    expect(lang()).toBe('zh-CN');
    expect(t('app.title')).toBe('城市运行管理服务平台');
  });

  it('the switch is remembered in localStorage and changes every string', () => {
    // Act
    setLang('en');
    // Assess
    expect(localStorage.getItem('cityops.lang')).toBe('en');
    expect(t('app.title')).toBe('CityOps');
    expect(document.documentElement.lang).toBe('en');
  });

  it('fills placeholders', () => {
    expect(translate('zh-CN', 'tasks.escalations', { n: 2 })).toBe('已督办 2 次');
    expect(translate('en', 'tasks.escalations', { n: 2 })).toBe('Escalations: 2');
  });

  it('role names come from contracts ROLE_NAMES in both languages', () => {
    for (const role of ROLES) {
      expect(roleName(role)).toBe(ROLE_NAMES[role].zh);
    }
    setLang('en');
    expect(roleName('shift-leader')).toBe('Shift leader');
  });
});
