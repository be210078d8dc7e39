import { act, fireEvent, render, screen } from '@testing-library/react';
import {
  Link,
  MemoryRouter,
  Navigate,
  Outlet,
  Route,
  Routes,
  useLocation,
  useNavigate,
  useParams,
  useSearchParams,
} from './router';

function Where() {
  const location = useLocation();
  return <output data-testid="where">{location.pathname + location.search}</output>;
}

function Layout({ name }: { name: string }) {
  return (
    <section aria-label={name}>
      <Outlet />
    </section>
  );
}

function Customer() {
  const { id } = useParams<{ id: string }>();
  return <p>customer {id}</p>;
}

function Accounts() {
  const { id } = useParams<{ id: string }>();
  return <p>accounts of {id}</p>;
}

function app(initial: string) {
  return render(
    <MemoryRouter initialEntries={[initial]}>
      <Routes>
        <Route path="/login" element={<p>login</p>} />
        <Route element={<Layout name="shell" />}>
          <Route index element={<Navigate to="/customers" replace />} />
          <Route element={<Layout name="money" />}>
            <Route path="/customers/:id/accounts" element={<Accounts />} />
          </Route>
          <Route path="/customers" element={<p>customers</p>} />
          <Route path="/customers/:id" element={<Customer />} />
          <Route path="/settings" element={<Layout name="settings" />}>
            <Route path="/settings/team" element={<p>team</p>} />
          </Route>
        </Route>
        <Route path="*" element={<p>not found</p>} />
      </Routes>
      <Where />
    </MemoryRouter>,
  );
}

describe('Routes', () => {
  it('renders a route inside its layouts, and a pathless layout only around its children', () => {
    const first = app('/customers/7/accounts');
    expect(screen.getByRole('region', { name: 'shell' })).toContainElement(
      screen.getByRole('region', { name: 'money' }),
    );
    expect(screen.getByText('accounts of 7')).toBeInTheDocument();

    first.unmount();
    app('/login');
    expect(screen.getByText('login')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'shell' })).not.toBeInTheDocument();
  });

  it('prefers static segments over parameters, and decodes parameters', () => {
    const first = app('/customers');
    expect(screen.getByText('customers')).toBeInTheDocument();
    first.unmount();
    app('/customers/a%20b');
    expect(screen.getByText('customer a b')).toBeInTheDocument();
  });

  it('matches a layout route on its own path with an empty outlet, and its children below it', () => {
    const first = app('/settings');
    expect(screen.getByRole('region', { name: 'settings' })).toBeEmptyDOMElement();
    first.unmount();
    app('/settings/team');
    expect(screen.getByRole('region', { name: 'settings' })).toHaveTextContent('team');
  });

  it('falls back to * for anything else, including extra segments', () => {
    app('/customers/7/nothing');
    expect(screen.getByText('not found')).toBeInTheDocument();
  });

  it('renders the index route at its parent path and follows a redirect', () => {
    app('/');
    expect(screen.getByTestId('where')).toHaveTextContent('/customers');
    expect(screen.getByText('customers')).toBeInTheDocument();
  });
});

describe('navigation', () => {
  function Controls() {
    const navigate = useNavigate();
    const [params, setParams] = useSearchParams();
    const location = useLocation();
    return (
      <>
        <output data-testid="state">{JSON.stringify(location.state)}</output>
        <output data-testid="tab">{params.get('tab') ?? ''}</output>
        <button onClick={() => navigate('/b?x=1', { state: { from: '/a' } })}>go</button>
        <button
          onClick={() => {
            // Two updates in a row: the second sees the first.
            setParams((p) => new URLSearchParams([...p, ['tab', 'paid']]));
            setParams((p) => new URLSearchParams([...p, ['page', '2']]), { replace: true });
          }}
        >
          filter
        </button>
        <button onClick={() => setParams(new URLSearchParams([['q', '100% %41']]))}>search</button>
        <output data-testid="q">{params.get('q') ?? ''}</output>
        <Link to="/c" className="link">
          to c
        </Link>
      </>
    );
  }

  function setup() {
    render(
      <MemoryRouter initialEntries={['/a']}>
        <Controls />
        <Where />
      </MemoryRouter>,
    );
  }

  it('keeps state on the entry it navigates to', () => {
    setup();
    fireEvent.click(screen.getByRole('button', { name: 'go' }));
    expect(screen.getByTestId('where')).toHaveTextContent('/b?x=1');
    expect(screen.getByTestId('state')).toHaveTextContent('{"from":"/a"}');
  });

  it('updates the query string from the latest location', () => {
    setup();
    fireEvent.click(screen.getByRole('button', { name: 'filter' }));
    expect(screen.getByTestId('where')).toHaveTextContent('/a?tab=paid&page=2');
    expect(screen.getByTestId('tab')).toHaveTextContent('paid');
  });

  it('reads a query value back as it was set, percent signs included', () => {
    setup();
    fireEvent.click(screen.getByRole('button', { name: 'search' }));
    expect(screen.getByTestId('where')).toHaveTextContent('/a?q=100%25+%2541');
    expect(screen.getByTestId('q')).toHaveTextContent('100% %41');
  });

  it('navigates on a plain click of a link and leaves a modified click to the browser', () => {
    setup();
    const link = screen.getByRole('link', { name: 'to c' });
    expect(link).toHaveAttribute('href', '/c');
    expect(link).toHaveClass('link');
    const ctrlClick = fireEvent.click(link, { ctrlKey: true });
    expect(ctrlClick).toBe(true); // not prevented: the browser opens it
    expect(screen.getByTestId('where')).toHaveTextContent('/a');
    act(() => {
      fireEvent.click(link);
    });
    expect(screen.getByTestId('where')).toHaveTextContent('/c');
  });
});
