import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './App';
import { ApiClient } from './api/client';
import { Session } from './auth/session';

const session = new Session(window.location.origin, window.sessionStorage, url => window.location.assign(url));
const api = new ApiClient(session);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App session={session} api={api} />
  </StrictMode>,
);
