import { localeForCountry } from '@refunds/domain';
import { createContext, useContext } from 'react';
import type { SessionQuery } from '../gql/graphql';

export type CurrentMember = NonNullable<SessionQuery['me']>;
export type CurrentBusiness = NonNullable<SessionQuery['business']>;

export interface Current {
  readonly member: CurrentMember;
  readonly business: CurrentBusiness;
  /** The business's number conventions, e.g. "en-GH-u-nu-latn". */
  readonly locale: string;
}

const CurrentContext = createContext<Current | null>(null);

export function CurrentProvider({
  member,
  business,
  children,
}: {
  member: CurrentMember;
  business: CurrentBusiness;
  children: React.ReactNode;
}) {
  const value: Current = { member, business, locale: localeForCountry(business.country) };
  return <CurrentContext.Provider value={value}>{children}</CurrentContext.Provider>;
}

/** The signed-in member and their business; only inside the signed-in shell. */
export function useCurrent(): Current {
  const current = useContext(CurrentContext);
  if (!current) throw new Error('useCurrent() is only available inside the signed-in shell.');
  return current;
}
