import { BadInputError } from '@refunds/domain';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/database';
import { isUuid, newId, newSecret } from '../platform/ids';
import { BatchLoader } from '../platform/batch-loader';
import { decodeCursor, type Page, pageSize, toPage } from '../platform/pagination';
import { Customer } from './customer.entity';

export interface CustomerListQuery {
  search?: string | null | undefined;
  /** A letter of the A–Z bar, or "#" for names that do not start with a letter. */
  initial?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

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

  /** Name order (A–Z), keyset-paginated on (lower(name), id). */
  async list(businessId: string, query: CustomerListQuery): Promise<Page<Customer>> {
    const size = pageSize(query.first);
    const after = decodeCursor(query.after, ['text', 'uuid']);
    const builder = this.db.manager
      .createQueryBuilder(Customer, 'c')
      .where('c.business_id = :businessId', { businessId })
      .orderBy('lower(c.name)', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(size + 1);
    const search = query.search?.trim();
    if (search) {
      if (search.length > 200)
        throw new BadInputError('Search for at most 200 characters.', ['search']);
      builder.andWhere(
        `(c.name ILIKE :pattern ESCAPE '\\' OR c.email ILIKE :pattern ESCAPE '\\')`,
        {
          pattern: `%${escapeLike(search)}%`,
        },
      );
    }
    if (query.initial) {
      const initial = query.initial.toUpperCase();
      if (initial === '#') builder.andWhere(`upper(left(c.name, 1)) !~ '^[A-Z]'`);
      else if (/^[A-Z]$/.test(initial))
        builder.andWhere('upper(left(c.name, 1)) = :initial', { initial });
      else throw new BadInputError('"initial" is one letter A–Z, or "#".', ['initial']);
    }
    if (after) {
      builder.andWhere('(lower(c.name), c.id) > (:afterName, :afterId)', {
        afterName: after[0],
        afterId: after[1],
      });
    }
    const rows = await builder.getMany();
    return toPage(rows, size, (c) => [c.name.toLowerCase(), c.id]);
  }
}
