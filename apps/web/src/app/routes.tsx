import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { AccountsPage } from '../features/accounts/AccountsPage';
import { RefundOutstandingPage } from '../features/accounts/RefundOutstandingPage';
import { LoginPage } from '../features/auth/LoginPage';
import { SignUpPage } from '../features/auth/SignUpPage';
import { CustomerPage } from '../features/customers/CustomerPage';
import { CustomersPage } from '../features/customers/CustomersPage';
import { InsightsPage } from '../features/insights/InsightsPage';
import { PortalPage } from '../features/portal/PortalPage';
import { QuotesPage } from '../features/quotes/QuotesPage';
import { TransactionsPage } from '../features/transactions/TransactionsPage';
import { ApiKeysSettings } from '../features/settings/ApiKeysSettings';
import { BankAccountsSettings } from '../features/settings/BankAccountsSettings';
import { BusinessProfile } from '../features/settings/BusinessProfile';
import { RequireSettingsSection, SettingsPage } from '../features/settings/SettingsPage';
import { TeamSettings } from '../features/settings/TeamSettings';
import { useCurrent } from '../shared/current';
import { homePathFor, seesMoney } from './navigation';
import { useSessionStore } from './providers';
import { useSessionState } from './session';
import { Shell } from './Shell';

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
          <Route path="/customers/:id/accounts" element={<AccountsPage />} />
          <Route path="/customers/:id/accounts/refund" element={<RefundOutstandingPage />} />
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
