import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Each subset of the font carries its unicode-range: the browser fetches only those the text uses.
import '@fontsource/noto-sans/400.css';
import '@fontsource/noto-sans/600.css';
import './styles/global.css';
import { App } from './app/app';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
