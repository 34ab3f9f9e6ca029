// In-app navigation with the History API: links push a path, the back button pops one; both call `show`.
import { parseRoute, routePath, type Route } from './routes.ts';

export type Navigator = {
  /** Push `route` onto history and show it. */
  go(route: Route): void;
  /** The route the address bar shows now. */
  current(): Route;
};

/**
 * Call `show` on every route change after the first: the back button (`popstate`) and taps on same-origin links
 * (plain left taps only; a modifier key or a `target` keeps the browser's own behaviour).
 */
export function createNavigator(deps: { window: Window; show(route: Route): void }): Navigator {
  const { window: win } = deps;
  const current = (): Route => parseRoute(win.location.pathname, win.location.search);
  win.addEventListener('popstate', () => deps.show(current()));
  win.document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!(link instanceof HTMLAnchorElement) || link.target || link.origin !== win.location.origin) return;
    // A fragment on this page (#passkeys) is the browser's to scroll to.
    if (link.hash && link.pathname === win.location.pathname && link.search === win.location.search) return;
    event.preventDefault();
    nav.go(parseRoute(link.pathname, link.search));
  });
  const nav: Navigator = {
    go(route) {
      const path = routePath(route);
      if (`${win.location.pathname}${win.location.search}` !== path) win.history.pushState(null, '', path);
      deps.show(route);
    },
    current,
  };
  return nav;
}
