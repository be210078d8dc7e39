import { useMutation, useQuery } from '@apollo/client/react';
import {
  Badge,
  Button,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import {
  canAssignRole,
  canChangeRole,
  canManageMember,
  checkPasswordStrength,
  ROLES,
  type Role,
} from '@refunds/domain';
import { useState } from 'react';
import {
  AddTeamMemberDocument,
  ChangeMemberRoleDocument,
  RemoveMemberDocument,
  type TeamMemberFieldsFragment,
  TeamMembersDocument,
} from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { FormErrors, QueryError, requestErrorMessage, userErrorMessage } from '../../shared/errors';
import { Loading } from '../../shared/states';
import { useMutationForm } from '../../shared/useMutationForm';
import { ConfirmActionBody } from '../../shared/ConfirmActionBody';

type TeamMember = TeamMemberFieldsFragment;

export const ROLE_LABELS: Record<Role, string> = {
  OWNER: 'Owner',
  ADMIN: 'Admin',
  MANAGER: 'Manager',
  AGENT: 'Agent',
  VIEWER: 'Viewer',
};

const ROLE_HELP: Record<Role, string> = {
  OWNER: 'everything',
  ADMIN: 'everything',
  MANAGER: 'everything but the team and API keys',
  AGENT: 'customers, no money',
  VIEWER: 'reads customers, no money',
};

const REFRESH = { refetchQueries: ['TeamMembers'], awaitRefetchQueries: true };

/** Who works in the business; what each may do comes from the domain's permission table. */
export function TeamSettings() {
  const { member: me } = useCurrent();
  const { data, loading, error, refetch } = useQuery(TeamMembersDocument, {
    fetchPolicy: 'cache-and-network',
  });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<TeamMember | null>(null);

  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (loading && !data) return <Loading label="Loading the team" />;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          Team
        </Title>
        <Button onClick={() => setAdding(true)}>Add member</Button>
      </Group>
      {/* On a phone the email gives way, so the role and the actions stay on screen. */}
      <Table.ScrollContainer minWidth={320}>
        <Table verticalSpacing="sm">
          <Table.Caption>Members of the business and their roles</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col" visibleFrom="sm">
                Email
              </Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data?.members ?? []).map((member) => (
              <Table.Tr key={member.id}>
                <Table.Td>
                  {member.name}
                  {member.id === me.id && (
                    <Badge ml="xs" variant="light" color="gray">
                      You
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td visibleFrom="sm">{member.email}</Table.Td>
                <Table.Td>
                  <RoleCell member={member} />
                </Table.Td>
                <Table.Td>
                  {member.id !== me.id && canManageMember(me.role, member.role) && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      onClick={() => setRemoving(member)}
                      aria-description={member.name}
                    >
                      Remove
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add a team member">
        <AddMemberForm onDone={() => setAdding(false)} />
      </Modal>
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title="Remove member?">
        {removing && <RemoveConfirm member={removing} onDone={() => setRemoving(null)} />}
      </Modal>
    </Stack>
  );
}

/** The role, as a select when the signed-in member may change it (never their own). */
function RoleCell({ member }: { member: TeamMember }) {
  const { member: me } = useCurrent();
  const [error, setError] = useState<string | null>(null);
  const [change, { loading }] = useMutation(ChangeMemberRoleDocument, REFRESH);
  if (member.id === me.id || !canManageMember(me.role, member.role)) {
    return <Text size="sm">{ROLE_LABELS[member.role]}</Text>;
  }
  const onChange = async (value: string | null) => {
    if (!value || value === member.role) return;
    setError(null);
    try {
      const { data } = await change({
        variables: { input: { memberId: member.id, role: value as Role } },
      });
      const refusal = data?.changeMemberRole.userErrors[0];
      if (refusal) setError(userErrorMessage(refusal));
    } catch (failure) {
      setError(requestErrorMessage(failure));
    }
  };
  return (
    <Stack gap={2}>
      <Select
        aria-label={`Role of ${member.name}`}
        data={ROLES.filter((role) => canChangeRole(me.role, member.role, role)).map((role) => ({
          value: role,
          label: ROLE_LABELS[role],
        }))}
        value={member.role}
        onChange={(value) => void onChange(value)}
        disabled={loading}
        allowDeselect={false}
        w={160}
      />
      {error && (
        <Text role="alert" size="sm" c="red.8">
          {error}
        </Text>
      )}
    </Stack>
  );
}

const MEMBER_FIELDS = ['name', 'email', 'role', 'password'];

function AddMemberForm({ onDone }: { onDone: () => void }) {
  const { member: me } = useCurrent();
  const roles = ROLES.filter((role) => canAssignRole(me.role, role));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>(roles.includes('MANAGER') ? 'MANAGER' : roles[0]!);
  const [password, setPassword] = useState('');
  const form = useMutationForm(MEMBER_FIELDS);
  const [create, { loading }] = useMutation(AddTeamMemberDocument, REFRESH);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!name.trim()) errors['name'] = 'Enter their name.';
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) errors['email'] = 'Enter their email address.';
    const strength = checkPasswordStrength(password);
    if (!strength.ok) errors['password'] = strength.error.message;
    form.setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const created = await form.run(async () => {
      const { data } = await create({
        variables: { input: { name: name.trim(), email: email.trim(), role, password } },
      });
      return {
        result: data?.createMember.member,
        userErrors: data?.createMember.userErrors ?? [],
      };
    }, 'No member was added.');
    if (created) onDone();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={form.fieldErrors['name']}
          required
          data-autofocus
        />
        <TextInput
          label="Email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={form.fieldErrors['email']}
          required
        />
        <Select
          label="Role"
          data={roles.map((value) => ({
            value,
            label: `${ROLE_LABELS[value]}: ${ROLE_HELP[value]}`,
          }))}
          value={role}
          onChange={(value) => value && setRole(value as Role)}
          error={form.fieldErrors['role']}
          allowDeselect={false}
          required
        />
        <PasswordInput
          label="First password"
          description="Give it to them yourself; they log in with their email and this password."
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={form.fieldErrors['password']}
          required
        />
        <FormErrors messages={form.general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Add member
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RemoveConfirm({ member, onDone }: { member: TeamMember; onDone: () => void }) {
  const form = useMutationForm([]);
  const [remove, { loading }] = useMutation(RemoveMemberDocument, REFRESH);
  const confirm = async () => {
    const removed = await form.run(async () => {
      const { data } = await remove({ variables: { memberId: member.id } });
      return {
        result: data?.removeMember.member,
        userErrors: data?.removeMember.userErrors ?? [],
      };
    }, `${member.name} was not removed.`);
    if (removed) onDone();
  };
  return (
    <ConfirmActionBody
      errors={form.general}
      keepLabel="Keep them"
      actionLabel="Remove"
      loading={loading}
      onKeep={onDone}
      onConfirm={() => void confirm()}
    >
      <strong>{member.name}</strong> ({member.email}) loses access at once: their sessions end. What
      they recorded stays, with their name.
    </ConfirmActionBody>
  );
}
