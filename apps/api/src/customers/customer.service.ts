import { BadInputError } from '@refunds/domain';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/database';
import { isUuid, newId, newSecret } from '../platform/ids';
import { BatchLoader } from '../platform/batch-loader';
import { decodeCursor, type Page, pageSize, toPage } from '../platform/pagination';
import { Customer } from './customer.entity';
import {
  escapeLike,
  fold,
  FOLDED_EMAIL,
  FOLDED_NAME,
  INITIAL,
  INITIALS_SQL,
} from './customer-name.sql';

export interface CustomerListQuery {
  search?: string | null | undefined;
  /** A letter of the A–Z bar, or "#" for names that do not start with a letter. */
  initial?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}

export class CustomerService {
  private readonly loader = new BatchLoader<Customer>((businessId, ids) =>
    this.findMany(businessId, ids),
  );

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async create(
    businessId: string,
    input: { name: string; email?: string | null },
  ): Promise<Customer> {
    const customer = this.db.manager.create(Customer, {
      id: newId(),
      businessId,
      name: input.name.trim(),
      email: input.email?.trim() || null,
      portalToken: newSecret(),
      createdAt: this.clock.now(),
    });
    await this.db.manager.insert(Customer, customer);
    return customer;
  }

  /** A customer of this business; another business's id is simply not found. */
  find(businessId: string, id: string): Promise<Customer | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.db.manager.findOne(Customer, { where: { id, businessId } });
  }

  /** Many customers of one business at once (for list rows that show their customer). */
  async findMany(businessId: string, ids: readonly string[]): Promise<Map<string, Customer>> {
    const wanted = [...new Set(ids)].filter(isUuid);
    if (wanted.length === 0) return new Map();
    const rows = await this.db.manager
      .createQueryBuilder(Customer, 'c')
      .where('c.business_id = :businessId AND c.id IN (:...wanted)', { businessId, wanted })
      .getMany();
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** Like find, batched: the rows of a list that show their customer cost one query together. */
  load(businessId: string, id: string): Promise<Customer | undefined> {
    return this.loader.load(businessId, id);
  }

  findByPortalToken(token: string): Promise<Customer | null> {
    if (token.length < 20 || token.length > 100) return Promise.resolve(null);
    return this.db.manager.findOne(Customer, { where: { portalToken: token } });
  }

  /**
   * Name order (A–Z, accents folded), keyset-paginated on (folded name, id). Each shape reads an
   * index (migrations/1795410300000-CustomerNameIndexes.ts), so a page costs the same at any size:
   * - no filter: a range of (business, folded name, id) from the cursor on;
   * - `initial`: a range of (business, initial, folded name, id), already in order;
   * - `search` of 3+ characters: the trigram indexes on the folded name and e-mail find the rows
   *   that hold the search's trigrams, which are then sorted (cost: the number of matches);
   * - `search` of 1–2 characters has no trigram to look up: the planner walks the name order and
   *   stops at a full page, so its cost is the number of customers read before `first` of them
   *   match (about first ÷ the share that match; every customer when almost none do).
   */
  async list(businessId: string, query: CustomerListQuery): Promise<Page<Customer>> {
    const { builder, size } = this.listBuilder(businessId, query);
    const { entities, raw } = await builder.getRawAndEntities<{ c_id: string; sort_key: string }>();
    const sortKeys = new Map(raw.map((row) => [row.c_id, row.sort_key]));
    return toPage(entities, size, (c) => [sortKeys.get(c.id) ?? '', c.id]);
  }

  /** The SQL and parameters `list` runs for this query (its tests EXPLAIN it). */
  listQuery(businessId: string, query: CustomerListQuery): [string, unknown[]] {
    return this.listBuilder(businessId, query).builder.getQueryAndParameters();
  }

  private listBuilder(businessId: string, query: CustomerListQuery) {
    const size = pageSize(query.first);
    const after = decodeCursor(query.after, ['text', 'uuid']);
    const builder = this.db.manager
      .createQueryBuilder(Customer, 'c')
      .addSelect(FOLDED_NAME, 'sort_key')
      .where('c.business_id = :businessId', { businessId })
      .orderBy(FOLDED_NAME, 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(size + 1);
    const search = query.search?.trim();
    if (search) {
      if (search.length > 200)
        throw new BadInputError('Search for at most 200 characters.', ['search']);
      const pattern = fold(':pattern');
      builder.andWhere(
        `(${FOLDED_NAME} LIKE ${pattern} ESCAPE '\\' OR ${FOLDED_EMAIL} LIKE ${pattern} ESCAPE '\\')`,
        { pattern: `%${escapeLike(search)}%` },
      );
    }
    if (query.initial) {
      // One letter of any alphabet (folded like the names: "é" is E), or "#".
      if (query.initial === '#') builder.andWhere(`${INITIAL} = '#'`);
      else if (/^\p{L}$/u.test(query.initial))
        builder.andWhere(`${INITIAL} = upper(${fold(':initial')})`, { initial: query.initial });
      else throw new BadInputError('"initial" is one letter, or "#".', ['initial']);
    }
    if (after) {
      builder.andWhere(`(${FOLDED_NAME}, c.id) > (:afterName, :afterId)`, {
        afterName: after[0],
        afterId: after[1],
      });
    }
    return { builder, size };
  }

  /**
   * The initials the business's customer names start with (folded as the list does), letters in
   * order and "#" last: the A–Z bar offers these, so it fits whatever alphabet the names use.
   */
  async initials(businessId: string): Promise<string[]> {
    const rows: { initial: string }[] = await this.db.manager.query(INITIALS_SQL, [businessId]);
    const letters = rows.map((row) => row.initial).filter((initial) => initial !== '#');
    letters.sort((a, b) => a.localeCompare(b, 'en'));
    return rows.some((row) => row.initial === '#') ? [...letters, '#'] : letters;
  }
}
