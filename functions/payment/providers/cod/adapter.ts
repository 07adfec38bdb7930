/**
 * Cash on delivery as a rail. Nothing is held or charged online: the payment stays pending until
 * the carrier reports the cash collected (`delivery.cod.collected`), which settles it for the
 * amount collected. Voiding before delivery releases nothing; a refund after delivery is cash (or
 * a bank transfer) handed back by staff and recorded here. There is no provider to ask or to
 * hear from.
 */
import {
  NotificationFormatError,
  RailRefusedError,
  type AuthoriseResult,
  type Rail,
  type RailNotification,
  type RailState,
  type RefundResult,
} from '../../rail';

/** Riders carry at most this much cash for one order (a store policy, not a provider's limit). */
export const COD_MAX_VND = 10_000_000;

/** The cash-on-delivery rail. */
export function codRail(opts: { maxAmountVnd?: number } = {}): Rail {
  return {
    name: 'cod',
    holds: false,
    maxAmountVnd: opts.maxAmountVnd ?? COD_MAX_VND,
    async authorise(): Promise<AuthoriseResult> {
      return { kind: 'none', status: 'pending' };
    },
    async capture() {
      throw new RailRefusedError(
        'cod',
        'collected_on_delivery',
        'cash is settled when the rider collects it',
      );
    },
    async void(): Promise<RailState> {
      return { status: 'voided', authorisedVnd: 0, capturedVnd: 0, refundedVnd: 0, at: new Date() };
    },
    async refund(p): Promise<RefundResult> {
      // Handed back in cash or by transfer at the store; the record is the refund.
      return { refundRef: `cash-${p.refundId}`, status: 'succeeded', amountVnd: p.amountVnd };
    },
    async status(): Promise<RailState> {
      throw new RailRefusedError('cod', 'not_supported', 'cash on delivery has no provider to ask');
    },
    parseNotification(): RailNotification {
      throw new NotificationFormatError('cod', 'cash on delivery sends no notifications');
    },
    acknowledge() {
      return { status: 404 };
    },
    close() {},
  };
}
