/**
 * The customer's address book, read from the user function with the customer's own token (so a
 * caller only ever resolves their own addresses), through the shared outbound client.
 */
import { NotFoundError, TransientError } from '../shared/errors';
import { createOutboundClient } from '../shared/outbound';
import type { AddressPoint } from './zones';

/** An address as delivery needs it. */
export interface Address extends AddressPoint {
  id: string;
  recipient: string;
  phone: string;
  street: string;
}

/** Reads one of the caller's addresses. */
export interface AddressBook {
  /** The address, or NotFoundError when it is not one of the caller's. */
  get(id: string, authorization: string): Promise<Address>;
  close(): void;
}

/** The user function's `/me/addresses/{id}` at `baseUrl`. */
export function httpAddressBook(baseUrl: string, timeoutMs: number): AddressBook {
  const client = createOutboundClient({ provider: 'user', baseUrl, timeoutMs, retries: 1 });
  return {
    async get(id, authorization) {
      const res = await client.request({
        method: 'GET',
        path: `/me/addresses/${encodeURIComponent(id)}`,
        headers: { authorization },
      });
      // A 4xx is the user function's verdict on this id (not ours to retry): none of yours.
      if (res.status >= 400 && res.status < 500)
        throw new NotFoundError(`No address ${id} in your address book`);
      if (res.status !== 200) throw new TransientError(`The address book answered ${res.status}`);
      const a = res.json<Address & { geo: { lat: number; lng: number } | null }>();
      return {
        id: a.id,
        recipient: a.recipient,
        phone: a.phone,
        street: a.street,
        ward: a.ward,
        province: a.province,
        geo: a.geo,
      };
    },
    close: () => client.close(),
  };
}
