/** 中文 / English: one button that switches to the other language (remembered in localStorage). */
import { lang, setLang, t } from '../i18n';

export function LangSwitch() {
  const next = () => (lang() === 'en' ? 'zh-CN' : 'en');
  return (
    <button
      type="button"
      class="btn btn-ghost lang-switch"
      data-testid="lang-switch"
      data-lang={lang()}
      aria-label={`${t('lang.label')}: ${t(next() === 'en' ? 'lang.en' : 'lang.zh')}`}
      onClick={() => setLang(next())}
    >
      <span classList={{ active: lang() === 'zh-CN' }}>{t('lang.zh')}</span>
      <span aria-hidden="true"> / </span>
      <span classList={{ active: lang() === 'en' }}>{t('lang.en')}</span>
    </button>
  );
}
