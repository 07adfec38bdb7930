/** Entry point of the order function (functions-framework target `order`). */
import { register } from '../shared/register';
import { createOrder } from './deps';

register({ name: 'order', create: createOrder });
