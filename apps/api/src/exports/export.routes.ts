import { once } from 'node:events';
import express from 'express';
import {
  BadInputError,
  can,
  CREDIT_TRANSACTION_KINDS,
  type CreditTransactionKind,
  localDate,
  Permission,
  QUOTE_TABS,
  type QuoteTab,
  toDecimalString,
} from '@refunds/domain';
import type { Services } from '../services';
import type { Caller } from '../platform/graphql/context';
import { isUuid } from '../platform/ids';
import { MAX_PAGE_SIZE } from '../platform/pagination';
import { parseLocalDateRange } from '../platform/local-date-range';
import { csvRecord, textCell, valueCell } from './csv';

/**
 * CSV downloads of the money lists: GET /export/transactions.csv, /export/quotes.csv and
 * /export/statement.csv. Same bearer token (session or API key) and the same permission as the
 * GraphQL lists they mirror (READ_MONEY). Every row is written, page after page of the lists'
 * own keyset queries, so memory holds one page whatever the size of the ledger, and the rows are
 * exactly what the screens show (no second copy of the list SQL here).
 */
export function exportRouter(services: Services): express.Router {
  const router = express.Router();
  router.get('/transactions.csv', download(services, transactionsCsv));
  router.get('/quotes.csv', download(services, quotesCsv));
  router.get('/statement.csv', download(services, statementCsv));
  router.use((_req, res) => sendError(res, 404, 'NOT_FOUND', 'There is no such export.'));
  return router;
}

interface ExportBusiness {
  readonly id: string;
  readonly name: string;
  readonly timezone: string;
}

/** What an export produces: its file name and its records (the header first). */
interface CsvExport {
  readonly fileName: string;
  readonly records: AsyncIterable<string[]>;
}

type ExportBuilder = (
  services: Services,
  business: ExportBusiness,
  query: QueryParams,
) => Promise<CsvExport>;

const PAGE = MAX_PAGE_SIZE;

