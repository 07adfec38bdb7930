/** Entry point of the delivery function (functions-framework target `delivery`). */
import { register } from '../shared/register';
import { createDelivery } from './deps';

register({ name: 'delivery', create: createDelivery });
