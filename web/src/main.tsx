/** Entry point: styles, language attribute, mount. */
import { render } from 'solid-js/web';
import { App } from './app';
import { lang } from './i18n';
import './styles.css';

document.documentElement.lang = lang();
const root = document.getElementById('root');
if (root) render(() => <App />, root);
