/**
 * The SPA's router: the part of React Router's API the screens use (Routes of absolute paths with
 * layout routes and an Outlet, :params, a `*` fallback, Link, Navigate, useNavigate, useLocation,
 * useParams, useSearchParams; BrowserRouter, and MemoryRouter for tests), in about 1 kB instead of
 * React Router's 14 kB gzip on every first load (issue 15; scripts/first-load.test.ts).
 *
 * Semantics kept from React Router where the app relies on them: a route's path is absolute; a
 * route with children is a layout whose element renders the matched child through <Outlet />, and
 * it matches its own path too (with an empty outlet); `index` matches its parent's path; the most
 * specific path wins (static segments over :params over `*`); `navigate(to, { replace, state })`
 * and <Navigate> keep `state` on the history entry; a Link click with a modifier key, another
 * button or a target is left to the browser.
 */
import {
  Children,
  createContext,
  isValidElement,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
  type Ref,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';

export interface Location {
  pathname: string;
  search: string;
  hash: string;
  state: unknown;
  /** Differs for each history entry, as React Router's does. */
  key: string;
}

export interface NavigateOptions {
  replace?: boolean;
  state?: unknown;
}

export type NavigateFunction = (to: string, options?: NavigateOptions) => void;

/** Where the router reads and writes the location: the browser's history, or memory in tests. */
export interface History {
  location(): Location;
  go(to: string, options: NavigateOptions): void;
  listen(listener: () => void): () => void;
}

let keys = 0;
const nextKey = () => (keys += 1).toString(36);

function parsePath(to: string, state: unknown, key: string): Location {
  const url = new URL(to, 'http://localhost');
  return { pathname: url.pathname, search: url.search, hash: url.hash, state, key };
}

export function createBrowserHistory(): History {
  const listeners = new Set<() => void>();
  let current: Location | null = null;
  const read = (): Location => {
    const { pathname, search, hash } = window.location;
    const entry = (window.history.state ?? {}) as { key?: string; usr?: unknown };
    const key = entry.key ?? 'default';
    if (
      !current ||
      current.pathname !== pathname ||
      current.search !== search ||
      current.hash !== hash ||
      current.key !== key
    ) {
      current = { pathname, search, hash, state: entry.usr ?? null, key };
    }
    return current;
  };
  const notify = () => listeners.forEach((listener) => listener());
  window.addEventListener('popstate', notify);
  return {
    location: read,
    go(to, { replace = false, state = null }) {
      const entry = { key: nextKey(), usr: state };
      if (replace) window.history.replaceState(entry, '', to);
      else window.history.pushState(entry, '', to);
      notify();
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function createMemoryHistory(initialEntries: string[] = ['/']): History {
  const listeners = new Set<() => void>();
  const entries = (initialEntries.length ? initialEntries : ['/']).map((to) =>
    parsePath(to, null, nextKey()),
  );
  let index = entries.length - 1;
  return {
    location: () => entries[index]!,
    go(to, { replace = false, state = null }) {
      const next = parsePath(to, state, nextKey());
      if (replace) entries[index] = next;
      else {
        entries.splice(index + 1, entries.length, next);
        index += 1;
      }
      listeners.forEach((listener) => listener());
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

interface RouterState {
  location: Location;
  navigate: NavigateFunction;
  history: History;
}

const RouterContext = createContext<RouterState | null>(null);

function useRouter(): RouterState {
  const router = useContext(RouterContext);
  if (!router) throw new Error('Router hooks and components need a <BrowserRouter> above them.');
  return router;
}

export function Router({ history, children }: { history: History; children?: ReactNode }) {
  const location = useSyncExternalStore(history.listen, history.location, history.location);
  const navigate = useCallback<NavigateFunction>(
    (to, options = {}) => {
      // A relative `to` (none in the app today) resolves against the current path, as a link would.
      const current = history.location();
      const url = new URL(to, `http://localhost${current.pathname}${current.search}`);
      history.go(url.pathname + url.search + url.hash, options);
    },
    [history],
  );
  const value = useMemo(() => ({ location, navigate, history }), [location, navigate, history]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function BrowserRouter({ children }: { children?: ReactNode }) {
  const [history] = useState(createBrowserHistory);
  return <Router history={history}>{children}</Router>;
}

export function MemoryRouter({
  initialEntries,
  children,
}: {
  initialEntries?: string[];
  children?: ReactNode;
}) {
  const [history] = useState(() => createMemoryHistory(initialEntries));
  return <Router history={history}>{children}</Router>;
}

export function useLocation(): Location {
  return useRouter().location;
}

export function useNavigate(): NavigateFunction {
  return useRouter().navigate;
}

/** Redirects when rendered (after the render commits, as React Router's does). */
export function Navigate({ to, replace, state }: { to: string } & NavigateOptions) {
  const navigate = useNavigate();
  useEffect(() => {
    navigate(to, { replace, state });
  }, [navigate, to, replace, state]);
  return null;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  to: string;
  replace?: boolean;
  state?: unknown;
  ref?: Ref<HTMLAnchorElement>;
};

/** An <a href> that navigates in the app on a plain left click. */
export function Link({ to, replace, state, onClick, target, ...rest }: LinkProps) {
  const navigate = useNavigate();
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      (target && target !== '_self') ||
      event.metaKey ||
      event.altKey ||
      event.ctrlKey ||
      event.shiftKey
    ) {
      return;
    }
    event.preventDefault();
    navigate(to, { replace, state });
  };
  return <a {...rest} href={to} target={target} onClick={handleClick} />;
}

export type SetSearchParams = (
  next: URLSearchParams | ((current: URLSearchParams) => URLSearchParams),
  options?: NavigateOptions,
) => void;

/** The query string, and a setter that navigates to the same path with new parameters. */
export function useSearchParams(): [URLSearchParams, SetSearchParams] {
  const { location, navigate, history } = useRouter();
  const params = useMemo(() => new URLSearchParams(location.search), [location.search]);
  const setParams = useCallback<SetSearchParams>(
    (next, options) => {
      // The location now, not the one of the last render: two updates in a row both apply.
      const { pathname, search } = history.location();
      const value = typeof next === 'function' ? next(new URLSearchParams(search)) : next;
      const query = value.toString();
      navigate(`${pathname}${query ? `?${query}` : ''}`, options);
    },
    [history, navigate],
  );
  return [params, setParams];
}

// --- Routes ---------------------------------------------------------------------------------------

export interface RouteProps {
  path?: string;
  index?: boolean;
  element?: ReactNode;
  children?: ReactNode;
}

/** Declares a route for <Routes>; renders nothing by itself. */
export function Route(_props: RouteProps): ReactElement | null {
  return null;
}

interface Branch {
  /** The layouts from the outermost, then the matched route itself. */
  elements: ReactNode[];
  segments: string[] | null;
  score: number;
}

const ParamsContext = createContext<Record<string, string>>({});
const OutletContext = createContext<ReactNode>(null);

const splitPath = (path: string) => path.split('/').filter(Boolean);

function scoreOf(segments: string[]): number {
  return segments.reduce((sum, s) => sum + (s === '*' ? -2 : s.startsWith(':') ? 3 : 10), 0);
}

/** Every route that can match, with the layouts around it, in declaration order. */
function flatten(children: ReactNode, layouts: ReactNode[], parentPath: string | null): Branch[] {
  const branches: Branch[] = [];
  Children.forEach(children, (child) => {
    if (!isValidElement<RouteProps>(child) || child.type !== Route) return;
    const { path, index, element, children: nested } = child.props;
    const own = index ? parentPath : (path ?? null);
    if (own !== null) {
      const segments = splitPath(own);
      branches.push({ elements: [...layouts, element], segments, score: scoreOf(segments) });
    }
    if (nested) branches.push(...flatten(nested, [...layouts, element], own ?? parentPath));
  });
  return branches;
}

function match(segments: string[], pathname: string): Record<string, string> | null {
  const parts = splitPath(pathname);
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === '*') {
      params['*'] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        return null;
      }
    } else if (segment !== part) return null;
  }
  return parts.length === segments.length ? params : null;
}

/** Renders the most specific route that matches the location, inside its layouts. */
export function Routes({ children }: { children?: ReactNode }) {
  const { pathname } = useLocation();
  const branches = useMemo(() => flatten(children, [], '/'), [children]);
  let best: { branch: Branch; params: Record<string, string> } | null = null;
  for (const branch of branches) {
    const params = branch.segments && match(branch.segments, pathname);
    if (params && (!best || branch.score > best.branch.score)) best = { branch, params };
  }
  if (!best) return null;
  const rendered = best.branch.elements.reduceRight<ReactNode>(
    (outlet, element) => <OutletContext.Provider value={outlet}>{element}</OutletContext.Provider>,
    null,
  );
  return <ParamsContext.Provider value={best.params}>{rendered}</ParamsContext.Provider>;
}

/** Where a layout route shows its matched child route. */
export function Outlet() {
  return <>{useContext(OutletContext)}</>;
}

export function useParams<Params extends Record<string, string | undefined>>(): Params {
  return useContext(ParamsContext) as Params;
}
