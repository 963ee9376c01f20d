// The public list (公示) at /public/: its own small page, no sign-in, no Ant Design (apps/web/public/index.html).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PublicApp } from './PublicApp';
import './public.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PublicApp />
  </StrictMode>,
);
