import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect } from 'react';
import { Link, Outlet, useLocation, useNavigate } from './router';
import { LogoutDocument, SessionDocument } from '../gql/graphql';
import { CurrentProvider, useCurrent } from '../shared/current';
import { QueryError } from '../shared/errors';
import { Loading } from '../shared/states';
import { navItemsFor } from './navigation';
import { useSessionStore } from './providers';
import { SampleBanner } from '../features/demo/SampleBanner';

const roleLabel: Record<string, string> = {
  OWNER: 'Owner',
  ADMIN: 'Admin',
  MANAGER: 'Manager',
  AGENT: 'Agent',
  VIEWER: 'Viewer',
};

/** The signed-in frame: loads `me` + `business`, then the navigation the member's role allows. */
export function Shell() {
  const session = useSessionStore();
  const { data, loading, error, refetch } = useQuery(SessionDocument);
  const missing = !loading && !error && (!data?.me || !data.business);

  // A token the API no longer knows (me: null) is an expired session too.
  useEffect(() => {
    if (missing) session.expire();
  }, [missing, session]);

  // Only the first load: a refetch (e.g. after a refusal that says the state moved on) must not
  // unmount the screen and the dialog the member is in.
  if (loading && !data) return <Loading label="Loading your business" />;
  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (!data?.me || !data.business) return <Loading label="Signing you out" />;

  return (
    <CurrentProvider member={data.me} business={data.business}>
      <Frame />
    </CurrentProvider>
  );
}

function Frame() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { member: me, business } = useCurrent();
  const location = useLocation();
  const navigate = useNavigate();
  const session = useSessionStore();
  const client = useApolloClient();
  const [logout, { loading: loggingOut }] = useMutation(LogoutDocument);

  const onLogout = async () => {
    try {
      await logout();
    } catch {
      // Signing out locally is what matters; the token expires on the server anyway.
    }
    session.signOut();
    await client.clearStore();
    navigate('/login', { replace: true });
  };

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Menu"
              aria-expanded={opened}
              aria-controls="main-navigation"
            />
            <Title order={1} size="h4" data-testid="business-name" lineClamp={1}>
              {business.name}
            </Title>
          </Group>
          {/* Below the sm breakpoint the header has room for the name only: who you are and Log
              out move into the burger menu (the navbar), so nothing is cut off at 390 px. */}
          <Group gap="sm" wrap="nowrap" visibleFrom="sm">
            <Who name={me.name} role={me.role} />
            <Button variant="default" size="xs" onClick={onLogout} loading={loggingOut}>
              Log out
            </Button>
          </Group>
          <Badge variant="light" color="gray" hiddenFrom="sm" data-testid="role-badge-mobile">
            {roleLabel[me.role] ?? me.role}
          </Badge>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main navigation" id="main-navigation">
        <AppShell.Section grow>
          {navItemsFor(me.role).map((item) => (
            <NavLink
              key={item.path}
              component={Link}
              to={item.path}
              label={item.label}
              active={location.pathname.startsWith(item.path)}
              aria-current={location.pathname.startsWith(item.path) ? 'page' : undefined}
              onClick={close}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section
          hiddenFrom="sm"
          pt="sm"
          style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
        >
          <Stack gap="xs">
            <Who name={me.name} role={me.role} />
            <Button variant="default" onClick={onLogout} loading={loggingOut}>
              Log out
            </Button>
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <SampleBanner />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

/** The signed-in member's name and role, in the header on wide screens and the menu on narrow. */
function Who({ name, role }: { name: string; role: string }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" data-testid="member-name">
        {name}
      </Text>
      <Badge variant="light" color="gray">
        {roleLabel[role] ?? role}
      </Badge>
    </Group>
  );
}
