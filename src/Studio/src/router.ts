import { useEffect, useState } from 'react';

export type Route =
  | { name: 'flows' }
  | { name: 'designer'; flowId: string }
  | { name: 'instances'; flowId: string | null }
  | { name: 'instance'; instanceId: string }
  | { name: 'channels' }
  | { name: 'people' }
  | { name: 'account' }
  | { name: 'reports' }
  | { name: 'reviews' }
  | { name: 'privacy' }
  | { name: 'contacts' }
  | { name: 'contact'; contactId: string }
  | { name: 'review'; caseId: string }
  | { name: 'start' }
  | { name: 'invitation' }
  | { name: 'callback' }
  | { name: 'notFound' };

/** Paths under /studio/, the WebApi answers every one of them with index.html. */
export function parseRoute(pathname: string): Route {
  const rest = pathname.replace(/^\/studio\/?/, '').replace(/\/$/, '');
  const parts = rest ? rest.split('/').map(decodeURIComponent) : [];
  if (parts.length === 0) return { name: 'flows' };
  if (parts[0] === 'callback') return { name: 'callback' };
  if (parts.length === 1 && (['channels', 'people', 'start', 'invitation', 'reviews', 'privacy', 'contacts', 'account', 'reports'] as const).includes(parts[0] as never)) {
    return { name: parts[0] as 'channels' | 'people' | 'start' | 'invitation' | 'reviews' | 'privacy' | 'contacts' | 'account' | 'reports' };
  }
  if (parts[0] === 'contacts' && parts.length === 2) return { name: 'contact', contactId: parts[1] };
  if (parts[0] === 'reviews' && parts.length === 2) return { name: 'review', caseId: parts[1] };
  if (parts[0] === 'flows' && parts.length === 2) return { name: 'designer', flowId: parts[1] };
  if (parts[0] === 'flows' && parts.length === 3 && parts[2] === 'instances') return { name: 'instances', flowId: parts[1] };
  if (parts[0] === 'instances' && parts.length === 1) return { name: 'instances', flowId: null };
  if (parts[0] === 'instances' && parts.length === 2) return { name: 'instance', instanceId: parts[1] };
  return { name: 'notFound' };
}

export function navigate(path: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

/** An anchor that routes inside the app on a plain click and behaves normally otherwise (new tab...). */
export function linkClick(path: string) {
  return (e: React.MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(path);
  };
}
