import { render } from 'preact';
import { App } from './components/App';
import { applyTheme, storedTheme } from './util/theme';
import './styles/base.css';
import './styles/layout.css';
import './styles/messages.css';
import './styles/dialogs.css';

applyTheme(storedTheme());
const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
render(<App />, root);
