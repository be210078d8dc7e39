import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { useSessionStore } from '../../app/providers';

export type ExportName = 'transactions' | 'quotes' | 'statement';

/** The API path of an export with the screen's filters (empty ones left out). */
export function exportUrl(
  name: ExportName,
  filters: Record<string, string | null | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  const search = query.toString();
  return `/export/${name}.csv${search ? `?${search}` : ''}`;
}

function fileNameOf(disposition: string | null, fallback: string): string {
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? fallback;
}

/**
 * Downloads every row of a list as CSV, with the screen's filters. A plain link cannot send the
 * bearer token (and a token in the address would end up in logs and history), so the file is
 * fetched with the same Authorization header as GraphQL and handed to the browser as a blob.
 */
export function DownloadCsvButton({
  name,
  filters = {},
  label = 'Download CSV',
}: {
  name: ExportName;
  filters?: Record<string, string | null | undefined>;
  label?: string;
}) {
  const session = useSessionStore();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const { token } = session.getState();
      const response = await fetch(new URL(exportUrl(name, filters), window.location.origin), {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      if (response.status === 401) {
        session.expire();
        return;
      }
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as {
          errors?: Array<{ message?: string }>;
        } | null;
        setError(body?.errors?.[0]?.message ?? 'The download failed. Try again.');
        return;
      }
      const blob = await response.blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = fileNameOf(response.headers.get('content-disposition'), `${name}.csv`);
      document.body.append(link);
      link.click();
      link.remove();
      // Revoked on the next turn: the browser has taken the file by then.
      setTimeout(() => URL.revokeObjectURL(link.href), 0);
    } catch {
      setError('The download failed: check the connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Group gap="xs" wrap="nowrap">
      <Button variant="default" size="sm" onClick={() => void download()} loading={busy}>
        {label}
      </Button>
      {error && (
        <Text role="alert" size="sm" c="red.8">
          {error}
        </Text>
      )}
    </Group>
  );
}
