import type { LookupAddress } from 'node:dns';
import { isDomainError } from '@refunds/domain';
import { checkWebhookUrl, guardedLookup, isNonPublicAddress, type Resolve } from './webhook-url';

const strict = { allowPrivateTargets: false };
const resolvesTo =
  (...addresses: string[]): Resolve =>
  async () =>
    addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));

async function refusal(url: string, resolve: Resolve = resolvesTo('93.184.216.34')) {
  try {
    await checkWebhookUrl(url, strict, resolve);
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  return null;
}

describe('isNonPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    'not-an-ip',
  ])('%s is not public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );
});

describe('checkWebhookUrl', () => {
  it('accepts a public https URL as it will be stored', async () => {
    await expect(
      checkWebhookUrl('  https://hooks.example.com/in ', strict, resolvesTo('93.184.216.34')),
    ).resolves.toBe('https://hooks.example.com/in');
  });

  it.each([
    'http://hooks.example.com/in',
    'ftp://hooks.example.com/',
    'not a url',
    'https://user:pass@hooks.example.com/',
    'https://127.0.0.1/hook',
    'https://[::1]/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.5/',
    'https://localhost/hook',
    'https://printer.local/',
    'https://intranet/',
    `https://example.com/${'a'.repeat(2100)}`,
  ])('refuses %s with INVALID_URL at input.url', async (url) => {
    const error = await refusal(url);
    expect(error?.code).toBe('INVALID_URL');
    expect(error?.field).toEqual(['input', 'url']);
  });

  it('refuses a name that resolves to a private address', async () => {
    const error = await refusal(
      'https://sneaky.example.com/',
      resolvesTo('93.184.216.34', '10.0.0.7'),
    );
    expect(error?.message).toContain('10.0.0.7');
  });

  it('accepts a name that does not resolve yet: the delivery checks again', async () => {
    const failing: Resolve = async () => {
      throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(checkWebhookUrl('https://later.example.com/', strict, failing)).resolves.toBe(
      'https://later.example.com/',
    );
  });

  it('allows http and private targets only with the development setting', async () => {
    await expect(
      checkWebhookUrl('http://127.0.0.1:9000/x', { allowPrivateTargets: true }),
    ).resolves.toBe('http://127.0.0.1:9000/x');
  });

  it('names the schemes the setting allows when it refuses one', async () => {
    expect((await refusal('http://hooks.example.com/in'))?.message).toBe(
      'The URL must start with https://.',
    );
    const development = await checkWebhookUrl('ftp://127.0.0.1/x', {
      allowPrivateTargets: true,
    }).catch((error: unknown) => error);
    expect(isDomainError(development) && development.message).toBe(
      'The URL must start with https:// (or http://, which this development setting allows).',
    );
  });
});

describe('guardedLookup (the check at connect time)', () => {
  const lookup = (resolve: Resolve, all = false) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((done) =>
      guardedLookup(strict, resolve)('hooks.example.com', { all }, (error, address) =>
        done({ error, address }),
      ),
    );

  it('refuses a name that now resolves to a private address (DNS rebinding)', async () => {
    const { error } = await lookup(resolvesTo('127.0.0.1'));
    expect(error?.code).toBe('EBLOCKED');
  });

  it('connects only to the public answers', async () => {
    expect((await lookup(resolvesTo('10.0.0.1', '93.184.216.34'))).address).toBe('93.184.216.34');
    expect((await lookup(resolvesTo('10.0.0.1', '93.184.216.34'), true)).address).toEqual([
      { address: '93.184.216.34', family: 4 },
    ]);
  });
});
