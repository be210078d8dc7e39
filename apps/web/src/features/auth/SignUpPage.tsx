import { useMutation } from '@apollo/client/react';
import {
  Anchor,
  Button,
  Fieldset,
  Group,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import {
  checkPasswordStrength,
  countryDefaults,
  countryName,
  parseBusinessProfile,
} from '@refunds/domain';
import { memo, useMemo, useState } from 'react';
import { Link, Navigate } from '../../app/router';
import { useSessionStore } from '../../app/providers';
import { useSessionState } from '../../app/session';
import { SignUpDocument } from '../../gql/graphql';
import { FormErrors, splitRequestError, splitUserErrors } from '../../shared/errors';
import { AuthLayout } from './AuthLayout';
import { useAuthSuccess } from './useAuthSuccess';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Every two-letter code the domain accepts as a country (the API applies the same rule). */
function countryOptions() {
  const options: { value: string; label: string }[] = [];
  for (const a of LETTERS) {
    for (const b of LETTERS) {
      const code = a + b;
      const accepted = parseBusinessProfile({ country: code, currency: 'USD', timezone: 'UTC' });
      if (accepted.ok) options.push({ value: code, label: `${countryName(code)} (${code})` });
    }
  }
  return options.sort((x, y) => x.label.localeCompare(y.label));
}

// Country, currency and time zone lists are long: memoized, so typing in the text fields does not
// re-render hundreds of options on every key.
const MemoSelect = memo(Select) as unknown as typeof Select;

const FIELDS = ['businessName', 'country', 'currency', 'timezone', 'name', 'email', 'password'];

const ownTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

const initial = {
  businessName: '',
  country: null as string | null,
  currency: 'USD' as string | null,
  timezone: ownTimeZone as string | null,
  name: '',
  email: '',
  password: '',
};

export function SignUpPage() {
  const session = useSessionStore();
  const { token } = useSessionState(session);
  const [form, setForm] = useState(initial);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [signUp, { loading }] = useMutation(SignUpDocument);
  const onSuccess = useAuthSuccess();
  const countries = useMemo(countryOptions, []);
  const currencies = useMemo(() => Intl.supportedValuesOf('currency'), []);
  const allTimezones = useMemo(() => ['UTC', ...Intl.supportedValuesOf('timeZone')], []);
  const countryZones = useMemo(
    () => (form.country ? countryDefaults(form.country).timezones : []),
    [form.country],
  );
  // The chosen country's zones first, so a country of several zones is a short choice.
  const timezones = useMemo(
    () =>
      countryZones.length > 0
        ? [
            { group: `In ${countryName(form.country ?? '')}`, items: [...countryZones] },
            {
              group: 'Everywhere else',
              items: allTimezones.filter((zone) => !countryZones.includes(zone)),
            },
          ]
        : allTimezones,
    [allTimezones, countryZones, form.country],
  );
  const setters = useMemo(() => {
    const make =
      <K extends keyof typeof initial>(key: K) =>
      (value: (typeof initial)[K]) =>
        setForm((f) => ({ ...f, [key]: value }));
    // Picking a country fills its currency and time zone (the domain's countryDefaults); a country
    // of several zones keeps the person's own zone if it is one of them, else asks them to choose.
    const chooseCountry = (country: string | null) =>
      setForm((f) => {
        if (!country) return { ...f, country };
        const defaults = countryDefaults(country, ownTimeZone);
        return {
          ...f,
          country,
          currency: defaults.currency ?? f.currency,
          timezone: defaults.timezones.length > 0 ? defaults.timezone : f.timezone,
        };
      });
    const all = {
      businessName: make('businessName'),
      country: chooseCountry,
      currency: make('currency'),
      timezone: make('timezone'),
      name: make('name'),
      email: make('email'),
      password: make('password'),
    };
    return <K extends keyof typeof initial>(key: K) =>
      all[key] as (value: (typeof initial)[K]) => void;
  }, []);

  if (token) return <Navigate to="/" replace />;

  const set = setters;

  const validate = (): Record<string, string> => {
    const errors: Record<string, string> = {};
    if (!form.businessName.trim()) errors['businessName'] = 'Enter the business name.';
    if (!form.name.trim()) errors['name'] = 'Enter your name.';
    if (!/^\S+@\S+\.\S+$/.test(form.email.trim())) errors['email'] = 'Enter a valid email.';
    if (!form.country) errors['country'] = 'Choose a country.';
    if (!form.currency) errors['currency'] = 'Choose a currency.';
    if (!form.timezone) errors['timezone'] = 'Choose a time zone.';
    if (form.country && form.currency && form.timezone) {
      const profile = parseBusinessProfile({
        country: form.country,
        currency: form.currency,
        timezone: form.timezone,
      });
      if (!profile.ok) {
        errors[profile.error.field[profile.error.field.length - 1] ?? 'country'] =
          profile.error.message;
      }
    }
    const password = checkPasswordStrength(form.password);
    if (!password.ok) errors['password'] = password.error.message;
    return errors;
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const errors = validate();
    setFieldErrors(errors);
    setGeneral([]);
    if (Object.keys(errors).length > 0) return;
    try {
      const { data } = await signUp({
        variables: {
          input: {
            businessName: form.businessName.trim(),
            country: form.country ?? '',
            currency: form.currency ?? '',
            timezone: form.timezone ?? '',
            name: form.name.trim(),
            email: form.email.trim(),
            password: form.password,
          },
        },
      });
      const payload = data?.signUp;
      if (payload?.token) return void (await onSuccess(payload.token));
      const { byField, general: rest } = splitUserErrors(payload?.userErrors ?? [], FIELDS);
      setFieldErrors(byField);
      setGeneral(rest);
    } catch (error) {
      const { byField, general: rest } = splitRequestError(error, FIELDS);
      setFieldErrors(byField);
      setGeneral(rest);
    }
  };

  return (
    <AuthLayout title="Create your business">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Fieldset legend="Business">
            <Stack>
              <TextInput
                label="Business name"
                value={form.businessName}
                onChange={(e) => set('businessName')(e.currentTarget.value)}
                error={fieldErrors['businessName']}
                required
              />
              <MemoSelect
                label="Country"
                data={countries}
                value={form.country}
                onChange={set('country')}
                searchable
                error={fieldErrors['country']}
                description={
                  form.country ? `Refund examples for ${countryName(form.country)}` : undefined
                }
                required
              />
              <Group grow align="flex-start">
                <MemoSelect
                  label="Currency"
                  data={currencies}
                  value={form.currency}
                  onChange={set('currency')}
                  searchable
                  error={fieldErrors['currency']}
                  required
                />
                <MemoSelect
                  label="Time zone"
                  data={timezones}
                  value={form.timezone}
                  onChange={set('timezone')}
                  searchable
                  error={fieldErrors['timezone']}
                  description={
                    form.country && countryZones.length > 1 && !form.timezone
                      ? `${countryName(form.country)} has ${countryZones.length} time zones: choose yours.`
                      : undefined
                  }
                  required
                />
              </Group>
            </Stack>
          </Fieldset>
          <Fieldset legend="You, the owner">
            <Stack>
              <TextInput
                label="Your name"
                value={form.name}
                onChange={(e) => set('name')(e.currentTarget.value)}
                error={fieldErrors['name']}
                required
              />
              <TextInput
                label="Email"
                type="email"
                autoComplete="email"
                value={form.email}
                onChange={(e) => set('email')(e.currentTarget.value)}
                error={fieldErrors['email']}
                required
              />
              <PasswordInput
                label="Password"
                description="At least 10 characters."
                autoComplete="new-password"
                value={form.password}
                onChange={(e) => set('password')(e.currentTarget.value)}
                error={fieldErrors['password']}
                required
              />
            </Stack>
          </Fieldset>
          <FormErrors messages={general} />
          <Button type="submit" loading={loading}>
            Create business
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        Already have an account?{' '}
        <Anchor component={Link} to="/login">
          Log in
        </Anchor>
      </Text>
    </AuthLayout>
  );
}
