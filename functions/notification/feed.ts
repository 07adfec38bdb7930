/**
 * The in-app feed: one Firestore document per message under the customer's own feed
 * (`<collection>/<user id>/items/<message id>`), which the storefront listens to. Written with the
 * message's id, so writing it again (a retry after a lost answer) changes nothing. Feed items never
 * hold a secret: account messages that carry one are sent only on the channel they were asked on.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { FeedItem, FeedWriter } from './sender';

export function firestoreFeed(db: Firestore, collection: string): FeedWriter {
  return {
    async write(userId, item: FeedItem) {
      await db
        .collection(collection)
        .doc(userId)
        .collection('items')
        .doc(item.id)
        .set({ ...item, read: false });
    },
  };
}
