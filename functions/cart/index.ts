/** Entry point of the cart function (functions-framework target `cart`). */
import { register } from '../shared/register';
import { createCart } from './deps';

register({ name: 'cart', create: createCart });
