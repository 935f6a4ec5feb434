import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiClient } from './api/client.js';
import { resolveToken, type KeyValueStore } from './api/token.js';
import { App } from './App.js';
import './styles.css';

function sessionStore(): KeyValueStore | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked by the browser's privacy settings
  }
}

const { token, cleanUrl } = resolveToken(window.location.href, sessionStore());
// Keep the token out of the address bar, history and bookmarks once it is remembered.
if (cleanUrl !== null) window.history.replaceState(window.history.state, '', cleanUrl);

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App api={new ApiClient('', token)} />
  </StrictMode>,
);
