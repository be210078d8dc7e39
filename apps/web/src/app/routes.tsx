import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link, Navigate, Outlet, Route, Routes, useLocation } from './router';
import { RequireSettingsSection, SettingsPage } from '../features/settings/SettingsPage';
import { useCurrent } from '../shared/current';
import { canReadAuditLog } from '../features/audit/access';
import { homePathFor, seesMoney } from './navigation';
import { useSessionStore } from './providers';
import { useSessionState } from './session';
import { Shell } from './Shell';
import { lazyPage } from './lazyPage';

// Every screen is its own chunk, fetched on first visit (see lazyPage).
const AccountsPage = lazyPage(() => import('../features/accounts/AccountsPage'), 'AccountsPage');
const RefundOutstandingPage = lazyPage(
  () => import('../features/accounts/RefundOutstandingPage'),
  'RefundOutstandingPage',
);
const LoginPage = lazyPage(() => import('../features/auth/LoginPage'), 'LoginPage');
const SignUpPage = lazyPage(() => import('../features/auth/SignUpPage'), 'SignUpPage');
const CustomerPage = lazyPage(() => import('../features/customers/CustomerPage'), 'CustomerPage');
const CustomersPage = lazyPage(
  () => import('../features/customers/CustomersPage'),
  'CustomersPage',
);
const InsightsPage = lazyPage(() => import('../features/insights/InsightsPage'), 'InsightsPage');
const PortalPage = lazyPage(() => import('../features/portal/PortalPage'), 'PortalPage');
const QuotesPage = lazyPage(() => import('../features/quotes/QuotesPage'), 'QuotesPage');
const TransactionsPage = lazyPage(
  () => import('../features/transactions/TransactionsPage'),
  'TransactionsPage',
);
const SentMailPage = lazyPage(() => import('../features/mail/SentMailPage'), 'SentMailPage');
const AuditLogPage = lazyPage(() => import('../features/audit/AuditLogPage'), 'AuditLogPage');
const WebhooksSettings = lazyPage(
  () => import('../features/webhooks/WebhooksSettings'),
  'WebhooksSettings',
);
const ApiKeysSettings = lazyPage(
  () => import('../features/settings/ApiKeysSettings'),
  'ApiKeysSettings',
);
const BankAccountsSettings = lazyPage(
  () => import('../features/settings/BankAccountsSettings'),
  'BankAccountsSettings',
);
const BusinessProfile = lazyPage(
  () => import('../features/settings/BusinessProfile'),
  'BusinessProfile',
);
const TeamSettings = lazyPage(() => import('../features/settings/TeamSettings'), 'TeamSettings');

function RequireAuth() {
  const session = useSessionStore();
  const { token } = useSessionState(session);
  const location = useLocation();
  if (!token) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <Shell />;
}

/** Quotes, Insights and Transactions: other roles are sent to the customer list. */
function RequireMoney() {
  const { member } = useCurrent();
  if (!seesMoney(member.role)) return <Navigate to="/customers" replace />;
  return <Outlet />;
}

/** The audit log: OWNER and ADMIN only (the API refuses the others too). */
function RequireAuditLog() {
  const { member } = useCurrent();
  if (!canReadAuditLog(member.role)) return <Navigate to="/" replace />;
  return <Outlet />;
}

function Home() {
  const { member } = useCurrent();
  return <Navigate to={homePathFor(member.role)} replace />;
}

export function NotFoundPage() {
  return (
    <Center mih="60vh" p="md">
      <Stack align="center">
        <Title order={1}>Page not found</Title>
        <Text c="dimmed">There is nothing at this address.</Text>
        <Button component={Link} to="/">
          Go to the start page
        </Button>
      </Stack>
    </Center>
  );
}

const SETTINGS_ROUTES = [
  { path: '/settings/business', element: <BusinessProfile /> },
  { path: '/settings/team', element: <TeamSettings /> },
  { path: '/settings/api-keys', element: <ApiKeysSettings /> },
  { path: '/settings/bank-accounts', element: <BankAccountsSettings /> },
  { path: '/settings/webhooks', element: <WebhooksSettings /> },
];

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/signup" element={<SignUpPage />} />
      <Route path="/c/:token" element={<PortalPage />} />
      <Route element={<RequireAuth />}>
        <Route index element={<Home />} />
        <Route element={<RequireMoney />}>
          <Route path="/quotes" element={<QuotesPage />} />
          <Route path="/insights" element={<InsightsPage />} />
          <Route path="/transactions" element={<TransactionsPage />} />
          <Route path="/mail" element={<SentMailPage />} />
          <Route path="/customers/:id/accounts" element={<AccountsPage />} />
          <Route path="/customers/:id/accounts/refund" element={<RefundOutstandingPage />} />
        </Route>
        <Route element={<RequireAuditLog />}>
          <Route path="/audit" element={<AuditLogPage />} />
        </Route>
        <Route path="/customers" element={<CustomersPage />} />
        <Route path="/customers/:id" element={<CustomerPage />} />
        <Route path="/settings" element={<SettingsPage />}>
          {SETTINGS_ROUTES.map(({ path, element }) => (
            <Route
              key={path}
              path={path}
              element={<RequireSettingsSection path={path}>{element}</RequireSettingsSection>}
            />
          ))}
        </Route>
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
