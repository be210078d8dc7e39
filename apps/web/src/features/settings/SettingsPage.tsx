import { Stack, Tabs, Title } from '@mantine/core';
import { Navigate, Outlet, useLocation, useNavigate } from '../../app/router';
import { useCurrent } from '../../shared/current';
import { settingsSectionsFor } from './sections';

/** /settings/...: one tab per section the member's role may open. */
export function SettingsPage() {
  const { member } = useCurrent();
  const location = useLocation();
  const navigate = useNavigate();
  const sections = settingsSectionsFor(member.role);
  const current = sections.find((s) => location.pathname.startsWith(s.path));
  if (sections.length === 0) return <Navigate to="/" replace />;
  if (!current) return <Navigate to={sections[0]!.path} replace />;
  return (
    <Stack>
      <Title order={1} size="h2">
        Settings
      </Title>
      <Tabs value={current.path} onChange={(path) => path && navigate(path)}>
        <Tabs.List aria-label="Settings sections">
          {sections.map((section) => (
            <Tabs.Tab key={section.path} value={section.path}>
              {section.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </Stack>
  );
}

/** A section the role may not open (typed into the address bar) goes to the first allowed one. */
export function RequireSettingsSection({
  path,
  children,
}: {
  path: string;
  children: React.ReactNode;
}) {
  const { member } = useCurrent();
  const allowed = settingsSectionsFor(member.role).some((s) => s.path === path);
  return allowed ? <>{children}</> : <Navigate to="/settings" replace />;
}
