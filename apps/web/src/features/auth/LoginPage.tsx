import { useMutation } from '@apollo/client/react';
import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, Navigate } from '../../app/router';
import { useSessionStore } from '../../app/providers';
import { useSessionState } from '../../app/session';
import { LoginDocument } from '../../gql/graphql';
import { FormErrors, requestErrorMessage, splitUserErrors } from '../../shared/errors';
import { AuthLayout } from './AuthLayout';
import { useAuthSuccess } from './useAuthSuccess';

export function LoginPage() {
  const session = useSessionStore();
  const { token, expired } = useSessionState(session);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [login, { loading }] = useMutation(LoginDocument);
  const onSuccess = useAuthSuccess();

  if (token) return <Navigate to="/" replace />;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!email.trim()) missing['email'] = 'Enter your email.';
    if (!password) missing['password'] = 'Enter your password.';
    setFieldErrors(missing);
    setGeneral([]);
    if (Object.keys(missing).length > 0) return;
    try {
      const { data } = await login({ variables: { email: email.trim(), password } });
      const payload = data?.login;
      if (payload?.token) return void (await onSuccess(payload.token));
      const { byField, general: rest } = splitUserErrors(payload?.userErrors ?? [], [
        'email',
        'password',
      ]);
      setFieldErrors(byField);
      setGeneral(rest.length || Object.keys(byField).length ? rest : ['Could not log in.']);
    } catch (error) {
      setGeneral([requestErrorMessage(error)]);
    }
  };

  return (
    <AuthLayout title="Log in">
      {expired && (
        <Alert color="yellow" role="alert" title="Your session expired">
          Log in again to continue.
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={fieldErrors['email']}
            required
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fieldErrors['password']}
            required
          />
          <FormErrors messages={general} />
          <Button type="submit" loading={loading}>
            Log in
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        New here?{' '}
        <Anchor component={Link} to="/signup">
          Create a business
        </Anchor>
      </Text>
    </AuthLayout>
  );
}
