/**
 * The SPA's router: wouter 3 (https://github.com/molefrog/wouter; +1 kB gzip on the first load of
 * /quotes, where React Router cost 14 kB: issue 15, scripts/first-load.test.ts) behind the part of
 * React Router's API the screens use, so they import from here and not from wouter.
 *
 * wouter does the work: the browser's history (memoryLocation in tests), navigate with `replace`
 * and `state`, the history entry's state, path matching (its regexparam parser), Link and
 * Redirect. Written here, because wouter has no equivalent: <Routes> of absolute paths with layout
 * routes around an <Outlet />, where the most specific path wins (static segments over :params
 * over `*`) as in React Router (wouter's <Switch> renders the FIRST route that matches, and its
 * nested routes are relative to the parent's path); a route with children also matches its own
 * path (with an empty outlet), and `index` matches its parent's path. Also useLocation in React
 * Router's shape ({ pathname, search, state }), and useSearchParams over the raw query string
 * (see useRawSearch).
 */
import {
  Children,
  createContext,
  isValidElement,
  type ReactElement,
  type ReactNode,
  useContext,
  useMemo,
  useState,
} from 'react';
import {
  Link,
  matchRoute,
  Redirect,
  Router,
  type BaseLocationHook,
  useLocation as useWouterLocation,
  useRouter,
} from 'wouter';
import { useHistoryState } from 'wouter/use-browser-location';
import { memoryLocation } from 'wouter/memory-location';

export { Link };

export interface Location {
  pathname: string;
  /** '' or '?…', as `window.location.search`. */
  search: string;
  state: unknown;
}

export interface NavigateOptions {
  replace?: boolean;
  state?: unknown;
}

export type NavigateFunction = (to: string, options?: NavigateOptions) => void;

/** How the current history entry's `state` is read: the browser's, or the memory location's. */
const StateContext = createContext<() => unknown>(useHistoryState);

export function BrowserRouter({ children }: { children?: ReactNode }) {
  return <Router>{children}</Router>;
}

/** The router for tests: the location lives in memory, starting at the last of `initialEntries`. */
export function MemoryRouter({
  initialEntries = ['/'],
  children,
}: {
  initialEntries?: string[];
  children?: ReactNode;
}) {
  const [memory] = useState(() => {
    const location = memoryLocation({ path: initialEntries.at(-1) ?? '/' });
    // wouter's memory location keeps the last state when a navigation gives none; a browser
    // history entry has none then.
    const hook: BaseLocationHook = () => [
      location.hook()[0],
      (to: string, options: NavigateOptions = {}) =>
        location.navigate(to, { ...options, state: options.state ?? null }),
    ];
    hook.searchHook = location.searchHook;
    return { hook, state: () => location.state };
  });
  return (
    <StateContext.Provider value={memory.state}>
      <Router hook={memory.hook}>{children}</Router>
    </StateContext.Provider>
  );
}

/**
 * The query string as the address has it, without the '?'. Not wouter's useSearch: that one runs
 * decodeURI over it first, so a value typed as "%41" (sent as %2541) would read back as "A"
 * (molefrog/wouter#493).
 */
function useRawSearch(): string {
  const router = useRouter();
  const search = router.searchHook(router);
  return search.startsWith('?') ? search.slice(1) : search;
}

export function useLocation(): Location {
  const [pathname] = useWouterLocation();
  const search = useRawSearch();
  const state = useContext(StateContext)();
  return useMemo(
    () => ({ pathname, search: search ? `?${search}` : '', state: state ?? null }),
    [pathname, search, state],
  );
}

export function useNavigate(): NavigateFunction {
  return useWouterLocation()[1];
}

export type SetSearchParams = (
  next: URLSearchParams | ((current: URLSearchParams) => URLSearchParams),
  options?: NavigateOptions,
) => void;

/** The query string, and a setter that navigates to the same path with new parameters. */
export function useSearchParams(): [URLSearchParams, SetSearchParams] {
  const [pathname, navigate] = useWouterLocation();
  const search = useRawSearch();
  return useMemo(() => {
    // What the last update set, so two updates in a row both apply (as wouter's own does).
    let current = new URLSearchParams(search);
    const setParams: SetSearchParams = (next, options) => {
      current = typeof next === 'function' ? next(new URLSearchParams(current)) : next;
      const query = current.toString();
      navigate(`${pathname}${query ? `?${query}` : ''}`, options);
    };
    return [new URLSearchParams(search), setParams];
  }, [pathname, search, navigate]);
}

/** Redirects once rendered (wouter's <Redirect>, after the render commits). */
export function Navigate({ to, replace, state = null }: { to: string } & NavigateOptions) {
  return <Redirect to={to} replace={replace} state={state} />;
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
  path: string | null;
  score: number;
}

const ParamsContext = createContext<Record<string, string | undefined>>({});
const OutletContext = createContext<ReactNode>(null);

/** React Router's ranking: each static segment outweighs a :param, which outweighs a `*`. */
function scoreOf(path: string): number {
  return path
    .split('/')
    .filter(Boolean)
    .reduce((sum, s) => sum + (s === '*' ? -2 : s.startsWith(':') ? 3 : 10), 0);
}

/** Every route that can match, with the layouts around it, in declaration order. */
function flatten(children: ReactNode, layouts: ReactNode[], parentPath: string | null): Branch[] {
  const branches: Branch[] = [];
  Children.forEach(children, (child) => {
    if (!isValidElement<RouteProps>(child) || child.type !== Route) return;
    const { path, index, element, children: nested } = child.props;
    const own = index ? parentPath : (path ?? null);
    if (own !== null)
      branches.push({ elements: [...layouts, element], path: own, score: scoreOf(own) });
    if (nested) branches.push(...flatten(nested, [...layouts, element], own ?? parentPath));
  });
  return branches;
}

/** Renders the most specific route that matches the location, inside its layouts. */
export function Routes({ children }: { children?: ReactNode }) {
  const { parser } = useRouter();
  const [pathname] = useWouterLocation();
  const branches = useMemo(() => flatten(children, [], '/'), [children]);
  let best: { branch: Branch; params: Record<string, string | undefined> } | null = null;
  for (const branch of branches) {
    if (branch.path === null || (best && branch.score <= best.branch.score)) continue;
    const [matches, params] = matchRoute(parser, branch.path, pathname);
    if (matches) best = { branch, params };
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
