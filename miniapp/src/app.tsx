import type { PropsWithChildren } from 'react';
import './app.css';

export default function App({ children }: PropsWithChildren) {
  // children is the page being shown; each page wraps itself in <Page> (see components/Page.tsx).
  return children;
}