function download(services: Services, build: ExportBuilder): express.RequestHandler {
  return async (req, res) => {
    let caller: Caller | null;
    try {
      const credential = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      caller = credential ? await services.auth.authenticate(credential) : null;
      if (!caller) {
        sendError(res, 401, 'UNAUTHENTICATED', 'Log in, or send a valid API key.');
        return;
      }
      if (!can(caller.principal, Permission.READ_MONEY)) {
        sendError(res, 403, 'FORBIDDEN', 'Your role does not allow this.');
        return;
      }
      const business = await loadBusiness(services, caller.businessId);
      const csv = await build(services, business, new QueryParams(req.query));
      res.status(200);
      res.set({
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${csv.fileName}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      // The byte-order mark lets spreadsheet programs read the file as UTF-8 (accents in names).
      await write(res, '\uFEFF');
      for await (const record of csv.records) {
        if (res.destroyed) return; // the client went away: stop reading pages
        await write(res, csvRecord(record));
      }
      res.end();
    } catch (error) {
      if (error instanceof BadInputError) {
        if (!res.headersSent) sendError(res, 400, 'BAD_USER_INPUT', error.message);
        else res.destroy(error);
        return;
      }
      console.error(error);
      // Once rows are on their way a status cannot change: cut the download short, so the client
      // sees a failed transfer rather than a file that looks complete.
      if (res.headersSent) res.destroy(error as Error);
      else sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong on our side.');
    }
  };
}

/** Writes a chunk, waiting for the socket to drain when its buffer is full (backpressure). */
async function write(res: express.Response, chunk: string): Promise<void> {
  if (!res.write(chunk) && !res.destroyed) {
    await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
}

function sendError(res: express.Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

async function loadBusiness(services: Services, businessId: string): Promise<ExportBusiness> {
  const [row]: ExportBusiness[] = await services.db.manager.query(
    `SELECT id, name, timezone FROM businesses WHERE id = $1`,
    [businessId],
  );
  if (!row) throw new Error(`business ${businessId} not found`);
  return row;
}

/** The query string, read strictly: one value per name, anything malformed is a 400. */
class QueryParams {
  constructor(private readonly query: Record<string, unknown>) {}

  text(name: string): string | null {
    const value = this.query[name];
    if (value === undefined || value === '') return null;
    if (typeof value !== 'string') {
      throw new BadInputError(`"${name}" must be given once, as plain text.`, [name]);
    }
    return value;
  }

  id(name: string): string | null {
    const value = this.text(name);
    if (value !== null && !isUuid(value)) {
      throw new BadInputError(`"${name}" is not an id this API gave out.`, [name]);
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | null {
    const value = this.text(name);
    if (value !== null && !allowed.includes(value as T)) {
      throw new BadInputError(`"${name}" must be one of ${allowed.join(', ')}.`, [name]);
    }
    return value as T | null;
  }
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** "2026-03-14 09:05" on the business's clock: the dates people see on their screens. */
function localDateTime(instant: Date, timeZone: string): string {
  // One formatter per zone: building one per row would dominate a long export.
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timeFormats.set(timeZone, format);
  }
  return `${localDate(instant, timeZone)} ${format.format(instant)}`;
}

const today = (business: ExportBusiness, services: Services) =>
  localDate(services.clock.now(), business.timezone);

// ------------------------------------------------------------------------ credit transactions

const transactionsCsv: ExportBuilder = async (services, business, query) => {
  const customerId = query.id('customerId');
  const kind = query.oneOf<CreditTransactionKind>('kind', CREDIT_TRANSACTION_KINDS);
  const from = query.text('from');
  const to = query.text('to');
  // Checked before the first byte goes out, so bad dates are a 400, not a broken download.
  parseLocalDateRange({ from, to }, business.timezone);
  async function* records(): AsyncIterable<string[]> {
    yield [
      `Date (${business.timezone})`,
      'Customer',
      'Kind',
      'Credits',
      'Balance after',
      'Description',
      'Refund of',
      'Deleted',
      'Delete reason',
      'Id',
    ];
    let after: string | null = null;
    do {
      const page = await services.credits.list(business.id, {
        customerId,
        kind,
        from,
        to,
        first: PAGE,
        after,
      });
      const customers = await services.customers.findMany(
        business.id,
        page.nodes.map((t) => t.customerId),
      );
      for (const t of page.nodes) {
        yield [
          valueCell(localDateTime(t.createdAt, business.timezone)),
          textCell(customers.get(t.customerId)?.name),
          valueCell(t.kind),
          valueCell(t.credits),
          valueCell(t.balanceAfter),
          textCell(t.description),
          valueCell(t.refundOfId),
          valueCell(t.deleted ? 'yes' : 'no'),
          textCell(t.deleteReason),
          valueCell(t.id),
        ];
      }
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
  }
  return { fileName: `transactions-${today(business, services)}.csv`, records: records() };
};

// ---------------------------------------------------------------------------------- quotes

const quotesCsv: ExportBuilder = async (services, business, query) => {
  const tab = query.oneOf<QuoteTab>('tab', QUOTE_TABS);
  async function* records(): AsyncIterable<string[]> {
    yield [
      'Number',
      `Created (${business.timezone})`,
      'Customer',
      'Title',
      'Status',
      'Total',
      'Refunded',
      'Outstanding',
      'Currency',
      `Paid (${business.timezone})`,
      'Id',
    ];
    let after: string | null = null;
    do {
      const page = await services.quotes.list(business.id, { tab, first: PAGE, after });
      const [customers, balances] = await Promise.all([
        services.customers.findMany(
          business.id,
          page.nodes.map((q) => q.customerId),
        ),
        // The settlement rule the drawer shows, batched: one ledger query per page.
        Promise.all(page.nodes.map((q) => services.quotes.balancesOf(q))),
      ]);
      for (const [i, q] of page.nodes.entries()) {
        const { refunded, outstanding } = balances[i]!;
        yield [
          textCell(q.number),
          valueCell(localDateTime(q.createdAt, business.timezone)),
          textCell(customers.get(q.customerId)?.name),
          textCell(q.title),
          valueCell(q.status),
          valueCell(q.total.amount),
          valueCell(toDecimalString(refunded)),
          valueCell(toDecimalString(outstanding)),
          valueCell(q.total.currency),
          valueCell(q.paidAt ? localDateTime(q.paidAt, business.timezone) : null),
          valueCell(q.id),
        ];
      }
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
  }
  const suffix = tab && tab !== 'ALL' ? `-${tab.toLowerCase()}` : '';
  return { fileName: `quotes${suffix}-${today(business, services)}.csv`, records: records() };
};

// ------------------------------------------------------------------------- account statement

const statementCsv: ExportBuilder = async (services, business, query) => {
  const customerId = query.id('customerId');
  if (!customerId) throw new BadInputError('"customerId" is required.', ['customerId']);
  const from = query.text('from');
  const to = query.text('to');
  parseLocalDateRange({ from, to }, business.timezone);
  const customer = await services.accounts.findCustomer(business.id, customerId);
  // Another business's customer is exactly like one that does not exist.
  if (!customer) throw new BadInputError('We could not find that customer.', ['customerId']);
  async function* records(): AsyncIterable<string[]> {
    yield [
      `Date (${business.timezone})`,
      'Kind',
      'Reference',
      'Description',
      'Debit',
      'Credit',
      'Balance',
      'Currency',
    ];
    let after: string | null = null;
    do {
      const page = await services.accounts.statement(business.id, customerId!, {
        from,
        to,
        first: PAGE,
        after,
      });
      for (const line of page.nodes) {
        yield [
          valueCell(localDateTime(line.date, business.timezone)),
          valueCell(line.kind),
          textCell(line.reference),
          textCell(line.description),
          valueCell(line.debit?.amount),
          valueCell(line.credit?.amount),
          valueCell(line.balance.amount),
          valueCell(line.balance.currency),
        ];
      }
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
  }
  const slug = customer.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  return {
    fileName: `statement-${slug || 'customer'}-${today(business, services)}.csv`,
    records: records(),
  };
};
